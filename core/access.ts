/**
 * The access rule's two questions, in one place: which of a route's scopes a token holds, and which
 * grant covers a route. The authorizer's pure `decide` answers with them, and the access matrix uses
 * the same answers to say why a call passes, so the two cannot drift.
 *
 * @packageDocumentation
 */
import { grantCovers } from "./routes";

/**
 * The route's scopes that a token holds, compared exactly (a Bearer token needs one of them).
 *
 * @param requiredScopes - the route's scopes, e.g. `["api.example.com/read"]`
 * @param tokenScopes - the space-separated tokens of the access token's `scope` claim
 * @returns the held scopes, in the route's order; empty when none is held
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html
 */
export function scopesHeld(requiredScopes: readonly string[], tokenScopes: readonly string[]): readonly string[] {
  return requiredScopes.filter((scope) => tokenScopes.includes(scope));
}

/**
 * The first of a principal's grants that covers a route (see `grantCovers` in `core/routes.ts`).
 *
 * @param grants - the principal's grants, `"<METHOD|*> <resource path>"` each
 * @param routeKey - the called route, `"<METHOD> <resource path>"`
 * @returns the covering grant, or `undefined` when none covers the route
 */
export function coveringGrant(grants: readonly string[], routeKey: string): string | undefined {
  return grants.find((grant) => grantCovers(grant, routeKey));
}
