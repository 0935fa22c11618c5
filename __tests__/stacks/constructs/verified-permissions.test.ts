/**
 * The opt-in export of the Cedar twin to Amazon Verified Permissions: what the stack adds, and that
 * it changes nothing else (the authorizer above all).
 */
import { renderCedarTwin } from "../../../stacks/cedar/render";
import { parseConfig } from "../../../stacks/config/parse";
import { POLICY_DESCRIPTION_MAX_LENGTH, policyConstructId, policyDescription } from "../../../stacks/constructs/verified-permissions";
import { configIssues, exampleDocument } from "../../../testing/config";
import { resourcesOf, synthStack } from "../../../testing/synth";

const AVP_TYPES = [
  "aws_verifiedpermissions_policy_store",
  "aws_verifiedpermissions_schema",
  "aws_verifiedpermissions_policy",
  "aws_verifiedpermissions_identity_source",
];

function exported(): { config: ReturnType<typeof parseConfig>; tf: any } {
  const doc = exampleDocument();
  doc.verifiedPermissions = { export: true };
  const config = parseConfig(doc, "the example with the export");
  return { config, tf: synthStack(config).tf };
}

describe("verifiedPermissions.export", () => {
  test("is off by default: no Verified Permissions resource", () => {
    const config = parseConfig(exampleDocument(), "the example");
    expect(config.verifiedPermissions).toEqual({ export: false });
    const { tf } = synthStack(config);
    for (const type of AVP_TYPES) expect(resourcesOf(tf, type)).toEqual({});
  });

  test("is refused with its path when not a boolean, or with an unknown field", () => {
    const doc = exampleDocument();
    doc.verifiedPermissions = { export: "yes", store: "x" };
    expect(configIssues(doc)).toEqual([
      { path: "verifiedPermissions.store", message: "unknown field; allowed fields here: export" },
      { path: "verifiedPermissions.export", message: 'must be true or false, got "yes"' },
    ]);
  });

  test("adds a STRICT policy store, the twin's schema, one static policy per twin policy, and an identity source for the pool", () => {
    const { config, tf } = exported();
    const twin = renderCedarTwin(config);
    const [store] = Object.values(resourcesOf(tf, "aws_verifiedpermissions_policy_store")) as any[];
    expect(store.validation_settings).toEqual([{ mode: "STRICT" }]);
    const [schema] = Object.values(resourcesOf(tf, "aws_verifiedpermissions_schema")) as any[];
    expect(JSON.parse(schema.definition.value)).toEqual(twin.schema);
    expect(schema.policy_store_id).toMatch(/^\$\{aws_verifiedpermissions_policy_store\.[^.]+\.policy_store_id\}$/);
    const policies = Object.values(resourcesOf(tf, "aws_verifiedpermissions_policy")) as any[];
    expect(policies.map((policy) => policy.definition[0].static[0])).toEqual(
      expect.arrayContaining(twin.policies.map((policy) => ({ statement: policy.statement, description: policy.id }))),
    );
    expect(policies).toHaveLength(twin.policies.length);
    for (const policy of policies) expect(policy.depends_on).toEqual([expect.stringMatching(/^aws_verifiedpermissions_schema\./)]);
    const [source] = Object.values(resourcesOf(tf, "aws_verifiedpermissions_identity_source")) as any[];
    expect(source.principal_entity_type).toBe("Scopegate::User");
    const pool = source.configuration[0].cognito_user_pool_configuration[0];
    expect(pool.user_pool_arn).toMatch(/^\$\{aws_cognito_user_pool\.[^.]+\.arn\}$/);
    // The browser and machine clients, as the authorizer's APP_CLIENT_IDS: not the legacy one.
    expect(pool.client_ids).toEqual([
      expect.stringMatching(/^\$\{aws_cognito_user_pool_client\.client-web_/),
      expect.stringMatching(/^\$\{aws_cognito_user_pool_client\.client-machine_/),
    ]);
  });

  test("changes nothing else: every other resource, the authorizer's included, is the same", () => {
    const without = synthStack(parseConfig(exampleDocument(), "the example")).tf;
    const { tf } = exported();
    const others = (json: any) => Object.fromEntries(Object.entries(json.resource).filter(([type]) => !AVP_TYPES.includes(type)));
    expect(others(tf)).toEqual(others(without));
  });

  test("a policy's description is its @id, cut to Verified Permissions' 150 characters on a long path", () => {
    expect(policyDescription("GET /items lambda basic")).toBe("GET /items lambda basic");
    const long = `GET /${"segment/".repeat(20)}end lambda access-token`;
    expect(policyDescription(long)).toHaveLength(POLICY_DESCRIPTION_MAX_LENGTH);
    expect(policyDescription(long)).toBe(`${long.slice(0, 149)}…`);
    expect(policyDescription(long.slice(0, 150))).toBe(long.slice(0, 150));
  });

  test("names each policy's construct by its @id, so adding a route renames no other policy", () => {
    expect(policyConstructId("GET /items/{id} lambda access-token")).toMatch(/^policy-get-items-id-lambda-access-token-[0-9a-f]{8}$/);
    expect(policyConstructId("GET /a-b lambda basic")).not.toBe(policyConstructId("GET /a/b lambda basic"));
  });
});
