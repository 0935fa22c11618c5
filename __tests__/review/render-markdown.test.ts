import { ChangeSet, ResourceChange, ReviewReport, RiskFlag, KNOWN_AFTER_APPLY } from "../../review/model";
import { REVIEW_MARKER, renderMarkdown } from "../../review/render-markdown";

function change(overrides: Partial<ResourceChange>): ResourceChange {
  return {
    stack: "app",
    address: "aws_cognito_user_pool_client.web_1234",
    type: "aws_cognito_user_pool_client",
    name: "web_1234",
    path: "app/client-web/client",
    action: "change",
    before: {},
    after: {},
    attributes: [],
    replacedBecause: [],
    ...overrides,
  };
}

function report(changes: ResourceChange[], flags: RiskFlag[] = [], extra: Partial<ReviewReport> = {}): ReviewReport {
  const changeSet: ChangeSet = {
    source: { kind: "synth-diff", base: "origin/main (abc1234)", head: "the working tree" },
    stacks: [{ name: "app", changes }],
    notes: [],
  };
  return { changeSet, flags, grants: [], failOn: "none", ...extra };
}

const flag: RiskFlag = {
  rule: "scope-added",
  severity: "medium",
  stack: "app",
  path: "app/client-web/client",
  address: "aws_cognito_user_pool_client.web_1234",
  attribute: "allowed_oauth_scopes",
  summary: "allowed_oauth_scopes gains api/write",
  why: "Tokens of this client then pass every method that requires the scope.",
};

describe("renderMarkdown", () => {
  test("starts with the hidden marker, then the source, the verdict and the counts", () => {
    const markdown = renderMarkdown(
      report([change({ attributes: [{ path: "name", before: "a", after: "b", forcesReplacement: false }] })], [flag], { failOn: "high" }),
    );
    const lines = markdown.split("\n");
    expect(lines[0]).toBe(REVIEW_MARKER);
    expect(markdown).toContain("Compares the Terraform synthesized from `origin/main (abc1234)` with `the working tree`.");
    expect(markdown).toContain("**Highest risk: 🟡 medium** · 0 critical · 0 high · 1 medium · 0 low · 0 info");
    expect(markdown).toContain("| Stack | Add | Import | Change | Replace | Remove |");
    expect(markdown).toContain("| `app` | 0 | 0 | 1 | 0 | 0 |");
    // The finding is prose; the scope in it, a value, is code.
    expect(markdown).toContain("| 🟡 medium | `app/client-web/client` | `allowed_oauth_scopes` | allowed_oauth_scopes gains `api/write` |");
    expect(markdown).toContain("| `name` | `a` | `b` |");
    expect(markdown.trimEnd().endsWith("Flags and access changes at or above `high` fail this check: it passes.</sub>")).toBe(true);
  });

  test("lists destructive changes first and collapses computed unknowns into one line", () => {
    const markdown = renderMarkdown(
      report([
        change({ address: "aws_x.added", path: "app/added", action: "add" }),
        change({
          address: "aws_x.replaced",
          path: "app/replaced",
          action: "replace",
          replacedBecause: ["generate_secret"],
          attributes: [
            { path: "arn", before: "arn:1", after: KNOWN_AFTER_APPLY, forcesReplacement: false },
            { path: "generate_secret", before: false, after: true, forcesReplacement: true },
            { path: "id", before: "1", after: KNOWN_AFTER_APPLY, forcesReplacement: false },
          ],
        }),
      ]),
    );
    expect(markdown.indexOf("#### Replace (1)")).toBeLessThan(markdown.indexOf("#### Add (1)"));
    expect(markdown).toContain("**± `app/replaced`** `aws_x.replaced` — forced by `generate_secret`");
    expect(markdown).toContain("| `generate_secret` ⚠️ forces replacement | `false` | `true` |");
    expect(markdown).toContain("Known after apply: `arn`, `id`.");
    expect(markdown).toContain("- + `app/added` `aws_x.added`");
  });

  test("keeps table cells intact whatever the value holds, and names references by construct path", () => {
    const paths = new Map([["app", new Map([["aws_cognito_user_pool.pool_1", "app/user-pool/pool"]])]]);
    const markdown = renderMarkdown(
      report(
        [
          change({
            attributes: [
              { path: "description", before: "a | `b`", after: "${aws_cognito_user_pool.pool_1.id}/x", forcesReplacement: false },
            ],
          }),
        ],
        [],
        { paths },
      ),
    );
    expect(markdown).toContain("| `description` | `` a \\| `b` `` | `${user-pool/pool.id}/x` |");
  });

  test("shows a JSON document attribute as a line diff", () => {
    const before = JSON.stringify({ Statement: [{ Action: ["a:Get"] }] });
    const after = JSON.stringify({ Statement: [{ Action: ["a:*"] }] });
    const markdown = renderMarkdown(report([change({ attributes: [{ path: "policy", before, after, forcesReplacement: false }] })]));
    expect(markdown).toContain(
      ["```diff", "  {", '    "Statement": [', "      {", '        "Action": [', '-         "a:Get"', '+         "a:*"'].join("\n"),
    );
  });

  test("leaves details out, never risks, when the report would not fit a comment", () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      change({
        address: `aws_x.r${i}`,
        path: `app/r${i}`,
        attributes: [{ path: "description", before: "x".repeat(150), after: "y".repeat(150), forcesReplacement: false }],
      }),
    );
    const markdown = renderMarkdown(report(many, [flag]), { maxLength: 8000 });
    expect(markdown.length).toBeLessThanOrEqual(8000);
    expect(markdown).toContain("_Details left out to fit a pull-request comment: see review.json._");
    expect(markdown).toContain("| 🟡 medium |");
    expect(markdown).toContain("- ~ `app/r39` `aws_x.r39`");
    expect(markdown).not.toContain("| `description` |");
  });

  test("says so when nothing changes", () => {
    const markdown = renderMarkdown({
      ...report([]),
      changeSet: { source: { kind: "plan", plan: "plan.json" }, stacks: [], notes: ["a note"] },
    });
    expect(markdown).toContain("Reviews the Terraform plan `plan.json`.");
    expect(markdown).toContain("No resource changes.");
    expect(markdown).toContain("**No risks flagged.**");
    expect(markdown).toContain("### Notes\n\n- a note");
  });
});
