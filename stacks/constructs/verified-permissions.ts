import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { VerifiedpermissionsIdentitySource } from "@cdktf/provider-aws/lib/verifiedpermissions-identity-source";
import { VerifiedpermissionsPolicy } from "@cdktf/provider-aws/lib/verifiedpermissions-policy";
import { VerifiedpermissionsPolicyStore } from "@cdktf/provider-aws/lib/verifiedpermissions-policy-store";
import { VerifiedpermissionsSchema } from "@cdktf/provider-aws/lib/verifiedpermissions-schema";
import { CEDAR_NAMESPACE, type CedarTwin } from "../cedar/render";

/** Props of {@link VerifiedPermissionsExport}. */
export interface VerifiedPermissionsExportProps {
  /** The stack's Cedar twin (`matrix/cedar/render.ts`): the same files synth writes under `cedar/`. */
  readonly twin: CedarTwin;
  /** The user pool whose tokens the identity source accepts. */
  readonly userPoolArn: string;
  /** The app clients whose tokens it accepts: the browser and machine clients (the authorizer's `APP_CLIENT_IDS`). */
  readonly clientIds: readonly string[];
}

/** Verified Permissions' longest policy description (`StaticPolicyDefinition.description`). */
export const POLICY_DESCRIPTION_MAX_LENGTH = 150;

/**
 * A policy's description: its `@id`, cut to {@link POLICY_DESCRIPTION_MAX_LENGTH} with `…` when a
 * long resource path makes it longer (the statement names the route in full).
 *
 * @see https://docs.aws.amazon.com/verifiedpermissions/latest/apireference/API_StaticPolicyDefinition.html
 */
export function policyDescription(policyId: string): string {
  return policyId.length <= POLICY_DESCRIPTION_MAX_LENGTH ? policyId : `${policyId.slice(0, POLICY_DESCRIPTION_MAX_LENGTH - 1)}…`;
}

/**
 * The construct id of a policy: readable, and stable while the policy's `@id` is (its route key,
 * guard and credential), so adding a route never renames another route's policy.
 */
export function policyConstructId(policyId: string): string {
  const slug = policyId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `policy-${slug}-${createHash("sha256").update(policyId).digest("hex").slice(0, 8)}`;
}

/**
 * The stack's Cedar twin as an Amazon Verified Permissions policy store: the store (validation mode
 * STRICT, so AVP itself refuses a policy that does not fit the schema), the schema, one static
 * policy per policy of the twin (its `@id` as the description, see {@link policyDescription}; AVP
 * keeps its own policy ids), and a
 * Cognito identity source for the pool, whose tokens map to `Scopegate::User`. Opt-in
 * (`verifiedPermissions.export`); nothing in the authorizer uses it.
 *
 * @see https://docs.aws.amazon.com/verifiedpermissions/latest/userguide/policy-stores.html
 */
export class VerifiedPermissionsExport extends Construct {
  readonly store: VerifiedpermissionsPolicyStore;
  readonly schema: VerifiedpermissionsSchema;
  readonly policies: readonly VerifiedpermissionsPolicy[];
  readonly identitySource: VerifiedpermissionsIdentitySource;

  constructor(scope: Construct, id: string, props: VerifiedPermissionsExportProps) {
    super(scope, id);
    const { twin } = props;
    this.store = new VerifiedpermissionsPolicyStore(this, "policy-store", {
      description: `The Cedar twin of the scopegate stack ${twin.stack}`,
      validationSettings: [{ mode: "STRICT" }],
    });
    const policyStoreId = this.store.policyStoreId;
    this.schema = new VerifiedpermissionsSchema(this, "schema", {
      policyStoreId,
      definition: { value: JSON.stringify(twin.schema) },
    });
    // STRICT validation checks each policy against the schema: it must exist first.
    this.policies = twin.policies.map(
      (policy) =>
        new VerifiedpermissionsPolicy(this, policyConstructId(policy.id), {
          policyStoreId,
          definition: [{ static: [{ statement: policy.statement, description: policyDescription(policy.id) }] }],
          dependsOn: [this.schema],
        }),
    );
    this.identitySource = new VerifiedpermissionsIdentitySource(this, "identity-source", {
      policyStoreId,
      principalEntityType: `${CEDAR_NAMESPACE}::User`,
      configuration: [{ cognitoUserPoolConfiguration: [{ userPoolArn: props.userPoolArn, clientIds: [...props.clientIds] }] }],
    });
  }
}
