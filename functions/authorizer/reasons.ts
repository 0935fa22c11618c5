/**
 * Stable reason codes for every answer the authorizer gives, and the one function that maps jose
 * errors to them.
 *
 * A reason code is part of the operational contract: it appears in every decision log line and in
 * the authorizer context, and docs/authorizer.md "Reason codes" lists the table below. Never rename a code; add new ones.
 *
 * @packageDocumentation
 */

import { AUTHORIZER_VARIABLES as V } from "../../contracts/authorizer-environment";

/**
 * How API Gateway answers a request for a given reason.
 *
 * - `allowed`: the Lambda returns an Allow policy covering the called method (the backend is called).
 * - `authentication`: the Lambda throws `Error("Unauthorized")`; API Gateway answers 401.
 * - `authorization`: the Lambda returns a policy that does not allow the called method; API Gateway
 *   answers 403.
 * - `dependency`: a dependency (JWKS endpoint, DynamoDB, Cognito) failed or the authorizer itself is
 *   broken; the Lambda throws another error and API Gateway answers 500. Never an Allow.
 */
export type ReasonKind = "allowed" | "authentication" | "authorization" | "dependency";

/** One row of {@link REASONS}. */
export interface ReasonDescription {
  /** How API Gateway answers (see {@link ReasonKind}). */
  readonly kind: ReasonKind;
  /** HTTP status the caller sees for this reason (200 means the backend is called). */
  readonly httpStatus: 200 | 401 | 403 | 500;
  /** One-line meaning. */
  readonly meaning: string;
  /** What to check or change when this reason shows up unexpectedly. */
  readonly hint: string;
}

const allowed = { kind: "allowed", httpStatus: 200 } as const;
const authentication = { kind: "authentication", httpStatus: 401 } as const;
const authorization = { kind: "authorization", httpStatus: 403 } as const;
const dependency = { kind: "dependency", httpStatus: 500 } as const;

/**
 * Every reason code with its kind, meaning and fix. The keys are the codes.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 */
