/**
 * The effective access matrix of a configuration, factored (see `matrix/model.ts`): what every
 * distinct credential gets on every route, and which routes every distinct list of grants covers;
 * every access profile (callers that share kind, client, token scopes and grants) names one of
 * each. Computed from the validated configuration alone (no cloud access), once per credential and
 * route and once per grant set and route, never per profile and route:
 *
 * - on the `lambda` guard, a credential's answer is the authorizer's own pure {@link decide} with no
 *   grant (one source of truth: `ROUTE_NOT_CONFIGURED` and `SCOPE_MISSING` refuse whatever the
 *   grants, `GRANT_MISSING` means the grants decide), after the refusals the authorizer makes
 *   before it (an ID token, Basic without a legacy client, Basic for a user who is not a designated
 *   Basic account); a grant set covers a route with the grant {@link coveringGrant} finds, the
 *   function `decide` itself asks;
 * - on the `cognito` guard, the native authorizer's rule ({@link nativeCognitoDecision}) needs the
 *   credential only.
 *
 * @packageDocumentation
 */
import { decide, type Identity } from "../functions/authorizer/decide";
import { REASONS } from "../functions/authorizer/reasons";
import { AUTHORIZER_VARIABLES } from "../contracts/authorizer-environment";
import { coveringGrant, scopesHeld } from "../core/access";
import { formatRouteKey, routeScopeTable } from "../core/routes";
import type { ScopegateConfig } from "../stacks/config/model";
import { listCallers } from "./callers";
import type {
  AccessMatrix,
  AccessProfile,
  CredentialCell,
  GrantCover,
  ListedCaller,
  MatrixCaller,
  MatrixCredential,
  MatrixGrantSet,
  MatrixRoute,
} from "./model";
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
  const grouped = groupIntoProfiles(listCallers(config));
  const credentials: MatrixCredential[] = grouped.credentials.map((first, index) => ({
    id: credentialId(index),
    kind: first.kind,
    label: first.credentialLabel,
    credential: first.credential,
    ...(first.client === undefined ? {} : { client: first.client }),
    cells: routes.map((route) => (route.guard === "lambda" ? lambdaCell(first, route, routeScopes) : nativeCell(first, route))),
  }));
  const grantSets: MatrixGrantSet[] = grouped.grantSets.map(({ grants, principals }, index) => ({
    id: grantSetId(index),
    grants,
    principals,
    covers: routes.flatMap((route): GrantCover[] => {
      const grant = coveringGrant(grants, route.key);
      return grant === undefined ? [] : [{ route: route.key, grant }];
    }),
  }));
  return {
    stack: config.name,
    source: options.source ?? "the configuration",
    routes,
    callers: grouped.callers,
    profiles: grouped.profiles,
    credentials,
    grantSets,
    notes: notesFor(config),
  };
}

const credentialId = (index: number) => `c${index + 1}`;
const grantSetId = (index: number) => `g${index + 1}`;

/** What makes two callers' credentials answer alike on every route: kind, client and credential. */
function credentialKey(caller: ListedCaller): string {
  return JSON.stringify([caller.kind, caller.client ?? null, caller.credential]);
}

/** What makes two callers answer alike everywhere: kind, client, credential and grants. */
function profileKey(caller: ListedCaller): string {
  return JSON.stringify([caller.kind, caller.client ?? null, caller.credential, [...caller.grants].sort()]);
}

/**
 * Groups callers into access profiles, in order of first appearance, and names each profile's
 * credential row and grant set (also in order of first appearance).
 *
 * @param listed - callers as {@link listCallers} lists them
 * @returns the callers, each naming its profile; the profiles; the first caller of each distinct
 *   credential; and each distinct list of grants with the principals that hold it
 */
export function groupIntoProfiles(listed: readonly ListedCaller[]): {
  callers: MatrixCaller[];
  profiles: AccessProfile[];
  credentials: ListedCaller[];
  grantSets: { grants: readonly string[]; principals: string[] }[];
} {
  const credentials = new Map<string, { index: number; first: ListedCaller }>();
  const grantSets = new Map<string, { index: number; grants: readonly string[]; principals: Set<string> }>();
  const credentialOf = (caller: ListedCaller): number => {
    const key = credentialKey(caller);
    let found = credentials.get(key);
    if (found === undefined) credentials.set(key, (found = { index: credentials.size, first: caller }));
    return found.index;
  };
  const grantSetEntry = (caller: ListedCaller) => {
    const key = JSON.stringify(caller.grants);
    let found = grantSets.get(key);
    if (found === undefined) grantSets.set(key, (found = { index: grantSets.size, grants: caller.grants, principals: new Set() }));
    return found;
  };
  const grantSetOf = (caller: ListedCaller): number => grantSetEntry(caller).index;
  // Rows in caller order, so the tables read in the order the callers are listed.
  for (const caller of listed) {
    credentialOf(caller);
    const set = grantSetEntry(caller);
    if (caller.principal !== NO_PRINCIPAL) set.principals.add(caller.principal);
  }
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
      credentialId: credentialId(credentialOf(first)),
      grantSetId: grantSetId(grantSetOf(first)),
    });
  }
  return {
    callers: listed.map((caller) => ({ ...caller, profile: profileOf.get(caller.id)! })),
    profiles,
    credentials: [...credentials.values()].map(({ first }) => first),
    grantSets: [...grantSets.values()].map(({ grants, principals }) => ({ grants, principals: [...principals] })),
  };
}

