import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportGitRef } from "../../core/git-export";
import { decodeStackModel, encodeStackModel, type StackModel } from "../../core/stack-model";
import { ACCESS_REVIEW_HEADING, CEDAR_REVIEW_HEADING, accessChangesForReview } from "../../review/for-review";
import type { SynthOutput } from "../../review/load";
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

/** A synth output as the review reads it, with (or without) the model synth writes beside each stack. */
function outputOf(document: Record<string, any>, withModel = true): SynthOutput {
  const config = parseConfig(document, "scopegate.json");
  const model = decodeStackModel(JSON.parse(encodeStackModel(config, "scopegate.json"))) as StackModel;
  return { stacks: new Map([[config.name, {}]]), ...(withModel ? { models: new Map([[config.name, model]]) } : { models: new Map() }) };
}

describe("accessChangesForReview", () => {
  test("GIVEN two synth outputs whose head grants svc-reports POST /resource THEN one high change, read from their models alone", () => {
    const review = accessChangesForReview(
      { kind: "outputs", baseOut: "base", headOut: "head" },
      { base: outputOf(exampleDocument()), head: outputOf(widened(exampleDocument())) },
    );
    expect(review.changes.map((c) => [c.severity, c.caller, c.route])).toEqual([["high", "basic:svc-reports", "POST /resource"]]);
    expect(review.markdown.startsWith(`${ACCESS_REVIEW_HEADING}\n\n🟠 1 high\n`)).toBe(true);
    expect(review.markdown).toContain(
      "| 🟠 high | `basic:svc-reports` | `POST /resource` | svc-reports with Basic (designated) may now call POST `/resource` |",
    );
  });

  test("GIVEN a change that widens access THEN the Cedar twin's change is shown beside it: the entity whose grants widened, and the policies added", () => {
    const review = accessChangesForReview(
      { kind: "outputs", baseOut: "base", headOut: "head" },
      { base: outputOf(exampleDocument()), head: outputOf(widened(exampleDocument())) },
    );
    const cedar = review.markdown.slice(review.markdown.indexOf(CEDAR_REVIEW_HEADING));
    expect(review.markdown.indexOf(CEDAR_REVIEW_HEADING)).toBeGreaterThan(review.markdown.indexOf(ACCESS_REVIEW_HEADING));
    expect(cedar).toBe(
      [
        CEDAR_REVIEW_HEADING,
        "",
        "`scopegate-example`: 0 policies added, 0 removed (`cedar/policies.cedar`); 1 entity changed (`cedar/entities.json`).",
        "",
        "```diff",
        '- Scopegate::User::"svc-reports" {"grants":["GET /resource"],"designatedBasic":true}',
        '+ Scopegate::User::"svc-reports" {"grants":["GET /resource","POST /resource"],"designatedBasic":true}',
        "```",
        "",
      ].join("\n"),
    );
    // A new route on the cognito guard widens access by policy alone: its policy is added.
    const withRoute = exampleDocument();
    withRoute.api.routes.push({ method: "DELETE", path: "/reports", guard: "cognito", scopes: ["api.example.com/write"] });
    const byPolicy = accessChangesForReview(
      { kind: "outputs", baseOut: "base", headOut: "head" },
      { base: outputOf(exampleDocument()), head: outputOf(withRoute) },
    );
    expect(byPolicy.markdown).toContain("`scopegate-example`: 1 policy added, 0 removed (`cedar/policies.cedar`); 0 entities changed");
    expect(byPolicy.markdown).toContain(
      '+ @id("DELETE /reports cognito access-token")\n+ permit (\n+   principal,\n+   action == Scopegate::Action::"DELETE /reports",',
    );
  });

  test("GIVEN a change that only narrows access THEN no Cedar section is added", () => {
    const narrowed = exampleDocument();
    narrowed.authorizationTable.grants[0].routes = ["GET /resource"];
    narrowed.authorizationTable.grants.splice(1, 1);
    const review = accessChangesForReview(
      { kind: "outputs", baseOut: "base", headOut: "head" },
      { base: outputOf(exampleDocument()), head: outputOf(narrowed) },
    );
    expect(review.changes.some((change) => change.kind === "narrowed")).toBe(true);
    expect(review.changes.some((change) => change.kind === "widened")).toBe(false);
    expect(review.markdown).not.toContain(CEDAR_REVIEW_HEADING);
  });

  test("GIVEN --base <ref> synthesized by a scopegate that records no model THEN the configuration at the ref is read instead, and the section says so", () => {
    const dir = repositoryWithConfig();
    const exported = exportGitRef(dir, "HEAD");
    if (!exported.ok) throw new Error(exported.problem);
    try {
      const review = accessChangesForReview(
        { kind: "base-ref", ref: "HEAD" },
        { base: outputOf(exampleDocument(), false), baseLabel: "HEAD", head: outputOf(widened(exampleDocument())) },
        { env: { SCOPEGATE_CONFIG: "scopegate.json" }, base: exported.exported },
      );
      expect(review.changes.map((c) => c.id)).toEqual(["widened:scopegate-example:basic:svc-reports:POST /resource"]);
      expect(review.markdown).toContain(
        "`HEAD` was synthesized by a scopegate that records no model: its configuration at that commit was read instead.",
      );
    } finally {
      exported.exported.dispose();
    }
  });

  test("GIVEN an offline plan THEN there is no base: the section says so plainly", () => {
    const review = accessChangesForReview({ kind: "offline-plan" }, { head: outputOf(exampleDocument()) });
    expect(review.changes).toEqual([]);
    expect(review.markdown).toContain("Not compared: an offline plan reviews the stack as new, with no base to compare with");
  });

  test("GIVEN a plan THEN its base model comes from --base-out, or the section says plainly that a plan alone cannot show access changes", () => {
    const withBase = accessChangesForReview(
      { kind: "plan", baseOut: "base" },
      { base: outputOf(exampleDocument()), head: outputOf(widened(exampleDocument())) },
    );
    expect(withBase.changes.map((c) => c.caller)).toEqual(["basic:svc-reports"]);
    const alone = accessChangesForReview({ kind: "plan" }, { head: outputOf(widened(exampleDocument())) });
    expect(alone.changes).toEqual([]);
    expect(alone.markdown).toBe(
      `${ACCESS_REVIEW_HEADING}\n\nNot compared: a plan holds no configuration; pass \`--base-out <the base's synth output>\` (and \`--head-out <the synth output the plan was made from>\`) to compare who can call what.\n`,
    );
  });

  test("fails when an output the user named holds no model: ERR_REVIEW_INPUT names it and says to synthesize again", () => {
    const review = () =>
      accessChangesForReview(
        { kind: "outputs", baseOut: "old", headOut: "head" },
        { base: outputOf(exampleDocument(), false), baseLabel: "--base-out old", head: outputOf(exampleDocument()) },
      );
    expect(review).toThrow(
      expect.objectContaining({
        code: "ERR_REVIEW_INPUT",
        message:
          '--base-out old: the stack scopegate-example has no scopegate.model.json (the model it was built from), so who can call what cannot be read from it; run "npm run synth" again there',
      }),
    );
  });
});
