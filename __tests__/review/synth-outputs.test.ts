import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STACK_MODEL_FILE } from "../../core/stack-model";
import { runReviewCli } from "../../review/cli";
import { synthOutput } from "../../testing/app";
import { exampleDocument } from "../../testing/config";

// What a platform team holds is two synth outputs. The review shows who gains access from them alone
// (issue: it said "Not compared: … have no access-matrix.json" unless npm run matrix had been run
// into each folder with the right configuration).

let scratch: string;
let base: { outdir: string };
let head: { outdir: string };

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "scopegate-review-outputs-"));
  const document = exampleDocument();
  document.authorizationTable.grants[1].routes.push("POST /resource");
  writeFileSync(join(scratch, "widened.json"), JSON.stringify(document));
  base = { outdir: synthOutput() };
  head = { outdir: synthOutput(join(scratch, "widened.json")) };
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test("npm run review -- --base-out A --head-out B on two plain synth outputs lists the access changes, and fails at --fail-on high for them", async () => {
  const out = join(scratch, "review");
  const run = await runReviewCli(["--base-out", base.outdir, "--head-out", head.outdir, "--out", out, "--json", "--fail-on", "high"]);
  expect(run.stderr).not.toMatch(/ERR_/);
  const summary = JSON.parse(run.stdout);
  expect(summary.accessChanges.map((c: { caller: string; route: string; severity: string }) => [c.severity, c.caller, c.route])).toEqual([
    ["high", "basic:svc-reports", "POST /resource"],
  ]);
  expect(run.status).toBe(1);
});

test("fails when a synth output holds no model: ERR_REVIEW_INPUT, exit 2, naming the folder", async () => {
  const old = join(scratch, "old");
  require("node:fs").cpSync(base.outdir, old, { recursive: true });
  rmSync(join(old, "stacks", "scopegate-example", STACK_MODEL_FILE));
  const run = await runReviewCli(["--base-out", old, "--head-out", head.outdir, "--out", join(scratch, "review-old")]);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(
    new RegExp(`^ERR_REVIEW_INPUT: --base-out ${old}: the stack scopegate-example has no scopegate\\.model\\.json`),
  );
});
