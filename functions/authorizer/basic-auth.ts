/**
 * HTTP Basic credentials (RFC 7617) checked by signing in to Cognito with `AdminInitiateAuth`.
 *
 * @packageDocumentation
 */
import { createHmac, randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import { designatedBasicUsers, isDesignatedBasicUser } from "../../contracts/basic-users";
import type { AdminInitiateAuthOutput, CognitoApi } from "./aws/cognito";
import { BoundedTtlCache, SingleFlight } from "./cache";
import { errorDetail } from "./error-detail";
import { sourceAddressKey, type SignInLimiter } from "./sign-in-limit";
import type { Identity } from "./decide";
import { userPrincipal } from "../../core/grant-item";

/** A username and password taken from an `Authorization: Basic` header. */
export interface BasicCredentials {
  /** The user-id: everything before the first colon; never empty. */
  readonly username: string;
  /** The password: everything after the first colon (may contain colons). */
  readonly password: string;
}

/** Result of {@link parseBasicAuthorization}. */
export type BasicCredentialsParse =
  { readonly ok: true; readonly credentials: BasicCredentials } | { readonly ok: false; readonly reason: "HEADER_MALFORMED" };

/** An identity proven by a successful Cognito sign-in with Basic credentials. */
export interface BasicIdentity extends Identity {
  /** Always `basic`. */
  readonly authType: "basic";
  /** The `username` claim of the access token Cognito returned (the canonical username). */
  readonly username: string;
}

/** Result of {@link BasicAuthenticator.signIn}. */
export type BasicSignIn =
  | { readonly ok: true; readonly identity: BasicIdentity; readonly fromCache: boolean }
  | {
      readonly ok: false;
      readonly reason: BasicSignInRefusal;
      /** The Cognito error name or network error code, for logs (never the credentials). */
      readonly detail: string | undefined;
    };

/** Why a Basic sign-in is refused. */
export type BasicSignInRefusal =
  "BASIC_USER_NOT_DESIGNATED" | "BASIC_SIGN_IN_FAILED" | "SIGN_IN_UNAVAILABLE" | "BASIC_SIGN_IN_LIMITED" | "SIGN_IN_LIMIT_UNAVAILABLE";

/**
 * The caller as API Gateway saw it, passed to Cognito as `ContextData` so that threat protection can
 * score the sign-in by the caller rather than by the authorizer.
 */
export interface BasicSignInCaller {
  /** `requestContext.identity.sourceIp`: the only source of the address (never a forwarding header). */
  readonly sourceIp: string;
  /** The API's host name (`requestContext.domainName`, else the `Host` header). */
  readonly serverName: string;
  /** The path called, for example `/v1/resource`. */
  readonly serverPath: string;
  /** The request's headers (any case); only {@link CONTEXT_DATA_HEADER_NAMES} are passed on. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/** Signs in Basic credentials. */
export interface BasicAuthenticator {
  /**
   * Refuses a username that is not designated, then signs in with Cognito, or reuses a recent
   * successful sign-in with the same credentials (and, with threat protection, the same source IP).
   *
   * @param credentials - parsed Basic credentials
   * @param caller - the caller, for `ContextData`; without it no `ContextData` is sent
   * @returns the identity, or why it is refused; never throws
   */
  signIn(credentials: BasicCredentials, caller?: BasicSignInCaller): Promise<BasicSignIn>;
}

/** The configuration the authenticator uses. */
export interface BasicAuthenticatorSettings {
  /** USER_POOL_ID. */
  readonly userPoolId: string;
  /** BASIC_AUTH_CLIENT_ID: an app client with `ALLOW_ADMIN_USER_PASSWORD_AUTH` and no secret. */
  readonly clientId: string;
  /** BASIC_AUTH_CACHE_TTL_SECONDS; 0 disables the cache. */
  readonly cacheTtlSeconds: number;
  /**
   * BASIC_USERS: the designated accounts; any other username is refused before Cognito is asked, and
   * a sign-in whose token names another account is refused after.
   */
  readonly designatedUsers: readonly string[];
  /**
   * Whether the caller's source IP joins the sign-in cache key (threat protection on).
   *
   * @default false
   */
  readonly sourceIpInCacheKey?: boolean;
  /**
   * Most sign-ins remembered at once.
   *
   * @default 1000
   */
  readonly maxCacheEntries?: number;
}

/** Injected collaborators. */
export interface BasicAuthenticatorDependencies {
  /**
   * The Cognito client, or a function that creates it on the first sign-in (once per container),
   * so that a container that never sees a Basic request never loads the Cognito client.
   */
  readonly cognito: Pick<CognitoApi, "adminInitiateAuth"> | (() => Promise<Pick<CognitoApi, "adminInitiateAuth">>);
  /**
   * The limit of failed sign-ins per account and source address (`sign-in-limit.ts`), asked before
   * every Cognito call (never on a sign-in cache hit); `null` turns it off, explicitly.
   */
  readonly failedSignInLimit: SignInLimiter | null;
  /**
   * Current time in milliseconds since the epoch.
   *
   * @default Date.now
   */
  readonly now?: () => number;
}

const BASIC_HEADER = /^([A-Za-z]+) ([A-Za-z0-9+/]+={0,2})$/;
const MAX_ENCODED_CREDENTIALS_LENGTH = 4096;
// RFC 7617 §2: the user-id and password MUST NOT contain control characters (matching them is the point).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses an `Authorization` header value as Basic credentials (RFC 7617): scheme `Basic` in any
 * case, exactly one space, canonical padded base64 of UTF-8 `user:password`, split at the first
 * colon. Malformed: another scheme, extra spaces, bad base64, no colon, an empty user, control
 * characters.
 *
 * @param headerValue - the whole header value, for example `Basic YWxpY2U6c2VjcmV0`
 * @returns the credentials, or `HEADER_MALFORMED`
 * @see https://www.rfc-editor.org/rfc/rfc7617#section-2
 */
export function parseBasicAuthorization(headerValue: string): BasicCredentialsParse {
  const malformed = { ok: false, reason: "HEADER_MALFORMED" } as const;
  const match = BASIC_HEADER.exec(headerValue);
  if (match === null || match[1]!.toLowerCase() !== "basic") return malformed;
  const encoded = match[2]!;
  if (encoded.length > MAX_ENCODED_CREDENTIALS_LENGTH || encoded.length % 4 !== 0) return malformed;
  const bytes = Buffer.from(encoded, "base64");
  if (bytes.toString("base64") !== encoded) return malformed;
  let decoded: string;
  try {
    decoded = STRICT_UTF8.decode(bytes);
  } catch {
    return malformed;
  }
  const colon = decoded.indexOf(":");
  if (colon <= 0 || CONTROL_CHARACTER.test(decoded)) return malformed;
  return { ok: true, credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } };
}

/**
 * Headers passed to Cognito in `ContextData.HttpHeaders` (lower case; compared case-insensitively).
 * An allow-list: credentials (`Authorization`, `Cookie`) and forwarding headers a caller can forge
 * (`X-Forwarded-For`, `Forwarded`, `X-Real-IP`) are never on it, whatever their case.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ContextDataType.html
 */
export const CONTEXT_DATA_HEADER_NAMES: readonly string[] = Object.freeze([
  "host",
  "user-agent",
  "accept",
  "accept-language",
  "accept-encoding",
  "origin",
]);
const MAX_CONTEXT_HEADER_VALUE_LENGTH = 1024;

/**
 * The `ContextData` of `AdminInitiateAuth` for a caller: its source IP, the server name and path, and
 * the allow-listed headers ({@link CONTEXT_DATA_HEADER_NAMES}) with their names in lower case.
 *
 * @param caller - the caller as API Gateway saw it
 * @returns the `ContextData` value
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html#CognitoUserPools-AdminInitiateAuth-request-ContextData
 */
export function signInContextData(caller: BasicSignInCaller): {
  IpAddress: string;
  ServerName: string;
  ServerPath: string;
  HttpHeaders: { headerName: string; headerValue: string }[];
} {
  const HttpHeaders = Object.entries(caller.headers)
    .map(([name, value]) => ({ headerName: name.toLowerCase(), headerValue: value }))
    .filter(
      (header): header is { headerName: string; headerValue: string } =>
        CONTEXT_DATA_HEADER_NAMES.includes(header.headerName) && typeof header.headerValue === "string",
    )
    .map((header) => ({ headerName: header.headerName, headerValue: header.headerValue.slice(0, MAX_CONTEXT_HEADER_VALUE_LENGTH) }));
  return { IpAddress: caller.sourceIp, ServerName: caller.serverName, ServerPath: caller.serverPath, HttpHeaders };
}

const THROTTLING_OR_SERVER_ERRORS = new Set([
  "TooManyRequestsException",
  "ThrottlingException",
  "InternalErrorException",
  // A quota of the pool or account: an outage of the Basic path, not a wrong password.
  "LimitExceededException",
  // A Lambda trigger that failed or answered nonsense; UserLambdaValidationException (a
  // pre-authentication trigger refusing this sign-in) stays a refusal.
  "UnexpectedLambdaException",
  "InvalidLambdaResponseException",
]);
// Errors no caller can cause: the deployment is broken, which must not look like a wrong password.
const DEPLOYMENT_ERRORS = new Set([
  "AccessDeniedException",
  "ResourceNotFoundException",
  "InvalidUserPoolConfigurationException",
  "UnrecognizedClientException",
]);

/**
 * Whether a Cognito error means "Cognito is unavailable" (throttling, 5xx, no HTTP answer, a broken
 * deployment) rather than "these credentials are refused".
 *
 * @param error - the error from `CognitoApi.adminInitiateAuth` (an `AwsServiceError`, whose
 * `$metadata.httpStatusCode` is the HTTP status, or a network error, timeout or credentials error)
 * @returns true for a dependency failure
 */
export function isSignInUnavailableError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return true;
  const { name, $metadata, $retryable } = error as {
    name?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $retryable?: { throttling?: unknown };
  };
  const status = $metadata?.httpStatusCode;
  if (typeof status !== "number") return true;
  if (status >= 500 || status === 429 || $retryable?.throttling === true) return true;
  return THROTTLING_OR_SERVER_ERRORS.has(String(name)) || DEPLOYMENT_ERRORS.has(String(name));
}

