import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHandoff } from "../../handoff/cli";
import { PROJECT_ROOT, runSynth, synthOutput } from "../../testing/app";
import { exampleDocument } from "../../testing/config";
import { synthAndHandOff } from "../../testing/handoff";
import { checkoutElsewhere, tree } from "../../testing/checkout";
import { markdownText } from "../../core/markdown";

// npm run handoff itself; the folders it writes, planned by Terraform, are in handoff.terraform.test.ts.

describe("npm run handoff", () => {
  test("two hand-offs of the same files, made in different folders, are byte-identical", async () => {
    // GIVEN two copies of the project's files (no git: see facts.test.ts for clones of a commit) WHEN each synthesizes and hands off
    const here = await synthAndHandOff(undefined, checkoutElsewhere());
    const there = await synthAndHandOff(undefined, checkoutElsewhere());
    // THEN the hand-offs are equal file for file, and name no path of the places they were made in
    const [a, b] = [tree(here.handoffOut), tree(there.handoffOut)];
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, content] of a) expect({ file, same: content.equals(b.get(file) as Buffer) }).toEqual({ file, same: true });
    for (const [file, content] of a) {
      for (const needle of [PROJECT_ROOT, tmpdir()])
        expect({ file, found: content.toString("latin1").includes(needle) }).toEqual({ file, found: false });
    }
    expect([...a.keys()].sort()).toEqual(
      expect.arrayContaining([
        "scopegate-example/HANDOFF.md",
        "scopegate-example/main.tf",
        "scopegate-example/versions.tf",
        "scopegate-example/variables.tf",
        "scopegate-example/outputs.tf",
        "scopegate-example/terraform.tfvars.example",
        "scopegate-example/checks.json",
        "scopegate-example/access-matrix.json",
        ".scopegate-handoff.json",
      ]),
    );
  }, 180000);

  describe("the folder's documents", () => {
    let folder: string;
    beforeAll(async () => {
      folder = join((await synthAndHandOff()).handoffOut, "scopegate-example");
    }, 120000);
    const read = (file: string) => readFileSync(join(folder, file), "utf8");

    test("HANDOFF.md lists every suppression with its reason, the checks' verdict and the commands", () => {
      const doc = read("HANDOFF.md");
      const config = exampleDocument();
      // each reason as inert prose (identifiers such as userPool.tier in code)
      for (const suppression of config.checks.suppressions) expect(doc).toContain(markdownText(suppression.reason));
      expect(doc).toContain("`npm run check` on the synth output this folder was made from: **passed**");
      expect(doc).toContain("terraform providers lock -platform=linux_amd64 -platform=linux_arm64");
      expect(doc).toContain("| alice, svc-reports (2 users) through web | ✅ |");
      expect(doc).toMatch(/Initial user passwords: .*Terraform stores them in the state/);
      expect(doc).toMatch(/`assets\/[^`]+\/authorizer\.zip` \(\d+ bytes, SHA-256 `[0-9a-f]{64}`\)/);
    });

    test("the tfvars example shows the sensitive passwords by shape only, commented out", () => {
      const example = read("terraform.tfvars.example");
      expect(example).toContain('#   "alice"       = "<a password meeting the pool\'s policy>"');
      expect(example.split("\n").filter((line) => line.includes("user_passwords") && !line.startsWith("#"))).toEqual([]);
    });

    test("checks.json and access-matrix.json are for machines", () => {
      const checks = JSON.parse(read("checks.json"));
      expect([checks.format, checks.passed, checks.suppressed.length]).toEqual(["scopegate-checks-result", true, 8]);
      const matrix = JSON.parse(read("access-matrix.json"));
      expect([matrix.format, matrix.matrices.length, matrix.matrices[0].stack]).toEqual([
        "scopegate-access-matrix",
        1,
        "scopegate-example",
      ]);
    });
  });

  test("prints its usage with --help and exits 0", async () => {
    const run = await runHandoff(["--help"], PROJECT_ROOT, {});
    expect([run.status, run.stdout.split("\n")[0]]).toEqual([
      0,
      "Usage: npm run handoff [-- --out <dir>] [--from <synth output>] [--json]",
    ]);
  });

  test("--json prints what was written: each stack, its folder and its files", async () => {
    const synth = { outdir: synthOutput() };
    const out = join(mkdtempSync(join(tmpdir(), "scopegate-handoff-json-")), "handoff");
    const run = await runHandoff(["--from", synth.outdir, "--out", out, "--json"], PROJECT_ROOT, {});
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    const printed = JSON.parse(run.stdout);
    expect(printed.stacks.map((stack: { stack: string; folder: string }) => [stack.stack, stack.folder])).toEqual([
      ["scopegate-example", join(out, "scopegate-example")],
    ]);
    expect(printed.stacks[0].files).toEqual(expect.arrayContaining(["HANDOFF.md", "main.tf"]));
    expect(readdirSync(join(out, "scopegate-example")).sort()).toEqual(expect.arrayContaining(["HANDOFF.md", "main.tf"]));
  });

  test.each([
    [["--verbose"], /^ERR_HANDOFF_USAGE: unknown option "--verbose"\n\nUsage: npm run handoff/],
    [["--out", ""], /^ERR_HANDOFF_USAGE: --out needs a value, got ""/],
  ])("fails (exit 2) on bad usage: %j", async (argv, message) => {
    const run = await runHandoff(argv, PROJECT_ROOT, {});
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test("fails (exit 2) without a synth output, saying to run synth first", async () => {
    const missing = join(mkdtempSync(join(tmpdir(), "scopegate-handoff-none-")), "cdktf.out");
    const run = await runHandoff(["--from", missing], PROJECT_ROOT, {});
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `ERR_HANDOFF_NO_OUTPUT: ${missing} does not exist: run "npm run synth" first (or pass --from <the folder cdktf synthesized into>)\n`,
    );
  });

  test("fails (exit 2) when the synth output is of another configuration", async () => {
    const synth = { outdir: synthOutput() };
    const other = exampleDocument();
    other.name = "another-api";
    const file = join(mkdtempSync(join(tmpdir(), "scopegate-handoff-other-")), "other.json");
    writeFileSync(file, JSON.stringify(other));
    const run = await runHandoff(["--from", synth.outdir], PROJECT_ROOT, { SCOPEGATE_CONFIG: file });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^ERR_HANDOFF_STALE: .* was synthesized from stacks\/config\/example\.config\.json \(scopegate-example sha256:\w+\), but the configuration \(.*other\.json\) gives another-api sha256:\w+: run "npm run synth" with the same configuration first/,
    );
  });

  test("refuses (exit 2) to replace a folder that is not a hand-off, and writes nothing", async () => {
    const synth = { outdir: synthOutput() };
    const out = mkdtempSync(join(tmpdir(), "scopegate-handoff-taken-"));
    mkdirSync(join(out, "scopegate-example"));
    writeFileSync(join(out, "scopegate-example", "notes.txt"), "mine");
    const run = await runHandoff(["--from", synth.outdir, "--out", out], PROJECT_ROOT, {});
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `ERR_HANDOFF_USAGE: --out: ${out} is not empty and holds no .scopegate-handoff.json, so it is not a hand-off; pass --out <a new or empty folder> (nothing was written)\n`,
    );
    expect(readdirSync(join(out, "scopegate-example"))).toEqual(["notes.txt"]);
  });

  test("refuses (exit 2) a hand-off made before manifests, saying how to move to this one without losing state", async () => {
    // GIVEN an older hand-off: HANDOFF.md and the team's state, no .scopegate-handoff.json
    const synth = runSynth();
    const out = mkdtempSync(join(tmpdir(), "scopegate-handoff-old-"));
    mkdirSync(join(out, "scopegate-example"));
    writeFileSync(join(out, "scopegate-example", "HANDOFF.md"), "# Hand-off\n");
    writeFileSync(join(out, "scopegate-example", "terraform.tfstate"), "{}");
    const run = await runHandoff(["--from", synth.outdir, "--out", out], PROJECT_ROOT, {});
    // THEN nothing is written, and the message names the old hand-off and what to copy back
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `ERR_HANDOFF_USAGE: --out: ${out} holds a hand-off made before hand-offs recorded the files they write (scopegate-example/HANDOFF.md; no .scopegate-handoff.json), ` +
        "so which files are the team's cannot be told: move the folder aside, run again with the same --out, then copy back what your team added " +
        "(terraform.tfstate, .terraform.lock.hcl, .terraform/, files of your own); or pass --out <a new or empty folder> (nothing was written)\n",
    );
    expect(readdirSync(join(out, "scopegate-example")).sort()).toEqual(["HANDOFF.md", "terraform.tfstate"]);
  });
});
