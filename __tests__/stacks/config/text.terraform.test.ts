import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHandoff } from "../../../handoff/cli";
import { PROJECT_ROOT, synthOutput } from "../../../testing/app";
import { API_NAME, accepted, documentWith, scopeTexts } from "../../../testing/configuration-text";
import { describeWithTerraform, planAlone } from "../../../testing/terraform";

// The accepted configuration text planned by Terraform; the gate over the same strings is in text.test.ts.

/** Group descriptions and scope descriptions as a plan sets them. */
async function plannedTexts(
  tf: Parameters<typeof planAlone>[0],
  dir: string,
): Promise<{ groups: Record<string, string>; scopes: Record<string, string>; logGroups: string[]; roles: string[] }> {
  const { plan } = await planAlone(tf, dir);
  const after = (type: string) => (plan.resource_changes as any[]).filter((c) => c.type === type).map((c) => c.change.after);
  const groups = Object.fromEntries(after("aws_cognito_user_group").map((g) => [g.name as string, g.description as string]));
  const scopes = Object.fromEntries(
    after("aws_cognito_resource_server").flatMap((server) =>
      (server.scope as { scope_name: string; scope_description: string }[]).map((s) => [s.scope_name, s.scope_description]),
    ),
  );
  const logGroups = after("aws_cloudwatch_log_group").map((g) => g.name as string);
  const roles = after("aws_iam_role").map((r) => r.name as string);
  return { groups, scopes, logGroups, roles };
}

describeWithTerraform("configuration text under Terraform (offline plan)", (tf) => {
  const expected = {
    groups: Object.fromEntries(accepted.map((s, i) => [`text-${i}`, s])),
    scopes: Object.fromEntries(scopeTexts.map((s, i) => [`text-${i}`, s])),
  };
  let fromJson: Awaited<ReturnType<typeof plannedTexts>>;
  let fromHcl: Awaited<ReturnType<typeof plannedTexts>>;

  beforeAll(async () => {
    // GIVEN one configuration holding every accepted string, synthesized and handed off
    const file = join(mkdtempSync(join(tmpdir(), "scopegate-text-config-")), "config.json");
    writeFileSync(file, JSON.stringify(documentWith(accepted, scopeTexts)));
    const synth = { outdir: synthOutput(file) };
    const handoffOut = join(mkdtempSync(join(tmpdir(), "scopegate-text-handoff-")), "handoff");
    const handoff = await runHandoff(["--from", synth.outdir, "--out", handoffOut], PROJECT_ROOT, { SCOPEGATE_CONFIG: file });
    if (handoff.status !== 0) throw new Error(`handoff failed: ${handoff.stderr}`);
    // WHEN Terraform plans the stack's JSON and its hand-off HCL
    [fromJson, fromHcl] = await Promise.all([
      plannedTexts(tf, join(synth.outdir, "stacks", "scopegate-example")),
      plannedTexts(tf, join(handoffOut, "scopegate-example")),
    ]);
  }, 600000);

  test("from cdk.tf.json, every planned text is the configured text, exactly", () => {
    // THEN Terraform evaluated nothing: each value is the literal text
    expect(pick(fromJson.groups, expected.groups)).toEqual(expected.groups);
    expect(pick(fromJson.scopes, expected.scopes)).toEqual(expected.scopes);
  });

  test("the longest api.name accepted with every allowed character plans as a log group and an IAM role name", () => {
    expect(API_NAME).toHaveLength(53);
    for (const planned of [fromJson, fromHcl]) {
      expect(planned.logGroups).toContain(`/aws/apigateway/${API_NAME}/v1/access`);
      expect(planned.roles).toContain(`${API_NAME}-apigw-logs`);
    }
  });

  test("from the hand-off's HCL, every planned text is the configured text, exactly", () => {
    expect(pick(fromHcl.groups, expected.groups)).toEqual(expected.groups);
    expect(pick(fromHcl.scopes, expected.scopes)).toEqual(expected.scopes);
  });
});

/** The entries of `values` under the keys of `expected` (the example's own groups and scopes left out). */
function pick(values: Record<string, string>, expected: Record<string, string>): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(expected).map((key) => [key, values[key]]));
}