type SignInOutcome = { readonly identity: BasicIdentity } | { readonly reason: BasicSignInRefusal; readonly detail: string | undefined };

/**
 * What a completed `AdminInitiateAuth` call means: a challenge is a refusal; otherwise the identity
 * is the `username` claim of the returned access token, refused when that account is not designated.
 *
 * @param output - Cognito's answer
 * @param designated - the designated accounts ({@link designatedBasicUsers})
 * @param clientId - the Basic app client, recorded in the identity
 * @returns the identity, or why the sign-in is refused
 */
function signInOutcomeOf(output: AdminInitiateAuthOutput, designated: ReadonlySet<string>, clientId: string): SignInOutcome {
  if (output.ChallengeName !== undefined) return { reason: "BASIC_SIGN_IN_FAILED", detail: `challenge ${output.ChallengeName}` };
  const accessToken = output.AuthenticationResult?.AccessToken;
  let canonicalUsername: unknown;
  try {
    // Verification is unnecessary: the token comes straight from Cognito's API over TLS.
    canonicalUsername = accessToken === undefined ? undefined : decodeJwt(accessToken).username;
  } catch {
    canonicalUsername = undefined;
  }
  if (typeof canonicalUsername !== "string" || canonicalUsername === "") {
    return { reason: "SIGN_IN_UNAVAILABLE", detail: "no username in the access token" };
  }
  if (!isDesignatedBasicUser(designated, canonicalUsername)) {
    return { reason: "BASIC_USER_NOT_DESIGNATED", detail: "the signed-in account is not designated" };
  }
  return {
    identity: { principal: userPrincipal(canonicalUsername), authType: "basic", clientId, scopes: [], username: canonicalUsername },
  };
}

