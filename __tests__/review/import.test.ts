import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformPlan, asPlan, constructIndex } from "../../review/load";
import { changesFromPlan } from "../../review/plan";
import { reviewChangeSet } from "../../review/run";
import { buildSummary } from "../../review/summary";
import { renderMarkdown } from "../../review/render-markdown";
import { flagged, reviewOutputs, synthOutputOf } from "../../testing/review";
import { exampleConfig } from "../../testing/synth";

const STACK = "scopegate-example";
const POOL_ID = "us-east-1_AbC123xyZ";
const ARN = `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${POOL_ID}`;

const ADOPT_ALL = {
  userPoolId: POOL_ID,
  domain: true,
  resourceServers: ["api.example.com"],
  clients: { web: "webclient123", machine: "machineclient123", legacy: "legacyclient123" },
  groups: ["readers", "writers"],
  users: ["alice", "bob", "svc-reports"],
};

const adopted = (adopt: Record<string, unknown> = ADOPT_ALL, mutate: (doc: Record<string, any>) => void = () => undefined) =>
  synthOutputOf(
    exampleConfig((doc) => {
      doc.adopt = adopt;
      mutate(doc);
    }),
  );

const attached = (arn = ARN) =>
  synthOutputOf(
    exampleConfig((doc) => {
      doc.userPool = { existing: { arn }, domainPrefix: "scopegate-example-auth" };
      doc.users = doc.users.map((user: any) => ({ username: user.username, existing: true }));
    }),
  );

/**
 * A real `terraform show -json` (Terraform 1.x, provider 5.100.0) of the example adopting an
 * emulated pool (cognito-local behind the test stand-in), trimmed to one resource per type,
 * planned before adopted clients ignored `generate_secret`: the clients are imported and replaced,
 * the pool imported and updated, the rest imported as they are. The emulator's client secret was
 * replaced by a placeholder.
 */
const importPlan = (): TerraformPlan =>
  asPlan(JSON.parse(readFileSync(join(__dirname, "fixtures", "plan-adopt-import.json"), "utf8")), "fixture");

