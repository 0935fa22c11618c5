import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeAccessMatrix } from "../../matrix/compute";
import { writeMatrixFiles } from "../../matrix/files";
import { ACCESS_REVIEW_HEADING, accessChangesForReview } from "../../review/for-review";
import { parseConfig } from "../../stacks/config/parse";
import { exampleDocument } from "../../testing/config";

const fresh = () => mkdtempSync(join(tmpdir(), "scopegate-matrix-review-"));

/** A git repository holding `scopegate.json` (the example) in one commit. */
function repositoryWithConfig(): string {
  const dir = fresh();
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd: dir, stdio: "pipe" });
  git("init", "-q");
  writeFileSync(join(dir, "scopegate.json"), JSON.stringify(exampleDocument(), null, 2));
  git("add", ".");
  git("commit", "-q", "-m", "base");
  return dir;
}

function widened(document: Record<string, any>): Record<string, any> {
  // svc-reports, the designated Basic account, already has a grants item (GET /resource)
  document.authorizationTable.grants[1].routes.push("POST /resource");
  return document;
}

describe("accessChangesForReview", () => {
  test("GIVEN --base <ref> and a working tree that grants svc-reports POST /resource THEN one high change, and the section to append", () => {
    const dir = repositoryWithConfig();
    writeFileSync(join(dir, "scopegate.json"), JSON.stringify(widened(exampleDocument())));
    const review = accessChangesForReview(
      { kind: "base-ref", ref: "HEAD" },
      { projectDir: dir, env: { SCOPEGATE_CONFIG: "scopegate.json" } },
    );
    expect(review.changes.map((c) => [c.severity, c.caller, c.route])).toEqual([["high", "basic:svc-reports", "POST /resource"]]);
    expect(review.markdown.startsWith(`${ACCESS_REVIEW_HEADING}\n\n🟠 1 high\n`)).toBe(true);
    expect(review.markdown).toContain(
      "| 🟠 high | `basic:svc-reports` | `POST /resource` | svc-reports with Basic (designated) may now call POST `/resource` |",
    );
  });

  test("GIVEN --base <ref> whose commit has no configuration yet THEN every allowed call is new", () => {
    const dir = repositoryWithConfig();
    const review = accessChangesForReview({ kind: "base-ref", ref: "HEAD" }, { projectDir: dir, env: {} });
    // no SCOPEGATE_CONFIG: the base looks for the built-in example, which that commit lacks
    // 8 allowed calls (caller × route), in 6 changes: alice and svc-reports through web share a profile
    const high = review.changes.filter((c) => c.severity === "high");
    expect(high).toHaveLength(6);
    expect(high.reduce((calls, change) => calls + change.callers.length, 0)).toBe(8);
  });

  test("GIVEN --base-out and --head-out written by npm run matrix THEN their JSON is compared", () => {
    const [baseOut, headOut] = [fresh(), fresh()];
    writeMatrixFiles(baseOut, [computeAccessMatrix(parseConfig(exampleDocument(), "base"))]);
    writeMatrixFiles(headOut, [computeAccessMatrix(parseConfig(widened(exampleDocument()), "head"))]);
    const review = accessChangesForReview({ kind: "outputs", baseOut, headOut }, { projectDir: fresh() });
    expect(review.changes.map((c) => c.id)).toEqual(["widened:scopegate-example:basic:svc-reports:POST /resource"]);
  });

  test("GIVEN outputs without a matrix, a corrupt matrix, a plan, or an unknown ref THEN nothing is compared and the section says why", () => {
    const [withMatrix, without, corrupt] = [fresh(), fresh(), fresh()];
    writeMatrixFiles(withMatrix, []);
    writeFileSync(join(corrupt, "access-matrix.json"), '{"format":"something-else"}');
    const projectDir = fresh();
    const cases = [
      [
        { kind: "outputs", baseOut: without, headOut: withMatrix },
        `\`${without}\` has no \`access-matrix.json\`; run \`npm run matrix -- --out <dir>\` for both`,
      ],
      [
        { kind: "outputs", baseOut: corrupt, headOut: withMatrix },
        `\`${corrupt}/access-matrix.json\` is not a scopegate-access-matrix file of version 2`,
      ],
      [{ kind: "plan" }, "a plan holds no configuration; review with --base <ref> to compare who can call what"],
      [{ kind: "base-ref", ref: "no-such-branch" }, '"no-such-branch" names no commit in this repository; fetch it first'],
    ] as const;
    for (const [input, why] of cases) {
      const review = accessChangesForReview(input, {
        projectDir: input.kind === "base-ref" ? repositoryWithConfig() : projectDir,
        env: {},
      });
      expect(review.changes).toEqual([]);
      expect(review.markdown).toContain(`${ACCESS_REVIEW_HEADING}\n\nNot compared: ${why}`);
    }
  });
});