/**
 * Creates the Basic authenticator. Call once per container: the cache and its key live in it.
 *
 * A username that is not designated ({@link isDesignatedBasicUser}) is refused first
 * (`BASIC_USER_NOT_DESIGNATED`), whatever the password, without asking Cognito; so is a sign-in
 * whose token names an account that is not designated.
 *
 * Signs in with `AdminInitiateAuth` (`ADMIN_USER_PASSWORD_AUTH`), with the caller's `ContextData`
 * when given. Any challenge (new password, MFA)
 * and any refusal are `BASIC_SIGN_IN_FAILED`, identical for an unknown user and a wrong password.
 * Throttling, 5xx, network errors and deployment errors are `SIGN_IN_UNAVAILABLE`. The principal is
 * `user#<username claim of the returned access token>`.
 *
 * Before Cognito is asked, the attempt is counted for the account and the caller's source address
 * (`deps.failedSignInLimit`): at the limit it is refused (`BASIC_SIGN_IN_LIMITED`) without a Cognito
 * call; an attempt that did not fail (success, Cognito unavailable) is given back.
 *
 * Successful sign-ins are reused for `cacheTtlSeconds`, keyed by an HMAC-SHA256 of the credentials
 * under a random key made per container (the password is never stored); concurrent identical
 * sign-ins share one Cognito call.
 *
 * @param settings - pool, client and cache settings
 * @param deps - Cognito client and clock
 * @returns the authenticator
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html
 */