export const REASONS = {
  ALLOWED: {
    ...allowed,
    meaning: "The identity may call this route: scope (Bearer only) and grant both present.",
    hint: "Nothing to fix.",
  },

  HEADER_MISSING: {
    ...authentication,
    meaning: "The request has no Authorization header.",
    hint: "Send `Authorization: Bearer <access token>` or `Authorization: Basic <base64(user:password)>`.",
  },
  HEADER_MALFORMED: {
    ...authentication,
    meaning:
      "The Authorization header is not exactly `Bearer <token>` or `Basic <base64>` (one space, strict base64, " +
      "`user:password` with a non-empty user); one value holding a comma-joined list is malformed too.",
    hint: "Send a single Authorization header; for Basic, base64-encode `username:password` (RFC 7617).",
  },
  BASIC_DISABLED: {
    ...authentication,
    meaning: `Basic credentials were sent but this API does not accept them (${V.basicAuthClientId} is unset).`,
    hint: "Use a Bearer access token, or configure a Basic sign-in app client for the API.",
  },
  BASIC_USER_NOT_DESIGNATED: {
    ...authentication,
    meaning:
      `The Basic username is not one of the legacy client's designated application accounts (${V.basicUsers}), compared ` +
      "case-insensitively as the pool compares usernames, or the account Cognito signed in is not one of them; " +
      "whatever the password, Cognito is not asked and no grant is read.",
    hint:
      "People use a Bearer access token from a browser client. Designate an application account in the legacy client's " +
      "basicUsers only if it cannot use OAuth (it cannot use MFA).",
  },
  BASIC_SIGN_IN_FAILED: {
    ...authentication,
    meaning:
      "Cognito refused the username and password (unknown user and wrong password look the same), a " +
      "pre-authentication trigger refused the sign-in (UserLambdaValidation), or Cognito asked for a challenge " +
      "(new password, MFA) that Basic cannot answer.",
    hint: "Check the credentials; a user with a temporary password must set a permanent one first.",
  },
  TOKEN_TOO_LARGE: {
    ...authentication,
    meaning: `The bearer token is longer than ${V.maxTokenLengthBytes} bytes; it was not parsed.`,
    hint: `Send a Cognito access token, not an ID token or a concatenation; raise ${V.maxTokenLengthBytes} only if genuine tokens are that long.`,
  },
  TOKEN_MALFORMED: {
    ...authentication,
    meaning:
      "The bearer token is not a compact JWS of three canonical base64url segments (no padding, no non-zero unused bits) " +
      "whose header and payload are JSON objects (includes nested JWTs).",
    hint: "Send the Cognito access token exactly as issued.",
  },
  TOKEN_ALG_NOT_ALLOWED: {
    ...authentication,
    meaning: "The token's `alg` is not RS256 (for example `none` or HS256).",
    hint: "Only Cognito-issued RS256 access tokens are accepted.",
  },
  TOKEN_KID_MISSING: {
    ...authentication,
    meaning: "The token header has no `kid`; it is refused before any key lookup.",
    hint: "Send a Cognito access token; Cognito always sets `kid`.",
  },
  TOKEN_HEADER_UNSUPPORTED: {
    ...authentication,
    meaning: "The token header carries a parameter the authorizer refuses: `crit`, `b64`, or an embedded key (`jwk`, `jku`, `x5u`, `x5c`).",
    hint: "Send a Cognito access token; these headers are never set by Cognito.",
  },
  TOKEN_KEY_UNKNOWN: {
    ...authentication,
    meaning: "No single key of the user pool's JWKS (snapshot or remote) has the token's `kid`.",
    hint:
      "The token was signed by another pool or a forged key. After a genuine key rotation, an unknown kid refetches the JWKS, " +
      "but not within 30 s of a successful fetch nor 10 s of a failed one.",
  },
  TOKEN_SIGNATURE_INVALID: {
    ...authentication,
    meaning: "The signature does not verify with the pool's key for this `kid` (tampered or foreign token).",
    hint: "Send the token exactly as issued by the configured user pool.",
  },
  TOKEN_EXPIRED: {
    ...authentication,
    meaning: `The token's \`exp\` has passed (beyond ${V.clockToleranceSeconds}).`,
    hint: "Refresh the access token.",
  },
  TOKEN_TOO_OLD: {
    ...authentication,
    meaning: `The token's \`iat\` is older than ${V.maxTokenAgeSeconds}.`,
    hint: "Refresh the access token; check the app client's access token validity.",
  },
  TOKEN_LIFETIME_TOO_LONG: {
    ...authentication,
    meaning: `The token's \`exp - iat\` is longer than ${V.maxTokenLifetimeSeconds} (the longest access-token validity of the API's clients).`,
    hint:
      "Send a token issued by the configured user pool. Right after a client's access-token validity is shortened, " +
      "tokens issued under the longer validity are refused: sign in again.",
  },
  TOKEN_NOT_YET_VALID: {
    ...authentication,
    meaning: `The token's \`nbf\` or \`iat\` lies in the future beyond ${V.clockToleranceSeconds}.`,
    hint: "Check the issuer's and the caller's clocks.",
  },
  TOKEN_CLAIM_MISSING: {
    ...authentication,
    meaning: "A required claim is missing: exp, iat, sub, token_use, client_id (and `username` unless sub equals client_id).",
    hint: "Send a Cognito access token.",
  },
  TOKEN_CLAIM_INVALID: {
    ...authentication,
    meaning: "A claim has the wrong type (for example `scope` as an array, `exp` as a string).",
    hint: "Send a Cognito access token.",
  },
  TOKEN_ISSUER_INVALID: {
    ...authentication,
    meaning: `The token's \`iss\` is not exactly ${V.issuer} (the configured user pool).`,
    hint: "Use a token from the user pool this API trusts.",
  },
  TOKEN_USE_NOT_ACCESS: {
    ...authentication,
    meaning: "The token is not an access token (`token_use` is not `access`, for example an ID token).",
    hint: "Send the access token, not the ID token.",
  },
  CLIENT_NOT_ALLOWED: {
    ...authentication,
    meaning: `The token's \`client_id\` is not in ${V.appClientIds}.`,
    hint: "Use an app client this API trusts, or add the client to the configuration.",
  },

  ROUTE_NOT_CONFIGURED: {
    ...authorization,
    meaning: `The called method and resource are not in ${V.routeScopes}; nobody may call it.`,
    hint: "Add the route to the configuration (and redeploy) if it should be callable.",
  },
  SCOPE_MISSING: {
    ...authorization,
    meaning: "The access token holds none of the scopes the route requires.",
    hint: "Request one of the route's scopes when obtaining the token (and allow it on the app client).",
  },
  GRANT_MISSING: {
    ...authorization,
    meaning: "No grant in the authorization table covers this route for the principal.",
    hint: "Add `<METHOD> <resource path>` (or `* <resource path>`) to the principal's `routes` item.",
  },

  JWKS_UNAVAILABLE: {
    ...dependency,
    meaning: "The user pool's JWKS could not be fetched (network, timeout, non-200, not a JWKS).",
    hint: `Check egress to ${V.issuer} from the Lambda; set ${V.jwksSnapshot} so cold starts need no fetch.`,
  },
  GRANTS_UNAVAILABLE: {
    ...dependency,
    meaning: `DynamoDB GetItem on ${V.tableName} failed or was throttled.`,
    hint: "Check the table, the Lambda role's dynamodb:GetItem permission and the table's capacity.",
  },
  SIGN_IN_UNAVAILABLE: {
    ...dependency,
    meaning:
      "Cognito AdminInitiateAuth failed with throttling or a quota (TooManyRequests, LimitExceeded), a 5xx, a network " +
      "error, a failing Lambda trigger (UnexpectedLambda, InvalidLambdaResponse), a deployment error (access denied, " +
      "unknown pool or client), or an answer without a username.",
    hint:
      `Check Cognito quotas, the pool's Lambda triggers, ${V.userPoolId} and ${V.basicAuthClientId}, and the Lambda role's ` +
      "cognito-idp:AdminInitiateAuth permission.",
  },
  CONFIGURATION_INVALID: {
    ...dependency,
    meaning: "The authorizer's environment is invalid; every request fails until it is fixed.",
    hint: "Read the cold-start log line: it names each variable, the value received and what is allowed.",
  },
  INTERNAL_ERROR: {
    ...dependency,
    meaning: "An unexpected error inside the authorizer (a bug).",
    hint: "Read the error log line and report it.",
  },
  HEADER_REPEATED: {
    ...authentication,
    meaning:
      "The request carries the Authorization header more than once (in any case of its name), whatever the values; " +
      "it is refused before any token is verified, Cognito is asked or a grant is read.",
    hint: "Send one credential per request: a single Authorization header.",
  },
  BASIC_SIGN_IN_LIMITED: {
    ...authentication,
    meaning:
      `This designated account failed to sign in ${V.basicSignInFailureLimit} times from this source address (an IPv6 ` +
      `address's /64) within ${V.basicSignInFailureWindowSeconds}; until that window ends, its attempts from there are ` +
      "refused without asking Cognito, whatever the password, so that they cannot drive the account into Cognito's lock-out.",
    hint:
      "Wait for the window to end (the log line's detail says when), then send the right password; other addresses are " +
      "not affected. Many of these from addresses the application does not use mean someone is guessing its password.",
  },
  SIGN_IN_LIMIT_UNAVAILABLE: {
    ...dependency,
    meaning:
      `DynamoDB UpdateItem or GetItem of the failed sign-in counter (a \`lockout#\` item in ${V.tableName}) failed or was ` +
      "throttled; the Basic attempt is refused before Cognito is asked (the limit fails closed).",
    hint: "Check the table, the Lambda role's dynamodb:UpdateItem permission on `lockout#` keys and the table's capacity.",
  },
} as const satisfies Record<string, ReasonDescription>;

