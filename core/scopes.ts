/**
 * The scope rule, in one place: a custom scope's full name is `<resource server identifier>/<scope
 * name>`, the form that appears in access tokens' `scope` claim, in app clients' allowed scopes and
 * in API Gateway methods' authorization scopes. The configuration validator, the constructs, the
 * checks and the hand-off build and split it only here.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html
 * @packageDocumentation
 */

/**
 * Builds a custom scope's full name.
 *
 * @param resourceServerIdentifier - the resource server's identifier, e.g. `https://api.example.com`
 * @param scopeName - the scope's name on that server, e.g. `read`
 * @returns `<identifier>/<scope name>`
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html
 */
export function scopeIdentifier(resourceServerIdentifier: string, scopeName: string): string {
  return `${resourceServerIdentifier}/${scopeName}`;
}

/**
 * Splits a full scope name into its resource server identifier and scope name, or `undefined`
 * for a standard OpenID Connect scope (`openid`, `email`, …). The scope name is after the last
 * slash, since an identifier may be an https URL with slashes of its own.
 */
export function splitScopeIdentifier(scope: string): { identifier: string; name: string } | undefined {
  const slash = scope.lastIndexOf("/");
  if (slash <= 0 || slash === scope.length - 1) return undefined;
  return { identifier: scope.slice(0, slash), name: scope.slice(slash + 1) };
}

/** RFC 6749's `scope-token`: printable ASCII except space, `"` and `\`; at most 256 characters here. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;

/**
 * Whether `text` is one scope as an access token's `scope` claim and a route table carry it: a
 * non-empty run of printable ASCII without space, `"` or `\`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function isScopeToken(text: string): boolean {
  return SCOPE_TOKEN.test(text);
}
