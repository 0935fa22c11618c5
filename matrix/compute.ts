/**
 * The effective access matrix of a configuration: every caller on every route, allowed or refused,
 * and why. Computed from the validated configuration alone (no cloud access):
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
import { formatRouteKey, grantCovers } from "../functions/authorizer/routes";
import type { ScopegateConfig } from "../stacks/config/model";
import { listCallers } from "./callers";
import type { AccessMatrix, MatrixCaller, MatrixCell, MatrixRoute } from "./model";
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
  const routeScopes = new Map(routes.filter((route) => route.guard === "lambda").map((route) => [route.key, route.scopes] as const));
  const callers = listCallers(config);
  const cells = callers.flatMap((caller) =>
    routes.map((route) => (route.guard === "lambda" ? lambdaCell(caller, route, routeScopes) : nativeCell(caller, route))),
  );
  return { stack: config.name, source: options.source ?? "the configuration", routes, callers, cells, notes: notesFor(config) };
}

/** The scopegate Lambda authorizer: what the handler does before `decide`, then `decide` itself. */
function lambdaCell(caller: MatrixCaller, route: MatrixRoute, routeScopes: ReadonlyMap<string, readonly string[]>): MatrixCell {
  const at = { caller: caller.id, route: route.key };
  const { credential } = caller;
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
    principal: caller.principal,
    authType: credential.kind === "basic" ? "basic" : "bearer",
    clientId: caller.client ?? "",
    scopes: tokenScopes,
  };
  const decision = decide({ identity, routeKey: route.key, routeScopes, grants: caller.grants });
  const scopesUsed = identity.authType === "bearer" ? route.scopes.filter((scope) => tokenScopes.includes(scope)) : [];
  const grantUsed = caller.grants.find((grant) => grantCovers(grant, route.key));
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
        why: `no grant of ${caller.principal} covers ${route.key}${grantList(caller.grants)}`,
      };
    default:
      return { ...found, allowed: false, httpStatus, why: clause(REASONS[decision.reason].meaning) };
  }
}

/** The native Cognito authorizer. */
function nativeCell(caller: MatrixCaller, route: MatrixRoute): MatrixCell {
  const at = { caller: caller.id, route: route.key };
  const decision = nativeCognitoDecision(caller.credential, route.scopes);
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
      ? `${scopeMissing(caller.credential.kind === "access-token" ? caller.credential.scopes : [], route)} (native Cognito authorizer)`
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
