import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeAccessMatrix } from "../../matrix/compute";
import { writeMatrixFiles } from "../../matrix/files";
import { runReview } from "../../review/run";
import { parseConfig } from "../../stacks/config/parse";
import { runSynth } from "../../testing/app";
import { exampleDocument } from "../../testing/config";

/** Synthesizes `doc` and writes its access matrix beside the output, as `npm run matrix` does. */
function outputOf(doc: Record<string, any>): string {
  const dir = mkdtempSync(join(tmpdir(), "scopegate-review-access-"));
  writeFileSync(join(dir, "config.json"), JSON.stringify(doc));
  const run = runSynth({ SCOPEGATE_CONFIG: join(dir, "config.json") });
  if (run.status !== 0) throw new Error(run.stderr);
  writeMatrixFiles(run.outdir, [computeAccessMatrix(parseConfig(doc, "config.json"))]);
  return run.outdir;
}

describe("the review shows who can call what", () => {
  test("a change that lets svc-reports POST /resource is a high access flag, and fails the check at high", async () => {
    // GIVEN the example, and the same with a grant that lets svc-reports (the designated Basic account) POST /resource
    const baseDoc = exampleDocument();
    const headDoc = exampleDocument();
    headDoc.authorizationTable.grants[1].routes.push("POST /resource");
    const baseOut = outputOf(baseDoc);
    const headOut = outputOf(headDoc);
    // WHEN reviewed
    const outDir = join(mkdtempSync(join(tmpdir(), "scopegate-review-out-")), "review");
    const run = await runReview({ input: { kind: "outputs", baseOut, headOut }, outDir, failOn: "high", quiet: true });
    // THEN the access section names svc-reports' new call first, as high, and the exit code says so
    const access = run.summary.accessChanges ?? [];
    expect(run.summary.failed).toBe(true);
    expect(access[0]).toMatchObject({ severity: "high", route: "POST /resource" });
    expect(access[0].caller).toBe("basic:svc-reports");
    expect(run.markdown).toContain("### Who can call what: access changes");
    expect(run.exitCode).toBe(1);
  }, 60000);
});
