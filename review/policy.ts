/**
 * What an IAM policy document allows, as a set of permissions (effect × action × resource ×
 * condition), so that two versions can be compared: a permission of the new version that no
 * permission of the old one covers widens the policy. Wildcards are matched the way IAM matches
 * them (`*` and `?`; actions case-insensitively).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 * @packageDocumentation
 */
import { statementsOfPolicyJson } from "../core/terraform-json/iam";
import { UNKNOWN } from "../core/terraform-json/values";

/** One permission of a policy: a single action on a single resource, under a condition. */
export interface Permission {
  readonly effect: "Allow" | "Deny";
  /** An action pattern, e.g. `dynamodb:GetItem`, `dynamodb:*`; `NOT(…)` for a `NotAction`. */
  readonly action: string;
  /** A resource pattern; `NOT(…)` for a `NotResource`. */
  readonly resource: string;
  /** The statement's conditions as one text (`conditionText` of the policy reader); empty when none. */
  readonly condition: string;
}

/**
 * The permissions of a policy document (a JSON string, read by the one IAM policy reader), or
 * `undefined` when the value is not a readable policy (e.g. known only after apply). Values are
 * compared as written, so `${aws_x.y.arn}` is the same resource in both versions. A statement whose
 * Effect is not a literal `Deny` may allow; one without `Action` (or `Resource`) counts as `*`.
 */
export function permissionsOf(document: unknown): Permission[] | undefined {
  const statements = statementsOfPolicyJson(document);
  if (statements === undefined || statements === UNKNOWN) return undefined;
  const permissions: Permission[] = [];
  for (const statement of statements) {
    const effect = statement.effect === "Deny" ? "Deny" : "Allow";
    const actions = patterns(statement.written.actions, statement.written.notActions);
    const resources = patterns(statement.written.resources, statement.written.notResources);
    const condition = statement.conditionText;
    for (const action of actions) for (const resource of resources) permissions.push({ effect, action, resource, condition });
  }
  return permissions;
}

function patterns(positive: readonly string[] | undefined, negative: readonly string[] | undefined): string[] {
  if (negative !== undefined) return [`NOT(${[...negative].sort().join(",")})`];
  return positive !== undefined && positive.length > 0 ? [...positive] : ["*"];
}

/**
 * The permissions by which `after` allows more than `before`: Allow permissions that no Allow of
 * `before` covers, and Deny permissions of `before` that `after` drops.
 */
export function widening(before: readonly Permission[], after: readonly Permission[]): Permission[] {
  const added = after.filter((p) => p.effect === "Allow" && !before.some((q) => q.effect === "Allow" && covers(q, p)));
  const liftedDenies = before.filter((p) => p.effect === "Deny" && !after.some((q) => q.effect === "Deny" && covers(q, p)));
  return [...added, ...liftedDenies];
}

/** Whether a permission uses a wildcard action or resource. */
export function isWildcard(permission: Permission): boolean {
  return (
    permission.action.includes("*") ||
    permission.resource === "*" ||
    permission.action.startsWith("NOT(") ||
    permission.resource.startsWith("NOT(")
  );
}

/** One line per permission: `Allow dynamodb:* on arn:…` (conditions noted). */
export function describePermission(permission: Permission): string {
  const lifted = permission.effect === "Deny" ? "no longer denied: " : "";
  return `${lifted}${permission.action} on ${permission.resource}${permission.condition === "" ? "" : " (with condition)"}`;
}

/** Whether `general` allows (or denies) everything `specific` does. */
function covers(general: Permission, specific: Permission): boolean {
  if (general.condition !== "" && general.condition !== specific.condition) return false;
  return matches(general.action, specific.action, true) && matches(general.resource, specific.resource, false);
}

function matches(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern.startsWith("NOT(") || value.startsWith("NOT(")) return pattern === value;
  return wildcardMatches(pattern, value, { ignoreCase });
}

/**
 * Whether an IAM wildcard pattern matches a value the way IAM matches action and resource
 * patterns: `*` any run of characters (`/` included), `?` any one character, everything else
 * literally.
 *
 * @param pattern - e.g. `dynamodb:Get*`, `arn:aws:execute-api:*:123456789012:abc/*`
 * @param value - the action or ARN to test
 * @param options - `ignoreCase` for actions (IAM compares them case-insensitively)
 * @returns true when the pattern covers the value
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards
 */
export function wildcardMatches(pattern: string, value: string, options: { readonly ignoreCase?: boolean } = {}): boolean {
  if (pattern === value) return true;
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    options.ignoreCase === true ? "i" : "",
  );
  return regex.test(value);
}