/** A stable reason code: a key of {@link REASONS}. */
export type ReasonCode = keyof typeof REASONS;

/** Reason codes for which API Gateway answers 401 (the authorizer throws `Error("Unauthorized")`). */
export type AuthenticationReason = {
  [K in ReasonCode]: (typeof REASONS)[K]["kind"] extends "authentication" ? K : never;
}[ReasonCode];

/** Reason codes for which API Gateway answers 403 (a policy that does not allow the method). */
export type AuthorizationReason = {
  [K in ReasonCode]: (typeof REASONS)[K]["kind"] extends "authorization" ? K : never;
}[ReasonCode];

/** Reason codes for which API Gateway answers 500 (a dependency or the authorizer failed). */
export type DependencyReason = {
  [K in ReasonCode]: (typeof REASONS)[K]["kind"] extends "dependency" ? K : never;
}[ReasonCode];

/** Reasons that end a request before any policy: authentication failures and dependency failures. */
export type RefusalReason = AuthenticationReason | DependencyReason;

/**
 * The kind of a reason code.
 *
 * @param reason - a reason code
 * @returns `allowed`, `authentication`, `authorization` or `dependency`
 */
export function reasonKind(reason: ReasonCode): ReasonKind {
  return REASONS[reason].kind;
}

/**
 * Thrown by the key resolver when the remote JWKS cannot be obtained (network error, timeout,
 * non-200, malformed JWKS). Kept apart from "no matching key" so an outage is never reported as a bad
 * token.
 */
