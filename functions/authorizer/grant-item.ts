/**
 * The grants table's data contract, shared by the stack that writes the items and the authorizer
 * that reads them. Dependency-free, so the stack can import it at synth time.
 *
 * Item: `{ "principal": {"S": "user#alice"}, "routes": {"L": [{"S": "GET /resource"}]} }`.
 *
 * @packageDocumentation
 */

/** Name of the table's partition key (S). */
export const PRINCIPAL_ATTRIBUTE = "principal";

/** Name of the list (L) of route strings (S) `"<METHOD|*> <resource path>"`. */
export const ROUTES_ATTRIBUTE = "routes";

/**
 * Key of a user's grants: `user#<Cognito username>`, the access token's `username` claim (for
 * pools where users sign in with their e-mail, that is the `sub` Cognito generated).
 */
export function userPrincipal(username: string): string {
  return `user#${username}`;
}

/** Key of a machine client's grants: `client#<app client id>` (client_credentials tokens). */
export function clientPrincipal(clientId: string): string {
  return `client#${clientId}`;
}
