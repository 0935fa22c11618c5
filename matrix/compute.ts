/**
 * The effective access matrix of a configuration: every access profile (callers that share kind,
 * client, token scopes and grants) on every route, allowed or refused, and why. Computed from the
 * validated configuration alone (no cloud access), once per profile and route:
 *
 * - routes on the `lambda` guard are decided by the authorizer's own pure {@link decide} (one source
 *   of truth), after the refusals the authorizer makes before it (an ID token, Basic without a
 *   legacy client, Basic for a user who is not a designated Basic account);
 * - routes on the `cognito` guard follow the native authorizer's rule ({@link nativeCognitoDecision}).
 *
 * @packageDocumentation
 */
import { decide, type Identity } from "../functions/authorizer/decide";
import { REASONS } from "../functions/authorizer/reasons";
import { coveringGrant, scopesHeld } from "../core/access";
import { formatRouteKey, routeScopeTable } from "../core/routes";
import type { ScopegateConfig } from "../stacks/config/model";
import { listCallers } from "./callers";
import type { AccessMatrix, AccessProfile, ListedCaller, MatrixCaller, MatrixCell, MatrixRoute } from "./model";
import { nativeCognitoDecision } from "./native-guard";
import { NATIVE_REASONS } from "./reasons";

/** Options of {@link computeAccessMatrix}. */
export interface ComputeOptions {
  /**
   * Where the configuration came from, shown with the matrix.
   *
   * @default "the configuration"
   */
  readonly source?: string;
}

/**
 * Computes who may call what.
 *
 * @param config - the validated configuration of one stack
 * @param options - how to name the configuration
 * @returns the matrix: every caller of {@link listCallers} × every configured route
 */
export function computeAccessMatrix(config: ScopegateConfig, options: ComputeOptions = {}): AccessMatrix {
  const routes: MatrixRoute[] = config.api.routes.map((route) => ({
    key: formatRouteKey({ method: route.method, resourcePath: route.path }),
    method: route.method,
    path: route.path,
    guard: route.guard,
    scopes: route.scopes,
  }));
  // Exactly what the stack hands the authorizer as ROUTE_SCOPES: the lambda routes only.
  const routeScopes = routeScopeTable(config.api.routes.filter((route) => route.guard === "lambda"));
  const { callers, profiles } = groupIntoProfiles(listCallers(config));
  const cells = profiles.flatMap((profile) =>
    routes.map((route) => (route.guard === "lambda" ? lambdaCell(profile, route, routeScopes) : nativeCell(profile, route))),
  );
  return { stack: config.name, source: options.source ?? "the configuration", routes, callers, profiles, cells, notes: notesFor(config) };
}

/** What makes two callers answer alike everywhere: kind, client, credential and grants. */
function profileKey(caller: ListedCaller): string {
  return JSON.stringify([caller.kind, caller.client ?? null, caller.credential, [...caller.grants].sort()]);
}

/**
 * Groups callers into access profiles, in order of first appearance.
 *
 * @param listed - callers as {@link listCallers} lists them
 * @returns the callers, each naming its profile, and the profiles
 */
export function groupIntoProfiles(listed: readonly ListedCaller[]): {
  callers: MatrixCaller[];
  profiles: AccessProfile[];
} {
  const groups = new Map<string, ListedCaller[]>();
  for (const caller of listed) {
    const key = profileKey(caller);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [caller]);
    else group.push(caller);
  }
  const profiles: AccessProfile[] = [];
  const profileOf = new Map<string, string>();
  for (const members of groups.values()) {
    const first = members[0]!;
    const id = `p${profiles.length + 1}`;
    for (const member of members) profileOf.set(member.id, id);
    profiles.push({
      id,
      kind: first.kind,
      label: groupLabel(members),
      credentialLabel: first.credentialLabel,
      credential: first.credential,
      ...(first.client === undefined ? {} : { client: first.client }),
      grants: first.grants,
      principal: members.length === 1 ? first.principal : `each of ${members.length} principals`,
      callers: members.map((member) => member.id),
    });
  }
  return { callers: listed.map((caller) => ({ ...caller, profile: profileOf.get(caller.id)! })), profiles };
}

/**
 * Names callers of one kind and client: `alice through web`, `bob, carol, dave (3 users) through
 * web`, or `user0, user5 … 12 users through web0`.
 *
 * @param members - callers of the same kind and client, in order
 * @returns the label
 */
export function groupLabel(members: readonly ListedCaller[]): string {
  const first = members[0]!;
  if (members.length === 1 || first.username === undefined) return first.label;
  const names = members.map((member) => member.username!);
  const how = first.kind === "basic-user" ? "with Basic" : `through ${first.client}`;
  const who = names.length <= 3 ? `${names.join(", ")} (${names.length} users)` : `${names.slice(0, 2).join(", ")} … ${names.length} users`;
  return `${who} ${how}`;
}

