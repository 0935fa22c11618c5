import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STACK_MODEL_FILE } from "../../core/stack-model";
import { runMatrixCli } from "../../matrix/cli";
import { runSynth, type SynthRun } from "../../testing/app";
import { exampleDocument } from "../../testing/config";

// The matrix reads what it describes: the synth output's models, or a configuration that must be the
// one the output in its folder was built from (issue: after a synth of another configuration, a plain
// `npm run matrix` wrote the built-in example's matrix into that output, exit 0).

/** A configuration named like an organisation's own: another stack name, one more user. */
function ordersDocument(): Record<string, any> {
  const document = exampleDocument();
  document.name = "orders";
  document.users.push({ username: "olga", email: "olga@example.com", groups: ["readers"] });
  return document;
}

let project: string;
let synth: SynthRun;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "scopegate-matrix-output-"));
  writeFileSync(join(project, "orders.json"), JSON.stringify(ordersDocument()));
  synth = runSynth({ SCOPEGATE_CONFIG: join(project, "orders.json") });
  expect(synth.stderr).toBe("");
  expect(synth.status).toBe(0);
}, 120_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

const matrixFiles = (dir: string) =>
  ["access-matrix.md", "access-matrix.html", "access-matrix.json"].filter((f) => existsSync(join(dir, f)));

describe("npm run matrix reads the synth output", () => {
  test("GIVEN a synth of orders.json WHEN the matrix runs with no configuration named THEN it shows the orders stack the output holds, not the built-in example", () => {
    const result = runMatrixCli([], { env: { CDKTF_OUTDIR: synth.outdir }, cwd: project });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^orders: 10 callers/);
    const json = JSON.parse(readFileSync(join(synth.outdir, "access-matrix.json"), "utf8"));
    expect(json.matrices.map((m: { stack: string }) => m.stack)).toEqual(["orders"]);
    expect(JSON.stringify(json)).toContain('"olga"');
  });

  test("GIVEN the same configuration named THEN it agrees with the output and writes the same matrix", () => {
    const fromOutput = runMatrixCli(["--json"], { env: { CDKTF_OUTDIR: synth.outdir }, cwd: project });
    const fromConfig = runMatrixCli(["--json"], { env: { CDKTF_OUTDIR: synth.outdir, SCOPEGATE_CONFIG: "orders.json" }, cwd: project });
    expect(fromConfig.status).toBe(0);
    // the matrix is its factors (a cell is their join) and the profiles that name them
    const factors = (run: typeof fromOutput) =>
      JSON.parse(run.stdout).matrices.map((m: Record<string, unknown>) => ({
        credentials: m.credentials,
        grantSets: m.grantSets,
        profiles: m.profiles,
      }));
    expect(factors(fromOutput)[0].credentials.length).toBeGreaterThan(0);
    expect(factors(fromConfig)).toEqual(factors(fromOutput));
  });

  test("fails when another configuration is named than the output was built from: ERR_MATRIX_STALE names both, nothing written", () => {
    const out = mkdtempSync(join(tmpdir(), "scopegate-matrix-stale-"));
    rmSync(out, { recursive: true });
    // A copy of the synth output, so this test's refusal is seen to write nothing into it.
    require("node:fs").cpSync(synth.outdir, out, { recursive: true });
    for (const file of matrixFiles(out)) rmSync(join(out, file));
    const document = ordersDocument();
    document.users.push({ username: "mallory", email: "mallory@example.com", groups: ["readers"] });
    writeFileSync(join(project, "orders-changed.json"), JSON.stringify(document));
    const result = runMatrixCli([], { env: { CDKTF_OUTDIR: out, SCOPEGATE_CONFIG: "orders-changed.json" }, cwd: project });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^ERR_MATRIX_STALE: /);
    expect(result.stderr).toContain("was synthesized from");
    expect(result.stderr).toContain("orders-changed.json");
    expect(result.stderr).toMatch(/orders sha256:[0-9a-f]{64}.*orders sha256:[0-9a-f]{64}/);
    expect(matrixFiles(out)).toEqual([]);
    const example = runMatrixCli([], {
      env: { CDKTF_OUTDIR: out, SCOPEGATE_CONFIG: join(__dirname, "../../stacks/config/example.config.json") },
      cwd: project,
    });
    expect(example.stderr).toMatch(/^ERR_MATRIX_STALE: .*scopegate-example sha256:/);
    rmSync(out, { recursive: true, force: true });
  });

  test("fails when the output has no model, or a model edited after synth: ERR_MATRIX_STALE, run synth again", () => {
    const out = join(mkdtempSync(join(tmpdir(), "scopegate-matrix-nomodel-")), "cdktf.out");
    require("node:fs").cpSync(synth.outdir, out, { recursive: true });
    const modelFile = join(out, "stacks", "orders", STACK_MODEL_FILE);
    const model = JSON.parse(readFileSync(modelFile, "utf8"));
    model.model.users.pop();
    writeFileSync(modelFile, JSON.stringify(model));
    const edited = runMatrixCli([], { env: { CDKTF_OUTDIR: out }, cwd: project });
    expect(edited.status).toBe(2);
    expect(edited.stderr).toMatch(
      /^ERR_MATRIX_STALE: .*scopegate\.model\.json holds a model whose digest is sha256:\w+, not the recorded sha256:\w+/,
    );
    rmSync(modelFile);
    const missing = runMatrixCli([], { env: { CDKTF_OUTDIR: out }, cwd: project });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^ERR_MATRIX_STALE: .*stacks\/orders has no scopegate\.model\.json .*run "npm run synth" again/);
  });
});

describe("the stack model synth writes", () => {
  test("names the configuration relative to the project, never an absolute path, and is byte-identical across two synths", () => {
    const text = readFileSync(join(synth.outdir, "stacks", "orders", STACK_MODEL_FILE), "utf8");
    const model = JSON.parse(text);
    expect(model).toMatchObject({ format: "scopegate-model/1", digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(model.configuration).not.toMatch(/^\//);
    expect(model.configuration.endsWith("orders.json")).toBe(true);
    expect(model.model.name).toBe("orders");
    const example = runSynth();
    const again = runSynth();
    const read = (run: SynthRun) => readFileSync(join(run.outdir, "stacks", "scopegate-example", STACK_MODEL_FILE), "utf8");
    expect(read(example)).toBe(read(again));
    expect(JSON.parse(read(example)).configuration).toBe("stacks/config/example.config.json");
  }, 120_000);
});
