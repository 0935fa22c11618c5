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
import { reviewGrants } from "./grants";
import { ChangeSet, GrantChange, ResourceChange, RiskFlag, SENSITIVE, SEVERITIES, Severity, UNKNOWN } from "./model";
import { describePermission, isWildcard, permissionsOf, widening } from "./policy";
import { block, isObject, sameValue, stringList } from "./values";
import { BASIC_USERS_VARIABLE, basicUsernameKey, parseBasicUsers } from "../functions/authorizer/basic-users";

/** A risk rule as documented: id, worst severity, what triggers it, and why it matters. */
export interface RiskRule {
  readonly id: string;
  /** The severity of a finding (some rules report lower for a new resource: see `trigger`). */
  readonly severity: Severity;
  readonly title: string;
  readonly trigger: string;
  readonly why: string;
}

/** Every rule the review applies, most severe first. */
export const RISK_RULES = [
  {
    id: "user-pool-destroyed",
    severity: "critical",
    title: "User pool replaced or removed",
    trigger: "aws_cognito_user_pool replaced (e.g. username_attributes, alias_attributes, username_configuration, name) or removed",
    why: "A new pool starts empty: every user, password and MFA device is lost, and tokens of the old pool stop validating.",
  },
  {
    id: "app-client-destroyed",
    severity: "high",
    title: "App client replaced or removed",
    trigger: "aws_cognito_user_pool_client replaced (generate_secret, user_pool_id) or removed",
    why: "The client gets a new id (and secret): every app using it must be reconfigured, and its refresh tokens stop working.",
  },
  {
    id: "grants-table-destroyed",
    severity: "high",
    title: "Grants table replaced or removed",
    trigger: "the authorization table (aws_dynamodb_table) replaced (name, hash_key, range_key) or removed",
    why: "Every grant goes with the table: the authorizer denies until Terraform writes the items again, and grants written outside Terraform are lost.",
  },
  {
    id: "resource-server-destroyed",
    severity: "high",
    title: "Resource server replaced or removed",
    trigger: "aws_cognito_resource_server replaced (identifier, user_pool_id) or removed",
    why: "Its scopes disappear or get new names: clients asking for them, methods requiring them and tokens already issued stop matching.",
  },
  {
    id: "deletion-protection-off",
    severity: "high",
    title: "Deletion protection turned off",
    trigger:
      "user pool deletion_protection ACTIVE → INACTIVE, or table deletion_protection_enabled true → false (medium when a new resource has none)",
    why: "Nothing then stops a later change or a destroy from deleting every user (pool) or every grant (table).",
  },
  {
    id: "mfa-weakened",
    severity: "high",
    title: "MFA weakened",
    trigger: "mfa_configuration ON → OPTIONAL → OFF (medium when a new pool has OFF)",
    why: "Accounts that had to present a second factor can then sign in with a password alone.",
  },
  {
    id: "user-pool-schema-changed",
    severity: "high",
    title: "User pool attribute changed or removed",
    trigger: "an entry of the user pool's schema changed or removed",
    why: "Cognito cannot change or remove attributes: the plan shows an in-place update, but apply fails.",
  },
  {
    id: "user-existence-errors",
    severity: "high",
    title: "User existence errors revealed",
    trigger: "client prevent_user_existence_errors ENABLED → anything else (medium when a new client is not ENABLED)",
    why: "Sign-in and password-recovery answers then tell whether a username exists, which lets anyone enumerate accounts.",
  },
  {
    id: "token-revocation-off",
    severity: "high",
    title: "Token revocation turned off",
    trigger: "client enable_token_revocation true → false (medium when a new client has it off)",
    why: "Refresh tokens can then no longer be revoked (sign-out, a stolen device) before they expire.",
  },
  {
    id: "implicit-flow-added",
    severity: "high",
    title: "Implicit flow enabled",
    trigger: "client allowed_oauth_flows gains implicit",
    why: "Tokens are then returned in the URL fragment (browser history, referrers, logs), without PKCE.",
  },
  {
    id: "password-flow-added",
    severity: "high",
    title: "Password flow enabled",
    trigger: "client explicit_auth_flows gains ALLOW_USER_PASSWORD_AUTH (high) or ALLOW_ADMIN_USER_PASSWORD_AUTH (medium)",
    why: "The client then accepts a plain password (no SRP) from anyone holding its id (USER_PASSWORD) or IAM credentials (ADMIN_USER_PASSWORD): guessing and phishing get easier.",
  },
  {
    id: "method-unguarded",
    severity: "high",
    title: "Method without authorization",
    trigger: "aws_api_gateway_method authorization becomes NONE (or a new method has NONE)",
    why: "Anyone who can reach the API can call the route, with no token at all.",
  },
  {
    id: "method-authorizer-changed",
    severity: "high",
    title: "Method changes authorizer",
    trigger: "method authorization COGNITO_USER_POOLS ↔ CUSTOM (or another authorizer_id)",
    why: "Requests are then judged by other rules (token scopes for Cognito, DynamoDB grants for the Lambda authorizer): callers that passed may fail and others may pass.",
  },
  {
    id: "lambda-route-scopes-removed",
    severity: "high",
    title: "Lambda route no longer requires scopes",
    trigger: "a route in the Lambda authorizer's ROUTE_SCOPES (its package settings) goes from one or more scopes to none",
    why: "Any access token of a trusted client whose principal holds a grant for the route then passes, whatever its scopes.",
  },
  {
    id: "method-scopes-removed",
    severity: "high",
    title: "Method no longer requires scopes",
    trigger: "a Cognito-guarded method's authorization_scopes become empty",
    why: "Without scopes the Cognito authorizer accepts any valid ID token of the pool, whatever the client or scope.",
  },
  {
    id: "iam-policy-widened",
    severity: "high",
    title: "IAM policy widened",
    trigger: "a role policy allows new actions or resources, or drops a Deny (medium for a new policy); wildcards named",
    why: "The role (the Lambda authorizer's) can then do more than before; a wildcard grants more than the code needs.",
  },
  {
    id: "invoke-permission-widened",
    severity: "high",
    title: "Lambda invoke permission widened",
    trigger: "aws_lambda_permission source_arn removed or broadened, principal becomes *, or a new service permission without source_arn",
    why: "Other APIs or authorizers (even in other accounts) could then invoke the function and probe it.",
  },
  {
    id: "basic-user-designated",
    severity: "high",
    title: "Account designated for Basic",
    trigger: "the authorizer's BASIC_USERS gains a name (appClients[].basicUsers of the legacy client; medium for a new function)",
    why: "The account may then call the API with its password alone over Basic (no MFA, no token scope: a grant alone decides).",
  },
  {
    id: "scope-added",
    severity: "medium",
    title: "Client gains a scope",
    trigger: "client allowed_oauth_scopes gains a scope",
    why: "Tokens of this client then pass every method that requires the scope.",
  },
  {
    id: "method-scopes-added",
    severity: "medium",
    title: "Method accepts another scope",
    trigger: "a Cognito-guarded method's authorization_scopes gain a scope",
    why: "One of a method's scopes suffices: tokens carrying only the new scope now pass too.",
  },
  {
    id: "grant-added",
    severity: "medium",
    title: "Grant added",
    trigger: "a principal gains a route in the grants table",
    why: "The principal can call the route through the Lambda authorizer: access is widened.",
  },
  {
    id: "token-validity-longer",
    severity: "medium",
    title: "Token validity longer",
    trigger: "client access, ID or refresh token validity grows (units normalized)",
    why: "A leaked token stays usable longer; access and ID tokens cannot be revoked before they expire.",
  },
  {
    id: "user-destroyed",
    severity: "medium",
    title: "User replaced or removed",
    trigger: "aws_cognito_user replaced (username, user_pool_id) or removed",
    why: "The account (password, MFA, attributes) is deleted; a re-created user gets a new sub.",
  },
  {
    id: "hosted-ui-domain-replaced",
    severity: "medium",
    title: "Hosted UI domain replaced or removed",
    trigger: "aws_cognito_user_pool_domain replaced (domain, user_pool_id) or removed",
    why: "The hosted UI and OAuth endpoints move or go away: apps must change their authorize and token URLs.",
  },
  {
    id: "method-scopes-narrowed",
    severity: "low",
    title: "Method drops a scope",
    trigger: "a Cognito-guarded method's authorization_scopes lose a scope but keep others",
    why: "Tokens carrying only the dropped scope now get 403: check that no client relies on it.",
  },
  {
    id: "grant-removed",
    severity: "low",
    title: "Grant removed",
    trigger: "a principal loses a route in the grants table",
    why: "The principal gets 403 on the route once the authorizer's caches expire.",
  },
  {
    id: "basic-user-undesignated",
    severity: "low",
    title: "Account no longer designated for Basic",
    trigger: "the authorizer's BASIC_USERS loses a name",
    why: "Its Basic requests get 401 (BASIC_USER_NOT_DESIGNATED) once the new function version serves: check that no application still relies on it.",
  },
  {
    id: "authorizer-code-changed",
    severity: "info",
    title: "Authorizer package changed",
    trigger: "aws_lambda_function source_code_hash or filename changes (its code, or the route table and JWKS snapshot it carries)",
    why: "Every request's decision depends on this package: review the functions/authorizer diff and the authorizer/settings change.",
  },
  {
    id: "grants-unreadable",
    severity: "info",
    title: "Grant item known only after apply",
    trigger: "a changed grant item whose value the plan cannot show yet",
    why: "Its principal is a value Terraform learns at apply (e.g. a new client id): the grants it writes cannot be compared here.",
  },
] as const satisfies readonly RiskRule[];

