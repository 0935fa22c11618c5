/**
 * The authorization decision: identity × route × configured scopes × grants → Allow or Deny, with a
 * reason. Pure: no I/O, no clock, never throws.
 *
 * @packageDocumentation
 */
import type { AuthorizationReason } from "./reasons";
import { coveringGrant, scopesHeld } from "../../core/access";

/** How the caller authenticated. */
export type AuthType = "bearer" | "basic";

/** An authenticated caller. */
export interface Identity {
  /** `user#<username>` or `client#<client_id>`: the key of its grants item. */
  readonly principal: string;
  /** `bearer` (Cognito access token) or `basic` (username and password signed in with Cognito). */
  readonly authType: AuthType;
  /** The app client the caller used (`client_id` claim, or BASIC_AUTH_CLIENT_ID). */
  readonly clientId: string;
  /** The access token's scopes (Bearer); empty for Basic, whose tokens carry no custom scope. */
  readonly scopes: readonly string[];
}

/** What {@link decide} needs. */
export interface DecisionInput {
  /** The authenticated caller. */
  readonly identity: Identity;
  /** The called route, `"<METHOD> <resource path>"`. */
  readonly routeKey: string;
  /** Every configured route and the scopes of which a Bearer token needs one (none when empty). */
  readonly routeScopes: ReadonlyMap<string, readonly string[]>;
  /** The principal's grants, `"<METHOD|*> <resource path>"` each. */
  readonly grants: readonly string[];
}

/** The outcome of {@link decide}. */
export interface Decision {
  /** Whether the called route may be called. */
  readonly effect: "Allow" | "Deny";
  /** `ALLOWED`, or why the called route is denied. */
  readonly reason: "ALLOWED" | AuthorizationReason;
}

function routeDenial(
  identity: Identity,
  routeKey: string,
  requiredScopes: readonly string[],
  grants: readonly string[],
): "SCOPE_MISSING" | "GRANT_MISSING" | undefined {
  if (identity.authType === "bearer" && requiredScopes.length > 0 && scopesHeld(requiredScopes, identity.scopes).length === 0) {
    return "SCOPE_MISSING";
  }
  if (coveringGrant(grants, routeKey) === undefined) return "GRANT_MISSING";
  return undefined;
}

/**
 * Decides whether `identity` may call `routeKey`. The work depends on the called route and the
 * principal's grants only, never on how many routes are configured.
 *
 * 1. The route must be configured (else `ROUTE_NOT_CONFIGURED`).
 * 2. Bearer only: the token must hold at least one of the route's scopes, compared exactly as
 *    space-separated tokens of the `scope` claim; an empty scope list requires none (else `SCOPE_MISSING`).
 * 3. A grant must cover the route: same resource path, same method or `*` (else `GRANT_MISSING`).
 *
 * Basic identities skip step 2: tokens from `AdminInitiateAuth` carry only
 * `aws.cognito.signin.user.admin`, so their access comes from grants alone.
 *
 * @param input - identity, called route, configured routes and grants
 * @returns the decision; never throws
 */
export function decide(input: DecisionInput): Decision {
  const { identity, routeKey, routeScopes, grants } = input;
  const requiredScopes = routeScopes.get(routeKey);
  if (requiredScopes === undefined) return { effect: "Deny", reason: "ROUTE_NOT_CONFIGURED" };
  const denial = routeDenial(identity, routeKey, requiredScopes, grants);
  if (denial !== undefined) return { effect: "Deny", reason: denial };
  return { effect: "Allow", reason: "ALLOWED" };
}