describe("review of import blocks (synth outputs)", () => {
  test("a stack that starts by adopting shows each adopted resource as import, with its id, and the rest as add", () => {
    const { report, summary, markdown } = reviewOutputs({ stacks: new Map() }, adopted());
    const changes = summary.stacks[0]!.changes;
    const imports = changes.filter((c) => c.action === "import");
    expect(imports.map((c) => `${c.type} ${c.importId}`).sort()).toEqual(
      [
        `aws_cognito_user_pool ${POOL_ID}`,
        "aws_cognito_user_pool_domain scopegate-example-auth",
        `aws_cognito_resource_server ${POOL_ID}|api.example.com`,
        `aws_cognito_user_pool_client ${POOL_ID}/webclient123`,
        `aws_cognito_user_pool_client ${POOL_ID}/machineclient123`,
        `aws_cognito_user_pool_client ${POOL_ID}/legacyclient123`,
        `aws_cognito_user_group ${POOL_ID}/readers`,
        `aws_cognito_user_group ${POOL_ID}/writers`,
        `aws_cognito_user ${POOL_ID}/alice`,
        `aws_cognito_user ${POOL_ID}/bob`,
        `aws_cognito_user ${POOL_ID}/svc-reports`,
      ].sort(),
    );
    expect(changes.filter((c) => c.type.startsWith("aws_cognito") && c.action === "add").map((c) => c.type)).toEqual([
      "aws_cognito_user_in_group",
      "aws_cognito_user_in_group",
    ]);
    expect(summary.totals.import).toBe(11);
    expect(summary.totals.add).toBe(changes.length - 11);
    expect(markdown).toContain("| Stack | Add | Import | Change | Replace | Remove |");
    expect(markdown).toContain(`| \`${STACK}\` | ${changes.length - 11} | 11 | 0 | 0 | 0 |`);
    expect(markdown).toMatch(/#### Import \(11\)/);
    expect(markdown).toContain(`— imported from \`${POOL_ID}\``);
    expect(report.changeSet.notes.some((note) => note.startsWith("Resources shown as import exist already"))).toBe(true);
    // Nothing is destroyed, so nothing pool-wide is flagged.
    expect(flagged(report.flags, "user-pool-destroyed")).toEqual([]);
  });

  test("adopting later changes nothing in the stack: the blocks import what is already there", () => {
    const { summary } = reviewOutputs(adopted(), adopted({ ...ADOPT_ALL, groups: [] }));
    expect(summary.stacks).toEqual([]);
    expect(summary.notes).toEqual([]);
  });

  test("a change that replaces an adopted pool is critical and says the pool is the existing one", () => {
    const review = reviewOutputs(
      adopted(),
      adopted(ADOPT_ALL, (doc) => {
        doc.userPool.name = "another-name";
      }),
      "critical",
    );
    expect(flagged(review.report.flags, "user-pool-destroyed")).toEqual([
      expect.objectContaining({
        severity: "critical",
        path: `${STACK}/user-pool/pool`,
        summary: expect.stringContaining(`it is the existing pool ${POOL_ID} (adopted): its users exist only there`),
      }),
    ]);
    expect(review.exitCode).toBe(1);
  });
});

describe("risks of an imported resource (synth outputs)", () => {
  test("a weak setting on an adopted pool is flagged as for a new one, and says imported", () => {
    const review = reviewOutputs(
      { stacks: new Map() },
      adopted(ADOPT_ALL, (doc) => {
        doc.userPool.mfa = "OFF";
      }),
    );
    expect(flagged(review.report.flags, "mfa-weakened")).toEqual([
      expect.objectContaining({
        severity: "high",
        summary: expect.stringMatching(/^imported with mfa_configuration = OFF \(npm run check: SG-USERPOOL-002 high/),
      }),
    ]);
  });
});

describe("review of an attached pool that stops being attached", () => {
  test("attached → the stack creates its pool: critical, once per resource server, naming the attached pool", () => {
    const review = reviewOutputs(attached(), synthOutputOf(), "critical");
    expect(flagged(review.report.flags, "attached-pool-changed")).toEqual([
      {
        severity: "critical",
        path: `${STACK}/resource-server-api.example.com/server`,
        attribute: "user_pool_id",
        summary: `user_pool_id ${POOL_ID} → a pool the stack creates: everything the stack made in the attached pool is re-created in the new one`,
      },
    ]);
    expect(review.exitCode).toBe(1);
  });

  test("attached → adopting the same pool: the resources stay in it, nothing is flagged about the pool", () => {
    const review = reviewOutputs(attached(), adopted({ userPoolId: POOL_ID }), "critical");
    expect(flagged(review.report.flags, "attached-pool-changed")).toEqual([]);
    const server = review.summary.stacks[0]!.changes.find((c) => c.type === "aws_cognito_resource_server");
    expect(server).toBeUndefined();
  });

  test("attached → adopting another pool is still a move", () => {
    const other = "us-east-1_ZyX321cbA";
    const review = reviewOutputs(attached(), adopted({ userPoolId: other }), "critical");
    expect(flagged(review.report.flags, "attached-pool-changed").map((f) => f.summary)).toEqual([
      `user_pool_id ${POOL_ID} → ${other}: everything the stack made in the pool is re-created in another one`,
    ]);
  });
});

describe("review of a plan that imports", () => {
  const changeSet = () => changesFromPlan(importPlan(), { label: "plan.json", index: constructIndex(synthOutputOf()) });

  test("imports kept or updated are import (with the updates listed); imported and replaced stay replace; no-ops that import are kept", () => {
    const byType = new Map(changeSet().stacks[0]!.changes.map((c) => [c.type, c] as const));
    expect(byType.get("aws_cognito_user")).toMatchObject({ action: "import", importId: "local_5BCNvQuV/alice", attributes: [] });
    expect(byType.get("aws_cognito_user_pool_domain")).toMatchObject({ action: "import", importId: "scopegate-example-auth" });
    const pool = byType.get("aws_cognito_user_pool")!;
    expect(pool).toMatchObject({ action: "import", importId: "local_5BCNvQuV" });
    expect(pool.attributes.map((a) => a.path)).toContain("deletion_protection");
    const client = changeSet().stacks[0]!.changes.find((c) => c.type === "aws_cognito_user_pool_client")!;
    expect(client).toMatchObject({ action: "replace", replacedBecause: ["generate_secret"] });
    expect(client.importId).toMatch(/^local_5BCNvQuV\//);
    expect(byType.get("aws_cognito_user_in_group")).toMatchObject({ action: "add" });
    expect(byType.get("aws_cognito_user_in_group")!.importId).toBeUndefined();
  });

  test("the JSON and the Markdown show import as an action, and flag the replaced imported clients", () => {
    const run = reviewChangeSet(changeSet(), { failOn: "high" });
    const summary = buildSummary(run.report);
    expect(summary.totals).toEqual({ add: 2, import: 5, change: 0, replace: 3, remove: 0 });
    const markdown = renderMarkdown(run.report);
    expect(markdown).toMatch(/#### Import \(5\)/);
    expect(markdown).toContain(
      "**← `scopegate-example/user-pool/pool`** `aws_cognito_user_pool.user-pool_54D4728B` — imported from `local_5BCNvQuV`",
    );
    expect(flagged(run.report.flags, "app-client-destroyed").length).toBe(3);
  });

  test("a plan that imports and replaces the pool is critical (user-pool-destroyed), naming the adopted pool", () => {
    const plan = importPlan() as any;
    const pool = plan.resource_changes.find((c: any) => c.type === "aws_cognito_user_pool");
    // Edited: the same import, but planned for replacement as a differing username_attributes would force it.
    pool.change.actions = ["delete", "create"];
    pool.change.replace_paths = [["username_attributes"]];
    const run = reviewChangeSet(changesFromPlan(plan, { label: "plan.json", index: constructIndex(synthOutputOf()) }), {
      failOn: "critical",
    });
    expect(flagged(run.report.flags, "user-pool-destroyed")).toEqual([
      expect.objectContaining({
        severity: "critical",
        summary: expect.stringContaining("it is the existing pool local_5BCNvQuV (adopted)"),
      }),
    ]);
    expect(run.exitCode).toBe(1);
  });
});