/** Ids of {@link RISK_RULES}. */
export type RiskRuleId = (typeof RISK_RULES)[number]["id"];

const RULES = new Map<string, RiskRule>(RISK_RULES.map((rule) => [rule.id, rule]));

/** The findings of a review: risk flags and grant changes. */
export interface RiskAssessment {
  /** Most severe first. */
  readonly flags: readonly RiskFlag[];
  readonly grants: readonly GrantChange[];
}

/** Applies every rule to a change set. */
export function assessRisks(changeSet: ChangeSet): RiskAssessment {
  const flags: RiskFlag[] = [];
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
  flags.sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.stack.localeCompare(b.stack) ||
      a.path.localeCompare(b.path) ||
      a.rule.localeCompare(b.rule) ||
      a.summary.localeCompare(b.summary),
  );
  return { flags, grants };
}

type Report = (rule: RiskRuleId, attribute: string, summary: string, severity?: Severity) => void;
type Check = (change: ResourceChange, report: Report) => void;

const isNew = (c: ResourceChange) => c.action === "add";
const isDestroyed = (c: ResourceChange) => c.action === "replace" || c.action === "remove";
const before = (c: ResourceChange, key: string): unknown => c.before?.[key] ?? null;
const after = (c: ResourceChange, key: string): unknown => c.after?.[key] ?? null;
/** Whether a value can be judged (not masked, not known only after apply). */
const known = (value: unknown) => value !== UNKNOWN && value !== SENSITIVE;