export function createBasicAuthenticator(settings: BasicAuthenticatorSettings, deps: BasicAuthenticatorDependencies): BasicAuthenticator {
  const now = deps.now ?? Date.now;
  const cacheKeySecret = randomBytes(32);
  const designated = designatedBasicUsers(settings.designatedUsers);
  const cache = new BoundedTtlCache<BasicIdentity>(settings.cacheTtlSeconds > 0 ? (settings.maxCacheEntries ?? 1000) : 0);
  const inFlight = new SingleFlight<SignInOutcome>();
  let cognito: Promise<Pick<CognitoApi, "adminInitiateAuth">> | undefined;

  const cacheKey = ({ username, password }: BasicCredentials, caller: BasicSignInCaller | undefined): string => {
    const sourceIp = settings.sourceIpInCacheKey === true ? (caller?.sourceIp ?? "") : "";
    return createHmac("sha256", cacheKeySecret)
      .update(`${sourceIp.length}:${sourceIp}:${username.length}:${username}:${password}`, "utf8")
      .digest("base64url");
  };

  async function signInWithCognito(
    { username, password }: BasicCredentials,
    caller: BasicSignInCaller | undefined,
  ): Promise<SignInOutcome> {
    let output;
    try {
      const client = await (cognito ??= typeof deps.cognito === "function" ? deps.cognito() : Promise.resolve(deps.cognito));
      output = await client.adminInitiateAuth({
        UserPoolId: settings.userPoolId,
        ClientId: settings.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
        ...(caller === undefined ? {} : { ContextData: signInContextData(caller) }),
      });
    } catch (error) {
      return { reason: isSignInUnavailableError(error) ? "SIGN_IN_UNAVAILABLE" : "BASIC_SIGN_IN_FAILED", detail: errorDetail(error) };
    }
    return signInOutcomeOf(output, designated, settings.clientId);
  }

  return {
    async signIn(credentials, caller) {
      try {
        if (!isDesignatedBasicUser(designated, credentials.username)) {
          return { ok: false, reason: "BASIC_USER_NOT_DESIGNATED", detail: undefined };
        }
        if (credentials.password === "") return { ok: false, reason: "BASIC_SIGN_IN_FAILED", detail: "empty password" };
        const key = cacheKey(credentials, caller);
        const cached = cache.get(key, now());
        if (cached !== undefined) return { ok: true, identity: cached, fromCache: true };
        const outcome = await inFlight.run(key, async () => {
          const reservation = await deps.failedSignInLimit?.reserve(credentials.username, caller?.sourceIp);
          if (reservation !== undefined && !reservation.ok) {
            // The account is designated, so its name is no secret; the password never appears.
            const where = `${credentials.username} from ${sourceAddressKey(caller?.sourceIp)}`;
            return { reason: reservation.reason, detail: `${where}: ${reservation.detail ?? "refused"}` };
          }
          const result = await signInWithCognito(credentials, caller);
          if (!("reason" in result && result.reason === "BASIC_SIGN_IN_FAILED")) await reservation?.release();
          if ("identity" in result) {
            const storedAtMs = now();
            cache.set(key, result.identity, storedAtMs + settings.cacheTtlSeconds * 1000, storedAtMs);
          }
          return result;
        });
        if ("identity" in outcome) return { ok: true, identity: outcome.identity, fromCache: false };
        return { ok: false, reason: outcome.reason, detail: outcome.detail };
      } catch (error) {
        return { ok: false, reason: "SIGN_IN_UNAVAILABLE", detail: errorDetail(error) };
      }
    },
  };
}
