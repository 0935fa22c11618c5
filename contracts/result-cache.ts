/**
 * The contract between the authorizer and API Gateway's authorizer result cache, shared by the stack
 * (which writes the identity sources) and the function (which must decide on nothing else).
 *
 * API Gateway caches a REQUEST authorizer's answer under the values of its identity sources for the
 * authorizer's TTL, and evaluates every later request with the same values against the cached policy,
 * without invoking the function. So an answer is only correct through the cache when:
 *
 * 1. the decision depends on nothing but the identity source values (the `Authorization` header as
 *    API Gateway passes it in `headers`, the HTTP method and the resource path template; and the
 *    caller's address when Cognito threat protection scores Basic sign-ins), plus time-bounded state
 *    (grants, keys) whose staleness the TTLs bound; and
 * 2. the policy means the same for every request that shares the key: an Allow covers exactly the
 *    called route's resource pattern (built from the configured template, never from the concrete
 *    `methodArn`), and a Deny is a Deny only.
 *
 * One exception, on purpose: the function also counts the `Authorization` header, which the key does
 * not (it holds one value), and refuses a request that carries it more than once. Such a request may
 * still be answered from the cache entry of the value in its key sent alone: it gets that
 * credential's answer, no more than the credential already had.
 *
 * `testing/api-gateway.ts` models the cache and checks both properties, and the exception, against
 * the real handler.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
 * @see https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html (identitySource)
 * @packageDocumentation
 */

/** Identity source of the `Authorization` header. */
export const AUTHORIZATION_IDENTITY_SOURCE = "method.request.header.Authorization";

/** Options of {@link lambdaIdentitySources}. */
export interface IdentitySourceOptions {
  /**
   * Add the caller's address (`context.identity.sourceIp`): needed when the decision depends on it,
   * as a Basic sign-in scored by Cognito threat protection does.
   *
   * @default false
   */
  readonly sourceIp?: boolean;
}

/**
 * The identity sources of the scopegate Lambda authorizer: the credentials, and the route (method and
 * resource path template), so that a policy cached for one route is never applied to another.
 *
 * @param options - whether the caller's address joins the key
 * @returns the mapping expressions, in the order the stack writes them
 */
export function lambdaIdentitySources(options: IdentitySourceOptions = {}): readonly string[] {
  return [
    AUTHORIZATION_IDENTITY_SOURCE,
    "context.httpMethod",
    "context.resourcePath",
    ...(options.sourceIp === true ? ["context.identity.sourceIp"] : []),
  ];
}

/**
 * The `identity_source` attribute of the authorizer: {@link lambdaIdentitySources}, comma-separated.
 *
 * @param options - whether the caller's address joins the key
 * @returns for example `method.request.header.Authorization,context.httpMethod,context.resourcePath`
 */
export function lambdaIdentitySourceAttribute(options: IdentitySourceOptions = {}): string {
  return lambdaIdentitySources(options).join(",");
}
