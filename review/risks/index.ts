/**
 * The risk rules: what in a change set deserves a reviewer's attention, how much, and why. Each
 * rule has a stable id, a severity and a one-line reason (the catalog {@link RISK_RULES}); each
 * finding names the resource by construct path and the attribute concerned.
 *
 * Rules compare the values before and after. For a resource that is new, rules about weakening
 * judge the new value against the secure one (at a lower severity where noted), and rules about
 * widening treat everything it allows as gained.
 *
 * @packageDocumentation
 */
import { compareSeverity } from "../../core/severity";
import { reviewGrants } from "../grants";
import { AcceptedFinding, ChangeSet, GrantChange, RiskFlag } from "../model";
import { methodGuard, methodScopes } from "./api-gateway";
import { Check, Report, destroyed, protectionOff } from "./check";
import {
  attachedPoolChanged,
  existenceErrors,
  implicitFlow,
  mfaWeakened,
  passwordFlow,
  revocationOff,
  schemaChanged,
  scopeAdded,
  validityLonger,
} from "./cognito";
import { grantsTableDestroyed } from "./dynamodb";
import { policyWidened } from "./iam";
import { basicUsersChanged, codeChanged, invokePermission, lambdaRouteScopes } from "./lambda";
import { RISK_RULES, RiskRule, RiskRuleId } from "./rules";
import { evaluationRisks } from "./terraform";
import { checkDiff, mergeCheckFlags } from "./check-findings";
import type { SynthOutput } from "../load";

export { RISK_RULES, type RiskRule, type RiskRuleId } from "./rules";

const RULES = new Map<string, RiskRule>(RISK_RULES.map((rule) => [rule.id, rule]));

/** The findings of a review: risk flags and grant changes. */
export interface RiskAssessment {
  /** Most severe first. */
  readonly flags: readonly RiskFlag[];
  readonly grants: readonly GrantChange[];
  /** Check findings the head suppresses with a reason (shown, not counted). */
  readonly accepted: readonly AcceptedFinding[];
}

/**
 * Applies every rule to a change set.
 *
 * @param head the head's synth output, when there is one: what it makes Terraform do is flagged
 *   (`SG-TF-001`) whether or not it changed, and every `npm run check` finding it brings is a flag
 *   (see `check-findings.ts`) @default none (a plan without `--head-out`)
 * @param base the base's synth output, whose check findings are not new @default none (every
 *   finding of the head is new)
 */
export function assessRisks(changeSet: ChangeSet, head?: SynthOutput, base?: SynthOutput): RiskAssessment {
  let flags: RiskFlag[] = head === undefined ? [] : evaluationRisks(head);
  const grants: GrantChange[] = [];
  for (const stack of changeSet.stacks) {
    for (const change of stack.changes) {
      const report: Report = (rule, attribute, summary, severity) => {
        const definition = RULES.get(rule) as RiskRule;
        flags.push({
          rule,
          severity: severity ?? definition.severity,
          stack: stack.name,
          path: change.path,
          address: change.address,
          attribute,
          summary,
          why: definition.why,
        });
      };
      for (const check of CHECKS[change.type] ?? []) check(change, report);
    }
    const review = reviewGrants(stack);
    grants.push(...review.changes);
    for (const grant of review.changes) {
      const rule: RiskRuleId = grant.kind === "added" ? "grant-added" : "grant-removed";
      const definition = RULES.get(rule) as RiskRule;
      const verb = grant.kind === "added" ? "gains" : "loses";
      flags.push({
        rule,
        severity: definition.severity,
        stack: stack.name,
        path: grant.path,
        address: grant.address,
        attribute: "item",
        summary: `${grant.principal} ${verb} ${grant.route}`,
        why: definition.why,
      });
    }
    for (const item of review.unreadable) {
      const definition = RULES.get("grants-unreadable") as RiskRule;
      flags.push({
        rule: definition.id,
        severity: definition.severity,
        stack: stack.name,
        path: item.path,
        address: item.address,
        attribute: "item",
        summary: "grant item value known only after apply",
        why: definition.why,
      });
    }
  }
  const fromCheck = head === undefined ? { flags: [], accepted: [] } : checkDiff(base, head);
  flags = mergeCheckFlags(flags, fromCheck.flags);
  flags.sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      a.stack.localeCompare(b.stack) ||
      a.path.localeCompare(b.path) ||
      a.rule.localeCompare(b.rule) ||
      a.summary.localeCompare(b.summary),
  );
  return { flags, grants, accepted: fromCheck.accepted };
}

/** The checks of each resource type. */
const CHECKS: Readonly<Record<string, readonly Check[]>> = {
  aws_cognito_user_pool: [
    destroyed("user-pool-destroyed"),
    protectionOff("deletion_protection", (v) => v === "ACTIVE"),
    mfaWeakened,
    schemaChanged,
  ],
  aws_cognito_user_pool_client: [
    destroyed("app-client-destroyed"),
    existenceErrors,
    revocationOff,
    implicitFlow,
    passwordFlow,
    scopeAdded,
    validityLonger,
  ],
  aws_cognito_resource_server: [destroyed("resource-server-destroyed"), attachedPoolChanged],
  aws_cognito_user: [destroyed("user-destroyed")],
  aws_cognito_user_pool_domain: [destroyed("hosted-ui-domain-replaced")],
  aws_dynamodb_table: [grantsTableDestroyed, protectionOff("deletion_protection_enabled", (v) => v === true)],
  aws_api_gateway_method: [methodGuard, methodScopes],
  aws_iam_role_policy: [policyWidened],
  aws_iam_policy: [policyWidened],
  aws_lambda_permission: [invokePermission],
  aws_lambda_function: [codeChanged, lambdaRouteScopes, basicUsersChanged],
  terraform_data: [lambdaRouteScopes],
};