/** The scopegate Lambda authorizer: what the handler does before `decide`, then `decide` itself. */
function lambdaCell(profile: AccessProfile, route: MatrixRoute, routeScopes: ReadonlyMap<string, readonly string[]>): MatrixCell {
  const at = { profile: profile.id, route: route.key };
  const { credential } = profile;
  if (credential.kind === "id-token") {
    return {
      ...at,
      allowed: false,
      httpStatus: 401,
      reason: "TOKEN_USE_NOT_ACCESS",
      scopesUsed: [],
      why: "the scopegate authorizer accepts access tokens only",
    };
  }
  if (credential.kind === "basic" && !credential.enabled) {
    return {
      ...at,
      allowed: false,
      httpStatus: 401,
      reason: "BASIC_DISABLED",
      scopesUsed: [],
      why: "no legacy client, so the authorizer has no BASIC_AUTH_CLIENT_ID and refuses Basic",
    };
  }
  if (credential.kind === "basic" && credential.designated === false) {
    return {
      ...at,
      allowed: false,
      httpStatus: 401,
      reason: "BASIC_USER_NOT_DESIGNATED",
      scopesUsed: [],
      why: "not one of the legacy client's designated Basic accounts (basicUsers): refused before Cognito is asked, whatever the password",
    };
  }
  const tokenScopes = credential.kind === "access-token" ? credential.scopes : [];
  const identity: Identity = {
    principal: profile.principal,
    authType: credential.kind === "basic" ? "basic" : "bearer",
    clientId: profile.client ?? "",
    scopes: tokenScopes,
  };
  const decision = decide({ identity, routeKey: route.key, routeScopes, grants: profile.grants });
  const scopesUsed = identity.authType === "bearer" ? scopesHeld(route.scopes, tokenScopes) : [];
  const grantUsed = coveringGrant(profile.grants, route.key);
  const found = { ...at, reason: decision.reason, scopesUsed, ...(grantUsed === undefined ? {} : { grantUsed }) };
  if (decision.effect === "Allow") {
    const scopePart =
      identity.authType === "basic"
        ? "Basic: grants only, its tokens carry no custom scope"
        : route.scopes.length === 0
          ? "no scope required"
          : `scope ${scopesUsed.join(" or ")}`;
    return { ...found, allowed: true, httpStatus: 200, why: `${scopePart}; grant "${grantUsed}"` };
  }
  const httpStatus = REASONS[decision.reason].httpStatus as 401 | 403;
  switch (decision.reason) {
    case "SCOPE_MISSING":
      return { ...found, allowed: false, httpStatus, why: scopeMissing(tokenScopes, route) };
    case "GRANT_MISSING":
      return {
        ...found,
        allowed: false,
        httpStatus,
        why: `no grant of ${profile.principal} covers ${route.key}${grantList(profile.grants)}`,
      };
    default:
      return { ...found, allowed: false, httpStatus, why: clause(REASONS[decision.reason].meaning) };
  }
}

/** The native Cognito authorizer. */
function nativeCell(profile: AccessProfile, route: MatrixRoute): MatrixCell {
  const at = { profile: profile.id, route: route.key };
  const decision = nativeCognitoDecision(profile.credential, route.scopes);
  if (decision.allowed) {
    const scopePart = decision.scopesUsed.length > 0 ? `scope ${decision.scopesUsed.join(" or ")}` : "an ID token";
    return {
      ...at,
      allowed: true,
      httpStatus: 200,
      reason: decision.reason,
      scopesUsed: decision.scopesUsed,
      why: `${scopePart}; the native authorizer checks scopes only: no grant needed`,
    };
  }
  const why =
    decision.reason === "SCOPE_MISSING"
      ? `${scopeMissing(profile.credential.kind === "access-token" ? profile.credential.scopes : [], route)} (native Cognito authorizer)`
      : clause(NATIVE_REASONS[decision.reason].meaning);
  return { ...at, allowed: false, httpStatus: 401, reason: decision.reason, scopesUsed: [], why };
}

function scopeMissing(tokenScopes: readonly string[], route: MatrixRoute): string {
  const held = tokenScopes.length === 0 ? "no scope" : tokenScopes.join(" ");
  return `the token can carry ${held}; ${route.key} needs one of ${route.scopes.join(" ")}`;
}

/** A meaning sentence as a clause of a one-line why (no final period). */
function clause(sentence: string): string {
  return sentence.replace(/\.$/, "");
}

function grantList(grants: readonly string[]): string {
  return grants.length === 0 ? " (it has no grants)" : ` (its grants: ${grants.join(", ")})`;
}

function notesFor(config: ScopegateConfig): string[] {
  const notes = [
    "Tokens are evaluated with every scope their app client allows; a token asked for fewer scopes can call less.",
    "Machine clients' grants are keyed by the app client id, known after apply: client#<id of NAME>.",
  ];
  if (config.userPool.signInWith === "email") {
    notes.push("Users sign in with their e-mail address, so tokens carry the generated sub as username: user#<sub of ADDRESS>.");
  }
  const legacy = config.appClients.find((client) => client.kind === "legacy");
  if (legacy !== undefined) {
    notes.push(
      `Only the legacy client's designated accounts may use Basic (basicUsers: ${legacy.basicUsers.join(", ")}); on Basic a grant alone decides.`,
    );
  }
  if (config.api.routes.some((route) => route.guard === "cognito")) {
    notes.push("Routes on the cognito guard ignore grants: any token of the pool holding one of the method's scopes passes.");
  }
  return notes;
}