function show(value: unknown): string {
  if (value === null || value === undefined) return "unset";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function destroyedSummary(change: ResourceChange): string {
  if (change.action === "remove") return "removed";
  return `replaced (forced by ${change.replacedBecause.join(", ")})`;
}

/** Reports a replaced or removed resource under `rule`. */
function destroyed(rule: RiskRuleId): Check {
  return (change, report) => {
    if (!isDestroyed(change)) return;
    let summary = destroyedSummary(change);
    if (rule === "user-pool-destroyed" && before(change, "deletion_protection") === "ACTIVE") {
      summary += "; deletion protection is ACTIVE, so apply stops at the delete until it is turned off";
    }
    report(rule, change.action === "replace" ? change.replacedBecause.join(", ") : "", summary);
  };
}

/** Reports a protection switched off (or a new resource without it). */
function protectionOff(attribute: string, isOn: (value: unknown) => boolean): Check {
  return (change, report) => {
    const now = after(change, attribute);
    if (change.after === null || !known(now) || isOn(now)) return;
    if (isNew(change)) {
      report("deletion-protection-off", attribute, `created without deletion protection (${attribute} = ${show(now)})`, "medium");
    } else if (isOn(before(change, attribute))) {
      report("deletion-protection-off", attribute, `${attribute} ${show(before(change, attribute))} → ${show(now)}`);
    }
  };
}

const MFA_STRENGTH: Readonly<Record<string, number>> = { OFF: 0, OPTIONAL: 1, ON: 2 };

const mfaWeakened: Check = (change, report) => {
  if (change.after === null) return;
  // The provider's default is OFF.
  const now = String(after(change, "mfa_configuration") ?? "OFF");
  if (!known(now) || !(now in MFA_STRENGTH)) return;
  if (isNew(change)) {
    if (now === "OFF") report("mfa-weakened", "mfa_configuration", "created with mfa_configuration = OFF", "medium");
    return;
  }
  const was = String(before(change, "mfa_configuration") ?? "OFF");
  if (was in MFA_STRENGTH && MFA_STRENGTH[now] < MFA_STRENGTH[was])
    report("mfa-weakened", "mfa_configuration", `mfa_configuration ${was} → ${now}`);
};

const schemaChanged: Check = (change, report) => {
  if (change.action !== "change") return;
  const byName = (value: unknown) =>
    new Map((Array.isArray(value) ? value : []).filter(isObject).map((entry) => [String(entry.name), entry] as const));
  const was = byName(before(change, "schema"));
  const now = byName(after(change, "schema"));
  const removed = [...was.keys()].filter((name) => !now.has(name));
  const changed = [...was.keys()].filter((name) => now.has(name) && !sameValue(was.get(name), now.get(name)));
  if (removed.length > 0) report("user-pool-schema-changed", "schema", `schema attribute removed: ${removed.join(", ")}`);
  if (changed.length > 0) report("user-pool-schema-changed", "schema", `schema attribute changed: ${changed.join(", ")}`);
};

const existenceErrors: Check = (change, report) => {
  const now = after(change, "prevent_user_existence_errors");
  if (change.after === null || !known(now) || now === "ENABLED") return;
  if (isNew(change)) {
    report("user-existence-errors", "prevent_user_existence_errors", `created with prevent_user_existence_errors = ${show(now)}`, "medium");
  } else if (before(change, "prevent_user_existence_errors") === "ENABLED") {
    report("user-existence-errors", "prevent_user_existence_errors", `prevent_user_existence_errors ENABLED → ${show(now)}`);
  }
};

const revocationOff: Check = (change, report) => {
  if (after(change, "enable_token_revocation") !== false) return;
  if (isNew(change)) report("token-revocation-off", "enable_token_revocation", "created with enable_token_revocation = false", "medium");
  else if (before(change, "enable_token_revocation") === true)
    report("token-revocation-off", "enable_token_revocation", "enable_token_revocation true → false");
};

/** Strings that `attribute` gains (everything, for a new resource); `undefined` when unknown. */
function gained(change: ResourceChange, attribute: string): string[] | undefined {
  if (change.after === null) return undefined;
  const now = stringList(after(change, attribute));
  const was = isNew(change) ? [] : stringList(before(change, attribute));
  if (now === undefined || was === undefined) return undefined;
  return now.filter((value) => !was.includes(value));
}

const implicitFlow: Check = (change, report) => {
  if (gained(change, "allowed_oauth_flows")?.includes("implicit"))
    report("implicit-flow-added", "allowed_oauth_flows", "allowed_oauth_flows gains implicit");
};

const PASSWORD_FLOWS: Readonly<Record<string, Severity>> = {
  ALLOW_USER_PASSWORD_AUTH: "high",
  USER_PASSWORD_AUTH: "high",
  ALLOW_ADMIN_USER_PASSWORD_AUTH: "medium",
  ADMIN_NO_SRP_AUTH: "medium",
};

const passwordFlow: Check = (change, report) => {
  for (const flow of gained(change, "explicit_auth_flows") ?? []) {
    const severity = PASSWORD_FLOWS[flow];
    if (severity !== undefined) report("password-flow-added", "explicit_auth_flows", `explicit_auth_flows gains ${flow}`, severity);
  }
};

const scopeAdded: Check = (change, report) => {
  const scopes = gained(change, "allowed_oauth_scopes") ?? [];
  if (scopes.length > 0) report("scope-added", "allowed_oauth_scopes", `allowed_oauth_scopes gains ${scopes.join(", ")}`);
};

const TOKEN_KINDS = ["access_token", "id_token", "refresh_token"] as const;
const UNIT_SECONDS: Readonly<Record<string, number>> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
/** Cognito's units and values when a client leaves them unset. */
const DEFAULT_UNITS: Readonly<Record<string, string>> = { access_token: "hours", id_token: "hours", refresh_token: "days" };
const DEFAULT_SECONDS: Readonly<Record<string, number>> = { access_token: 3600, id_token: 3600, refresh_token: 30 * 86400 };

/** A token's validity in seconds, or `undefined` when it cannot be told. */
function validitySeconds(values: Readonly<Record<string, unknown>>, kind: (typeof TOKEN_KINDS)[number]): number | undefined {
  const value = values[`${kind}_validity`];
  if (value === undefined || value === null) return DEFAULT_SECONDS[kind];
  if (typeof value !== "number") return undefined;
  const unit = block(values.token_validity_units)?.[kind] ?? DEFAULT_UNITS[kind];
  const seconds = typeof unit === "string" ? UNIT_SECONDS[unit] : undefined;
  return seconds === undefined ? undefined : value * seconds;
}

function duration(seconds: number): string {
  for (const [unit, size] of [
    ["days", 86400],
    ["hours", 3600],
    ["minutes", 60],
  ] as const) {
    if (seconds % size === 0 && seconds >= size) return `${seconds / size} ${unit}`;
  }
  return `${seconds} seconds`;
}

const validityLonger: Check = (change, report) => {
  if (change.before === null || change.after === null || isNew(change)) return;
  for (const kind of TOKEN_KINDS) {
    const was = validitySeconds(change.before, kind);
    const now = validitySeconds(change.after, kind);
    if (was !== undefined && now !== undefined && now > was) {
      report("token-validity-longer", `${kind}_validity`, `${kind.replace("_", " ")} validity ${duration(was)} → ${duration(now)}`);
    }
  }
};

const GUARDED = new Set(["COGNITO_USER_POOLS", "CUSTOM", "AWS_IAM"]);

const methodGuard: Check = (change, report) => {
  if (change.after === null) return;
  const now = after(change, "authorization");
  const was = isNew(change) ? null : before(change, "authorization");
  if (!known(now)) return;
  if (now === "NONE" && was !== "NONE") {
    report("method-unguarded", "authorization", isNew(change) ? "created with authorization = NONE" : `authorization ${show(was)} → NONE`);
    return;
  }
  if (isNew(change) || !GUARDED.has(String(now)) || !GUARDED.has(String(was))) return;
  if (now !== was) {
    report("method-authorizer-changed", "authorization", `authorization ${show(was)} → ${show(now)}`);
    return;
  }
  const authorizerWas = before(change, "authorizer_id");
  const authorizerNow = after(change, "authorizer_id");
  if (known(authorizerWas) && known(authorizerNow) && authorizerWas !== authorizerNow && authorizerWas !== null && authorizerNow !== null) {
    report("method-authorizer-changed", "authorizer_id", `authorizer_id ${show(authorizerWas)} → ${show(authorizerNow)}`);
  }
};

const methodScopes: Check = (change, report) => {
  if (isNew(change) || change.before === null || change.after === null) return;
  if (before(change, "authorization") !== "COGNITO_USER_POOLS" || after(change, "authorization") !== "COGNITO_USER_POOLS") return;
  const was = stringList(before(change, "authorization_scopes"));
  const now = stringList(after(change, "authorization_scopes"));
  if (was === undefined || now === undefined) return;
  const removed = was.filter((scope) => !now.includes(scope));
  const added = now.filter((scope) => !was.includes(scope));
  if (removed.length > 0 && now.length === 0) {
    report("method-scopes-removed", "authorization_scopes", `authorization_scopes ${removed.join(", ")} → none`);
  } else if (removed.length > 0) {
    report("method-scopes-narrowed", "authorization_scopes", `authorization_scopes drops ${removed.join(", ")}`);
  }
  if (added.length > 0 && was.length > 0)
    report("method-scopes-added", "authorization_scopes", `authorization_scopes gains ${added.join(", ")}`);
};

const MAX_LISTED = 4;

const policyWidened: Check = (change, report) => {
  if (change.after === null) return;
  const now = permissionsOf(after(change, "policy"));
  if (now === undefined) return;
  const was = isNew(change) ? [] : permissionsOf(before(change, "policy"));
  if (was === undefined) return;
  const wider = widening(was, now);
  if (wider.length === 0) return;
  const wildcards = wider.filter(isWildcard);
  const listed = [...wildcards, ...wider.filter((p) => !isWildcard(p))].slice(0, MAX_LISTED).map(describePermission);
  const more = wider.length > MAX_LISTED ? ` and ${wider.length - MAX_LISTED} more` : "";
  const wildcardNote = wildcards.length > 0 ? ` (${wildcards.length} with a wildcard)` : "";
  const what = `${listed.join("; ")}${more}${wildcardNote}`;
  if (isNew(change)) report("iam-policy-widened", "policy", `new policy allows ${what}`, "medium");
  else report("iam-policy-widened", "policy", `now allows ${what}`);
};

function globMatches(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return regex.test(value);
}

const invokePermission: Check = (change, report) => {
  if (change.after === null) return;
  const principal = after(change, "principal");
  const sourceNow = after(change, "source_arn");
  const sourceWas = isNew(change) ? null : before(change, "source_arn");
  if (principal === "*" && (isNew(change) || before(change, "principal") !== "*")) {
    report(
      "invoke-permission-widened",
      "principal",
      isNew(change) ? "created with principal = *" : `principal ${show(before(change, "principal"))} → *`,
    );
  }
  if (!known(sourceNow) || !known(sourceWas)) return;
  if (isNew(change)) {
    if (sourceNow === null && typeof principal === "string" && principal.endsWith(".amazonaws.com")) {
      report("invoke-permission-widened", "source_arn", `created without source_arn: any ${principal} resource may invoke`);
    }
  } else if (typeof sourceWas === "string" && sourceNow === null) {
    report("invoke-permission-widened", "source_arn", "source_arn removed");
  } else if (
    typeof sourceWas === "string" &&
    typeof sourceNow === "string" &&
    sourceWas !== sourceNow &&
    globMatches(sourceNow, sourceWas)
  ) {
    report("invoke-permission-widened", "source_arn", `source_arn broadened: ${sourceWas} → ${sourceNow}`);
  }
};

const grantsTableDestroyed: Check = (change, report) => {
  const hashKey = before(change, "hash_key");
  if (hashKey === "principal" || change.path.includes("authorization-table")) destroyed("grants-table-destroyed")(change, report);
};

/**
 * The authorizer's route table (route key → scopes), or `undefined` when absent or not readable: from
 * the `terraform_data` resource that records the package's settings (`input.ROUTE_SCOPES`), or from
 * the function's environment (stacks synthesized before the table moved into the package).
 */
function routeScopesOf(values: Readonly<Record<string, unknown>> | null): Map<string, readonly string[]> | undefined {
  const input = block(values?.input);
  let table: unknown = input?.ROUTE_SCOPES;
  if (table === undefined) {
    const text = block(block(values?.environment)?.variables)?.ROUTE_SCOPES;
    if (typeof text !== "string") return undefined;
    try {
      table = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  if (!isObject(table)) return undefined;
  return new Map(Object.entries(table).flatMap(([route, scopes]) => (Array.isArray(scopes) ? [[route, scopes as string[]] as const] : [])));
}

const lambdaRouteScopes: Check = (change, report) => {
  if (isNew(change) || change.after === null) return;
  const was = routeScopesOf(change.before);
  const now = routeScopesOf(change.after);
  if (was === undefined || now === undefined) return;
  for (const [route, scopes] of now) {
    const before = was.get(route);
    if (before !== undefined && before.length > 0 && scopes.length === 0) {
      const attribute = change.type === "terraform_data" ? "input.ROUTE_SCOPES" : "environment.variables.ROUTE_SCOPES";
      report("lambda-route-scopes-removed", attribute, `${route}: ${before.join(", ")} → none`);
    }
  }
};

const CODE_ATTRIBUTES = ["source_code_hash", "filename", "s3_key", "s3_object_version", "image_uri"];

const codeChanged: Check = (change, report) => {
  if (change.action !== "change" && change.action !== "replace") return;
  const changed = change.attributes.filter((a) => CODE_ATTRIBUTES.includes(a.path) && a.cause === undefined);
  if (changed.length > 0) report("authorizer-code-changed", changed.map((a) => a.path).join(", "), "the deployment package changes");
};

/** The designated Basic accounts in a function's environment; `undefined` when they cannot be read. */
function basicUsersOf(values: Readonly<Record<string, unknown>> | null): string[] | undefined {
  if (values === null) return [];
  const environment = block(values.environment);
  if (environment === undefined) return values.environment === undefined || values.environment === null ? [] : undefined;
  const variables = environment.variables;
  if (variables === undefined || variables === null) return [];
  if (!isObject(variables)) return undefined;
  const text = variables[BASIC_USERS_VARIABLE];
  if (text === undefined || text === null || text === "") return [];
  if (typeof text !== "string" || !known(text)) return undefined;
  return parseBasicUsers(text);
}

const basicUsersChanged: Check = (change, report) => {
  if (change.after === null) return;
  const now = basicUsersOf(change.after);
  const was = isNew(change) ? [] : basicUsersOf(change.before);
  if (now === undefined || was === undefined) return;
  const has = (names: readonly string[], name: string) => names.some((other) => basicUsernameKey(other) === basicUsernameKey(name));
  const added = now.filter((name) => !has(was, name));
  const removed = was.filter((name) => !has(now, name));
  if (added.length > 0) {
    report(
      "basic-user-designated",
      `environment.variables.${BASIC_USERS_VARIABLE}`,
      `${isNew(change) ? "created with" : "gains"} designated Basic account${added.length === 1 ? "" : "s"} ${added.join(", ")}`,
      isNew(change) ? "medium" : undefined,
    );
  }
  if (removed.length > 0) {
    report("basic-user-undesignated", `environment.variables.${BASIC_USERS_VARIABLE}`, `no longer designates ${removed.join(", ")}`);
  }
};

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
  aws_cognito_resource_server: [destroyed("resource-server-destroyed")],
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
