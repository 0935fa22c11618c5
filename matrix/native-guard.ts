/**
 * The rule of API Gateway's native Cognito authorizer, for routes on the `cognito` guard.
 *
 * @packageDocumentation
 */
import { scopesHeld } from "../core/access";
import type { CallerCredential } from "./model";
import type { NativeReason } from "./reasons";

/** What the native authorizer answers for one credential on one method. */
export type NativeDecision =
  | { readonly allowed: true; readonly reason: "NATIVE_SCOPES_ONLY" | "NATIVE_ID_TOKEN_ACCEPTED"; readonly scopesUsed: readonly string[] }
  | {
      readonly allowed: false;
      readonly reason: Exclude<NativeReason, "NATIVE_SCOPES_ONLY" | "NATIVE_ID_TOKEN_ACCEPTED"> | "SCOPE_MISSING";
    };

/**
 * Decides like the native Cognito authorizer (`COGNITO_USER_POOLS`) for a token of the right pool:
 *
 * - Basic credentials never pass: it takes Cognito tokens only.
 * - A method with authorization scopes accepts an access token that holds at least one of them
 *   (scopes compared exactly) and refuses ID tokens. Grants play no part.
 * - A method without scopes accepts ID tokens and refuses access tokens (scopegate's configuration
 *   refuses such routes, so the matrix meets this case only through this function's tests).
 *
 * @param credential - what the caller sends; an access token with every scope it can carry
 * @param methodScopes - the method's authorization scopes
 * @returns allowed with the scopes that let it through, or refused with the reason; every refusal is a 401
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html
 */
export function nativeCognitoDecision(credential: CallerCredential, methodScopes: readonly string[]): NativeDecision {
  if (credential.kind === "basic") return { allowed: false, reason: "NATIVE_BASIC_NOT_ACCEPTED" };
  if (methodScopes.length === 0) {
    return credential.kind === "id-token"
      ? { allowed: true, reason: "NATIVE_ID_TOKEN_ACCEPTED", scopesUsed: [] }
      : { allowed: false, reason: "NATIVE_ACCESS_TOKEN_REFUSED" };
  }
  if (credential.kind === "id-token") return { allowed: false, reason: "NATIVE_ID_TOKEN_REFUSED" };
  const scopesUsed = scopesHeld(methodScopes, credential.scopes);
  return scopesUsed.length > 0 ? { allowed: true, reason: "NATIVE_SCOPES_ONLY", scopesUsed } : { allowed: false, reason: "SCOPE_MISSING" };
}
