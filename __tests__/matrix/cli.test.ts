import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMatrixCli } from "../../matrix/cli";
import { computeAccessMatrix } from "../../matrix/compute";
import { readMatrixFile } from "../../matrix/files";
import { renderMatrixMarkdown } from "../../matrix/render-markdown";
import { PROJECT_ROOT, runSynth } from "../../testing/app";
import { exampleDocument } from "../../testing/config";
import { exampleConfig } from "./configs";

const fresh = () => mkdtempSync(join(tmpdir(), "scopegate-matrix-cli-"));

describe("npm run matrix", () => {
  test("GIVEN no configuration WHEN --out is given THEN the built-in example's matrix is written there as Markdown, HTML and JSON", () => {
    const out = join(fresh(), "out");
    const result = runMatrixCli(["--out", out], { env: {}, cwd: PROJECT_ROOT });
    expect(result).toEqual({
      status: 0,
      stdout: `scopegate-example: 8 callers in 7 profiles × 4 routes, 6 allowed, 22 refused\nwrote ${out}/access-matrix.md, ${out}/access-matrix.html, ${out}/access-matrix.json\n`,
      stderr: "",
    });
    const expected = computeAccessMatrix(exampleConfig(), { source: "the built-in example" });
    expect(readFileSync(join(out, "access-matrix.md"), "utf8")).toBe(renderMatrixMarkdown([expected]));
    expect(readFileSync(join(out, "access-matrix.html"), "utf8")).toMatch(/^<!doctype html>/);
    expect(readMatrixFile(out)).toEqual([expected]);
  });

  test("GIVEN no --out THEN it writes into CDKTF_OUTDIR, else cdktf.out of the working folder, and prints paths relative to it", () => {
    const cwd = fresh();
    expect(runMatrixCli([], { env: {}, cwd }).stdout).toContain(
      "wrote cdktf.out/access-matrix.md, cdktf.out/access-matrix.html, cdktf.out/access-matrix.json",
    );
    expect(existsSync(join(cwd, "cdktf.out", "access-matrix.html"))).toBe(true);
    expect(runMatrixCli([], { env: { CDKTF_OUTDIR: "synth-here" }, cwd }).stdout).toContain("wrote synth-here/access-matrix.md");
  });

  test("GIVEN SCOPEGATE_CONFIG with environments THEN one section per stack, read as main.ts reads it (the cdktf context too)", () => {
    const cwd = fresh();
    writeFileSync(join(cwd, "envs.json"), JSON.stringify({ ...exampleDocument(), environments: { dev: {}, prod: {} } }));
    const result = runMatrixCli(["--out", "out"], { env: { SCOPEGATE_CONFIG: "envs.json" }, cwd });
    expect(result.stdout.split("\n").slice(0, 2)).toEqual([
      "scopegate-example-dev: 8 callers in 7 profiles × 4 routes, 6 allowed, 22 refused",
      "scopegate-example-prod: 8 callers in 7 profiles × 4 routes, 6 allowed, 22 refused",
    ]);
    const markdown = readFileSync(join(cwd, "out", "access-matrix.md"), "utf8");
    expect(markdown).toContain("## `scopegate-example-dev`\n\nFrom `envs.json`:");
    expect(markdown).toContain("## `scopegate-example-prod`");
    const fromContext = runMatrixCli(["--out", "ctx"], { env: { CDKTF_CONTEXT_JSON: JSON.stringify({ configFile: "envs.json" }) }, cwd });
    expect(fromContext.stdout).toContain("scopegate-example-prod");
  });

  test("fails when the configuration is invalid: the same ERR_CONFIG_INVALID message as main.ts, exit 2 (could not run), nothing written", () => {
    const cwd = fresh();
    const document = exampleDocument();
    document.appClients[0].scopes.push("api.example.com/delete");
    writeFileSync(join(cwd, "bad.json"), JSON.stringify(document));
    const result = runMatrixCli(["--out", "out"], { env: { SCOPEGATE_CONFIG: "bad.json" }, cwd });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      'ERR_CONFIG_INVALID: bad.json is not a valid scopegate configuration (1 problem):\n  - appClients[0].scopes[2]: scope "api.example.com/delete" is not defined; defined scopes: openid, email, profile, phone, api.example.com/read, api.example.com/write\n',
    );
    expect(existsSync(join(cwd, "out"))).toBe(false);
    expect(runSynth({ SCOPEGATE_CONFIG: join(cwd, "bad.json") }).stderr).toBe(result.stderr.replace("bad.json", join(cwd, "bad.json")));
  });

  test("fails with usage (exit 2) on an unknown flag or an empty --out; --help prints it", () => {
    const unknown = runMatrixCli(["--outdir", "x"], { env: {}, cwd: fresh() });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^ERR_MATRIX_USAGE: unknown option "--outdir"\n\nUsage: npm run matrix/);
    expect(runMatrixCli(["--out", " "], { env: {}, cwd: fresh() })).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^ERR_MATRIX_USAGE: --out needs a value, got " "\n/),
    });
    expect(runMatrixCli(["--help"], { env: {}, cwd: fresh() })).toMatchObject({
      status: 0,
      stdout: expect.stringContaining("--out <dir>"),
    });
  });

  test("GIVEN the package script THEN it runs scripts/matrix.ts (compiled by scripts/tool.cjs) and exits with the command's code", () => {
    const scripts = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")).scripts;
    expect(scripts.matrix).toBe("node scripts/tool.cjs matrix");
    const out = join(fresh(), "out");
    const run = spawnSync(process.execPath, ["scripts/tool.cjs", "matrix", "--out", out], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, SCOPEGATE_CONFIG: "" },
      encoding: "utf8",
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(existsSync(join(out, "access-matrix.html"))).toBe(true);
    const bad = spawnSync(process.execPath, ["scripts/tool.cjs", "matrix", "--out", out], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, SCOPEGATE_CONFIG: "does-not-exist.json" },
      encoding: "utf8",
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^ERR_CONFIG_NOT_FOUND: SCOPEGATE_CONFIG names "does-not-exist\.json", which does not exist in /);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  test("fails when --out cannot be written: ERR_MATRIX_USAGE naming --out, exit 2, no stack trace", () => {
    const file = join(fresh(), "a-file");
    writeFileSync(file, "not a folder");
    const run = runMatrixCli(["--out", join(file, "out")], { env: { SCOPEGATE_CONFIG: "" } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^ERR_MATRIX_USAGE: --out: cannot write into .*a-file\/out \(ENOTDIR\); pass --out <a folder you can write>\n$/,
    );
  });

  test("GIVEN --json THEN the document of access-matrix.json is printed on stdout, and the files are written", () => {
    const out = join(fresh(), "out");
    const result = runMatrixCli(["--out", out, "--json"], { env: {}, cwd: PROJECT_ROOT });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync(join(out, "access-matrix.json"), "utf8")));
    expect(JSON.parse(result.stdout)).toMatchObject({ format: "scopegate-access-matrix", matrices: [{ stack: "scopegate-example" }] });
  });

  test("GIVEN SCOPEGATE_CONFIG naming no file THEN it fails as synth does: ERR_CONFIG_NOT_FOUND, exit 2 (synth: 1), nothing written", () => {
    const cwd = fresh();
    const result = runMatrixCli(["--out", "out"], { env: { SCOPEGATE_CONFIG: "missing.json" }, cwd });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^ERR_CONFIG_NOT_FOUND: SCOPEGATE_CONFIG names "missing\.json", which does not exist in /);
    expect(existsSync(join(cwd, "out"))).toBe(false);
    const synth = runSynth({ SCOPEGATE_CONFIG: "missing.json" });
    expect(synth.status).toBe(1);
    expect(synth.stderr.split(" which does not exist")[0]).toBe(result.stderr.split(" which does not exist")[0]);
  });
});