/** The principal of a caller refused before any grant lookup. */
const NO_PRINCIPAL = "(none)";

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

/**
 * The scopegate Lambda authorizer, for one credential: what the handler does before `decide`, then
 * `decide` itself with no grant. `GRANT_MISSING` then means that the token checks passed and the
 * principal's grants decide.
 */
function lambdaCell(caller: ListedCaller, route: MatrixRoute, routeScopes: ReadonlyMap<string, readonly string[]>): CredentialCell {
  const { credential } = caller;
  const early = (reason: "TOKEN_USE_NOT_ACCESS" | "BASIC_DISABLED" | "BASIC_USER_NOT_DESIGNATED", why: string): CredentialCell => ({
    route: route.key,
    outcome: "refused",
    httpStatus: 401,
    reason,
    scopesUsed: [],
    decided: false,
    why,
  });
  if (credential.kind === "id-token") return early("TOKEN_USE_NOT_ACCESS", "the scopegate authorizer accepts access tokens only");
  if (credential.kind === "basic" && !credential.enabled) {
    return early(
      "BASIC_DISABLED",
      `no legacy client, so the authorizer has no ${AUTHORIZER_VARIABLES.basicAuthClientId} and refuses Basic`,
    );
  }
  if (credential.kind === "basic" && credential.designated === false) {
    return early(
      "BASIC_USER_NOT_DESIGNATED",
      "not one of the legacy client's designated Basic accounts (basicUsers): refused before Cognito is asked, whatever the password",
    );
  }
  const tokenScopes = credential.kind === "access-token" ? credential.scopes : [];
  const identity: Identity = {
    principal: caller.principal,
    authType: credential.kind === "basic" ? "basic" : "bearer",
    clientId: caller.client ?? "",
    scopes: tokenScopes,
  };
  const decision = decide({ identity, routeKey: route.key, routeScopes, grants: [] });
  const scopesUsed = identity.authType === "bearer" ? scopesHeld(route.scopes, tokenScopes) : [];
  const cell = (
    outcome: CredentialCell["outcome"],
    httpStatus: 200 | 401 | 403,
    reason: CredentialCell["reason"],
    why: string,
  ): CredentialCell => ({
    route: route.key,
    outcome,
    httpStatus,
    reason,
    scopesUsed,
    decided: true,
    why,
  });
  if (decision.reason === "GRANT_MISSING") {
    const scopePart =
      identity.authType === "basic"
        ? "Basic: grants only, its tokens carry no custom scope"
        : route.scopes.length === 0
          ? "no scope required"
          : `scope ${scopesUsed.join(" or ")}`;
    return cell("grant", 200, "ALLOWED", scopePart);
  }
  // decide allows nothing without a grant today; were it to, no grant would be needed.
  if (decision.effect === "Allow") return cell("allowed", 200, decision.reason, "allowed without a grant");
  const httpStatus = REASONS[decision.reason].httpStatus as 401 | 403;
  const why = decision.reason === "SCOPE_MISSING" ? scopeMissing(tokenScopes, route) : clause(REASONS[decision.reason].meaning);
  return cell("refused", httpStatus, decision.reason, why);
}

/** The native Cognito authorizer, for one credential. */
function nativeCell(caller: ListedCaller, route: MatrixRoute): CredentialCell {
  const at = { route: route.key, decided: false };
  const decision = nativeCognitoDecision(caller.credential, route.scopes);
  if (decision.allowed) {
    const scopePart = decision.scopesUsed.length > 0 ? `scope ${decision.scopesUsed.join(" or ")}` : "an ID token";
    return {
      ...at,
      outcome: "allowed",
      httpStatus: 200,
      reason: decision.reason,
      scopesUsed: decision.scopesUsed,
      why: `${scopePart}; the native authorizer checks scopes only: no grant needed`,
    };
  }
  const why =
    decision.reason === "SCOPE_MISSING"
      ? `${scopeMissing(caller.credential.kind === "access-token" ? caller.credential.scopes : [], route)} (native Cognito authorizer)`
      : clause(NATIVE_REASONS[decision.reason].meaning);
  return { ...at, outcome: "refused", httpStatus: 401, reason: decision.reason, scopesUsed: [], why };
}

function scopeMissing(tokenScopes: readonly string[], route: MatrixRoute): string {
  const held = tokenScopes.length === 0 ? "no scope" : tokenScopes.join(" ");
  return `the token can carry ${held}; ${route.key} needs one of ${route.scopes.join(" ")}`;
}

/** A meaning sentence as a clause of a one-line why (no final period). */
function clause(sentence: string): string {
  return sentence.replace(/\.$/, "");
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
