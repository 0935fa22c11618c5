import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformPlan, asPlan, constructIndex } from "../../review/load";
import { SENSITIVE, KNOWN_AFTER_APPLY } from "../../review/model";
import { actionOf, changesFromPlan } from "../../review/plan";
import { reviewChangeSet } from "../../review/run";
import { ruleList, synthOutputOf } from "../../testing/review";

/**
 * A real `terraform show -json` (Terraform 1.11, provider 5.100.0), trimmed to six resources: the
 * example's user pool switched to e-mail sign-in, planned offline over a state of the example.
 * The state's mock values were kept; alice's password was set by hand to check masking.
 */
const fixture = (): TerraformPlan =>
  asPlan(JSON.parse(readFileSync(join(__dirname, "fixtures", "plan-user-pool-replaced.json"), "utf8")), "fixture");

describe("actionOf", () => {
  test.each([
    [["create"], "add"],
    [["delete"], "remove"],
    [["update"], "change"],
    [["delete", "create"], "replace"],
    [["create", "delete"], "replace"],
    [["no-op"], undefined],
    [["read"], undefined],
    [["forget"], undefined],
  ])("%j → %s", (actions, expected) => {
    expect(actionOf(actions)).toBe(expected);
  });
});

describe("changesFromPlan on a real replacement plan", () => {
  const index = () => constructIndex(synthOutputOf());

  test("names each change by construct path and stack, and skips no-ops", () => {
    const changeSet = changesFromPlan(fixture(), { label: "plan.json", index: index() });
    expect(changeSet.stacks.map((s) => s.name)).toEqual(["scopegate-example"]);
    expect(changeSet.stacks[0].changes.map((c) => `${c.action} ${c.path}`)).toEqual([
      "change scopegate-example/authorization-table/grant-client-machine",
      "change scopegate-example/authorizer/function",
      "replace scopegate-example/client-machine/client",
      "replace scopegate-example/user-pool/pool",
      "replace scopegate-example/users/user-alice",
    ]);
    expect(changeSet.notes).toEqual([]);
  });

  test("takes the forcing attributes from replace_paths and shows unknown values", () => {
    const changes = changesFromPlan(fixture(), { label: "plan.json", index: index() }).stacks[0].changes;
    const pool = changes.find((c) => c.type === "aws_cognito_user_pool");
    expect(pool?.replacedBecause).toEqual(["username_attributes"]);
    expect(pool?.attributes.find((a) => a.path === "username_attributes")).toEqual({
      path: "username_attributes",
      before: null,
      after: ["email"],
      forcesReplacement: true,
    });
    const client = changes.find((c) => c.type === "aws_cognito_user_pool_client");
    expect(client?.attributes.find((a) => a.path === "user_pool_id")).toEqual({
      path: "user_pool_id",
      before: "mock-id-user-pool_54D4728B",
      after: KNOWN_AFTER_APPLY,
      forcesReplacement: true,
    });
  });

  test("masks what the plan marks sensitive, before and after", () => {
    const changes = changesFromPlan(fixture(), { label: "plan.json", index: index() }).stacks[0].changes;
    const client = changes.find((c) => c.type === "aws_cognito_user_pool_client");
    const user = changes.find((c) => c.type === "aws_cognito_user");
    expect(client?.before?.client_secret).toBe(SENSITIVE);
    expect(user?.before?.password).toBe(SENSITIVE);
    expect(client?.attributes.find((a) => a.path === "client_secret")).toEqual({
      path: "client_secret",
      before: SENSITIVE,
      after: SENSITIVE,
      forcesReplacement: false,
    });
  });

  test("the review of it is critical and carries no secret anywhere", () => {
    const review = reviewChangeSet(changesFromPlan(fixture(), { label: "plan.json", index: index() }), { failOn: "critical" });
    expect(ruleList(review.report.flags)).toEqual([
      "user-pool-destroyed@critical",
      "app-client-destroyed@high",
      "user-destroyed@medium",
      "grants-unreadable@info",
    ]);
    expect(review.exitCode).toBe(1);
    for (const text of [review.markdown, JSON.stringify(review.summary)]) {
      expect(text).not.toContain("mock-client_secret");
      expect(text).not.toContain("Fixture-Passw0rd!");
    }
    expect(review.markdown).toContain("| `client_secret` | _(sensitive)_ | _(sensitive)_ |");
    expect(review.markdown).toContain("Reviews the Terraform plan `plan.json`.");
  });

  test("without a synth output, resources are named by address and the report says why", () => {
    const changeSet = changesFromPlan(fixture(), { label: "plan.json" });
    expect(changeSet.stacks[0].name).toBe("plan");
    expect(changeSet.stacks[0].changes[0].path).toBe(changeSet.stacks[0].changes[0].address);
    expect(changeSet.notes[0]).toMatch(/pass --head-out/);
  });
});

describe("changesFromPlan on small plans", () => {
  const plan = (change: Record<string, unknown>, extra: Record<string, unknown> = {}): TerraformPlan => ({
    format_version: "1.2",
    resource_changes: [{ address: "aws_x.y", mode: "managed", type: "aws_x", name: "y", ...extra, change: change as any }],
  });

  test("a tainted replacement says so", () => {
    const changeSet = changesFromPlan(
      plan({ actions: ["delete", "create"], before: { a: 1 }, after: { a: 1 } }, { action_reason: "replace_because_tainted" }),
      { label: "p" },
    );
    expect(changeSet.stacks[0].changes[0].replacedBecause).toEqual(["(the resource is tainted)"]);
  });

  test("nested sensitive and unknown values are masked in place", () => {
    const changeSet = changesFromPlan(
      plan({
        actions: ["update"],
        before: { env: { variables: { TOKEN: "abc", MODE: "a" } }, arn: "arn:1" },
        after: { env: { variables: { TOKEN: "def", MODE: "b" } } },
        after_unknown: { arn: true },
        before_sensitive: { env: { variables: { TOKEN: true } } },
        after_sensitive: { env: { variables: { TOKEN: true } } },
      }),
      { label: "p" },
    );
    expect(changeSet.stacks[0].changes[0].attributes).toEqual([
      { path: "arn", before: "arn:1", after: KNOWN_AFTER_APPLY, forcesReplacement: false },
      { path: "env.variables.MODE", before: "a", after: "b", forcesReplacement: false },
      { path: "env.variables.TOKEN", before: SENSITIVE, after: SENSITIVE, forcesReplacement: false },
    ]);
  });

  test("data sources and no-ops are not changes", () => {
    const none = changesFromPlan(plan({ actions: ["read"], before: null, after: {} }, { mode: "data" }), { label: "p" });
    expect(none.stacks).toEqual([]);
  });
});
