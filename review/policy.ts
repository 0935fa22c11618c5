/**
 * What an IAM policy document allows, as a set of permissions (effect × action × resource ×
 * condition), so that two versions can be compared: a permission of the new version that no
 * permission of the old one covers widens the policy. Wildcards are matched the way IAM matches
 * them (`*` and `?`; actions case-insensitively).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 * @packageDocumentation
 */
import { jsonDocument } from "./values";
import { isJsonObject } from "../core/json";

/** One permission of a policy: a single action on a single resource, under a condition. */
export interface Permission {
  readonly effect: "Allow" | "Deny";
  /** An action pattern, e.g. `dynamodb:GetItem`, `dynamodb:*`; `NOT(…)` for a `NotAction`. */
  readonly action: string;
  /** A resource pattern; `NOT(…)` for a `NotResource`. */
  readonly resource: string;
  /** The statement's `Condition` as JSON; empty when none. */
  readonly condition: string;
}

/**
 * The permissions of a policy document (a JSON string), or `undefined` when the value is not a
 * readable policy (e.g. known only after apply).
 */
export function permissionsOf(document: unknown): Permission[] | undefined {
  const policy = jsonDocument(document);
  if (!isJsonObject(policy)) return undefined;
  const statements = Array.isArray(policy.Statement) ? policy.Statement : isJsonObject(policy.Statement) ? [policy.Statement] : undefined;
  if (statements === undefined) return undefined;
  const permissions: Permission[] = [];
  for (const statement of statements) {
    if (!isJsonObject(statement)) return undefined;
    const effect = statement.Effect === "Deny" ? "Deny" : "Allow";
    const actions = patterns(statement.Action, statement.NotAction);
    const resources = patterns(statement.Resource, statement.NotResource);
    const condition = statement.Condition === undefined ? "" : JSON.stringify(statement.Condition);
    for (const action of actions) for (const resource of resources) permissions.push({ effect, action, resource, condition });
  }
  return permissions;
}

function patterns(positive: unknown, negative: unknown): string[] {
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
  if (negative !== undefined) return [`NOT(${list(negative).sort().join(",")})`];
  const values = list(positive);
  return values.length > 0 ? values : ["*"];
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