export class JwksUnavailableError extends Error {
  /** The reason the request ends in, as {@link reasonFromJoseError} reports it. */
  readonly reason = "JWKS_UNAVAILABLE" satisfies DependencyReason;

  /**
   * @param cause - the error raised while fetching or parsing the JWKS
   */
  constructor(cause: unknown) {
    super("the user pool's JWKS could not be obtained", { cause });
    this.name = "JwksUnavailableError";
  }
}

/**
 * Whether `error` is a `TypeError` of any realm: node's own errors (WebCrypto's, for one) keep the
 * main realm's classes inside a vm context such as jest's, where `instanceof TypeError` misses them.
 */
function isTypeError(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    (typeof error === "object" &&
      error !== null &&
      Object.prototype.toString.call(error) === "[object Error]" &&
      (error as { name?: unknown }).name === "TypeError")
  );
}

/**
 * Maps an error raised while verifying a token (by jose, by `decodeProtectedHeader`, or by the key
 * resolver) to a reason code. The only place that knows jose's error codes.
 *
 * - `ERR_JWT_EXPIRED` → `TOKEN_EXPIRED` (claim `exp`) or `TOKEN_TOO_OLD` (claim `iat`, from `maxTokenAge`)
 * - `ERR_JWT_CLAIM_VALIDATION_FAILED` → by `claim` and `reason`: missing → `TOKEN_CLAIM_MISSING`,
 *   `iss` → `TOKEN_ISSUER_INVALID`, `nbf`/`iat` in the future → `TOKEN_NOT_YET_VALID`, else `TOKEN_CLAIM_INVALID`
 * - `ERR_JWS_SIGNATURE_VERIFICATION_FAILED` → `TOKEN_SIGNATURE_INVALID`
 * - `ERR_JWKS_NO_MATCHING_KEY`, `ERR_JWKS_MULTIPLE_MATCHING_KEYS` → `TOKEN_KEY_UNKNOWN`
 * - `ERR_JWKS_TIMEOUT`, `ERR_JWKS_INVALID`, {@link JwksUnavailableError} → `JWKS_UNAVAILABLE`
 * - `ERR_JOSE_ALG_NOT_ALLOWED` → `TOKEN_ALG_NOT_ALLOWED`
 * - `ERR_JOSE_NOT_SUPPORTED` (unrecognised `crit`) → `TOKEN_HEADER_UNSUPPORTED`
 * - `ERR_JWS_INVALID`, `ERR_JWT_INVALID`, any other jose error, and the plain `TypeError` that
 *   `decodeProtectedHeader` throws → `TOKEN_MALFORMED`
 * - anything else → `INTERNAL_ERROR`
 *
 * @param error - the value caught
 * @returns the reason code; never throws
 * @see https://github.com/panva/jose/blob/main/docs/util/errors/README.md
 */
export function reasonFromJoseError(error: unknown): RefusalReason {
  if (isTypeError(error)) return "TOKEN_MALFORMED";
  if (error instanceof JwksUnavailableError) return error.reason;
  if (typeof error !== "object" || error === null) return "INTERNAL_ERROR";
  const { code, claim, reason } = error as { code?: unknown; claim?: unknown; reason?: unknown };
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return claim === "iat" ? "TOKEN_TOO_OLD" : "TOKEN_EXPIRED";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      if (reason === "missing") return "TOKEN_CLAIM_MISSING";
      if (claim === "iss") return "TOKEN_ISSUER_INVALID";
      if ((claim === "nbf" || claim === "iat") && reason === "check_failed") return "TOKEN_NOT_YET_VALID";
      return "TOKEN_CLAIM_INVALID";
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "TOKEN_SIGNATURE_INVALID";
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return "TOKEN_KEY_UNKNOWN";
    case "ERR_JWKS_TIMEOUT":
    case "ERR_JWKS_INVALID":
      return "JWKS_UNAVAILABLE";
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return "TOKEN_ALG_NOT_ALLOWED";
    case "ERR_JOSE_NOT_SUPPORTED":
      return "TOKEN_HEADER_UNSUPPORTED";
    default:
      return typeof code === "string" && code.startsWith("ERR_J") ? "TOKEN_MALFORMED" : "INTERNAL_ERROR";
  }
}
