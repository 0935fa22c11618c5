/**
 * Risk checks of the Cognito resources: MFA, the user pool's schema, app clients' flows, scopes,
 * token validity, revocation and user existence errors.
 *
 * @packageDocumentation
 */
import { type Severity } from "../../core/severity";
import { block, sameValue } from "../values";
import { Check, after, before, gained, isNew, known, madeAs, summaryText } from "./check";
import { KNOWN_AFTER_APPLY } from "../model";
import { isExpression } from "../../core/terraform-json/template";
import { isJsonObject } from "../../core/json";

const MFA_STRENGTH: Readonly<Record<string, number>> = { OFF: 0, OPTIONAL: 1, ON: 2 };

/** User pool MFA weakened. */
export const mfaWeakened: Check = (change, report) => {
  if (change.after === null) return;
  // The provider's default is OFF.
  const now = String(after(change, "mfa_configuration") ?? "OFF");
  if (!known(now) || !(now in MFA_STRENGTH)) return;
  if (isNew(change)) {
    if (now === "OFF") report("mfa-weakened", "mfa_configuration", `${madeAs(change)} with mfa_configuration = OFF`, "medium");
    return;
  }
  const was = String(before(change, "mfa_configuration") ?? "OFF");
  if (was in MFA_STRENGTH && MFA_STRENGTH[now] < MFA_STRENGTH[was])
    report("mfa-weakened", "mfa_configuration", `mfa_configuration ${was} → ${now}`);
};

/** A user pool schema attribute changed or removed. */
export const schemaChanged: Check = (change, report) => {
  if (change.action !== "change") return;
  const byName = (value: unknown) =>
    new Map((Array.isArray(value) ? value : []).filter(isJsonObject).map((entry) => [String(entry.name), entry] as const));
  const was = byName(before(change, "schema"));
  const now = byName(after(change, "schema"));
  const removed = [...was.keys()].filter((name) => !now.has(name));
  const changed = [...was.keys()].filter((name) => now.has(name) && !sameValue(was.get(name), now.get(name)));
  if (removed.length > 0) report("user-pool-schema-changed", "schema", `schema attribute removed: ${removed.join(", ")}`);
  if (changed.length > 0) report("user-pool-schema-changed", "schema", `schema attribute changed: ${changed.join(", ")}`);
};

/** An app client reveals user existence errors. */
export const existenceErrors: Check = (change, report) => {
  const now = after(change, "prevent_user_existence_errors");
  if (change.after === null || !known(now) || now === "ENABLED") return;
  if (isNew(change)) {
    report(
      "user-existence-errors",
      "prevent_user_existence_errors",
      `${madeAs(change)} with prevent_user_existence_errors = ${summaryText(now)}`,
      "medium",
    );
  } else if (before(change, "prevent_user_existence_errors") === "ENABLED") {
    report("user-existence-errors", "prevent_user_existence_errors", `prevent_user_existence_errors ENABLED → ${summaryText(now)}`);
  }
};

/** An app client turns token revocation off. */
export const revocationOff: Check = (change, report) => {
  if (after(change, "enable_token_revocation") !== false) return;
  if (isNew(change))
    report("token-revocation-off", "enable_token_revocation", `${madeAs(change)} with enable_token_revocation = false`, "medium");
  else if (before(change, "enable_token_revocation") === true)
    report("token-revocation-off", "enable_token_revocation", "enable_token_revocation true → false");
};

/** An app client gains the implicit flow. */
export const implicitFlow: Check = (change, report) => {
  if (gained(change, "allowed_oauth_flows")?.includes("implicit"))
    report("implicit-flow-added", "allowed_oauth_flows", "allowed_oauth_flows gains implicit");
};

const PASSWORD_FLOWS: Readonly<Record<string, Severity>> = {
  ALLOW_USER_PASSWORD_AUTH: "high",
  USER_PASSWORD_AUTH: "high",
  ALLOW_ADMIN_USER_PASSWORD_AUTH: "medium",
  ADMIN_NO_SRP_AUTH: "medium",
};

/** An app client gains a password flow. */
export const passwordFlow: Check = (change, report) => {
  for (const flow of gained(change, "explicit_auth_flows") ?? []) {
    const severity = PASSWORD_FLOWS[flow];
    if (severity !== undefined) report("password-flow-added", "explicit_auth_flows", `explicit_auth_flows gains ${flow}`, severity);
  }
};

/** An app client gains a scope. */
export const scopeAdded: Check = (change, report) => {
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

/** An app client's token validity grows. */
export const validityLonger: Check = (change, report) => {
  if (change.before === null || change.after === null || isNew(change)) return;
  for (const kind of TOKEN_KINDS) {
    const was = validitySeconds(change.before, kind);
    const now = validitySeconds(change.after, kind);
    if (was !== undefined && now !== undefined && now > was) {
      report("token-validity-longer", `${kind}_validity`, `${kind.replace("_", " ")} validity ${duration(was)} → ${duration(now)}`);
    }
  }
};

/** A pool id written as a literal: the pool of a stack attached to it (userPool.existing). */
const LITERAL_POOL_ID = /^[a-z]{2}(?:-[a-z]+)+-\d_[0-9A-Za-z]+$/;

/**
 * A resource server of an attached stack moves to another pool: another existing one
 * (userPool.existing.arn changed), or one the stack creates (userPool.existing removed). A stack
 * that adopts the pool it was attached to stays in it: the review reads the imported pool's id from
 * its import block, so nothing changes there.
 */
export const attachedPoolChanged: Check = (change, report) => {
  if (change.action !== "change" && change.action !== "replace") return;
  const was = before(change, "user_pool_id");
  const now = after(change, "user_pool_id");
  if (typeof was !== "string" || typeof now !== "string" || was === now || !LITERAL_POOL_ID.test(was)) return;
  if (LITERAL_POOL_ID.test(now)) {
    report(
      "attached-pool-changed",
      "user_pool_id",
      `user_pool_id ${was} → ${now}: everything the stack made in the pool is re-created in another one`,
    );
  } else if (now === KNOWN_AFTER_APPLY || isExpression(now)) {
    report(
      "attached-pool-changed",
      "user_pool_id",
      `user_pool_id ${was} → a pool the stack creates: everything the stack made in the attached pool is re-created in the new one`,
    );
  }
};
