/**
 * The bearer-token verifier as it was before `functions/authorizer/verify-token.ts` verified RS256
 * with node:crypto: jose's `jwtVerify` with a key from jose's `createLocalJWKSet` (the JWKS snapshot
 * first, then the remote set with the last good set kept and the cool-downs). Kept unchanged, apart
 * from its name and imports, as the oracle of `__tests__/functions/authorizer/verify-differential.test.ts`:
 * the production verifier must give the same verdict and reason for every token. Never bundled.
 *
 * @packageDocumentation
 */
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import { BoundedTtlCache } from "../functions/authorizer/cache";
import type { AuthorizerConfig } from "../functions/authorizer/config";
import type { Identity } from "../functions/authorizer/decide";
import { JwksUnavailableError, reasonFromJoseError, type RefusalReason } from "../functions/authorizer/reasons";
import { clientPrincipal, userPrincipal } from "../core/grant-item";

// The remote JWKS (functions/authorizer/jwks.ts before the change).

/**
 * How long after a successful JWKS fetch an unknown `kid` is refused (`TOKEN_KEY_UNKNOWN`) without
 * refetching (jose's default). Bounds the fetches an attacker can cause, and delays a genuine key
 * rotation by at most this long.
 */
const JWKS_COOLDOWN_MS = 30_000;

/**
 * How long after a failed JWKS fetch no fetch is tried. During it an unknown `kid` is refused
 * (`TOKEN_KEY_UNKNOWN`) while a key set is known, and answered `JWKS_UNAVAILABLE` while none is.
 */
const JWKS_FAILURE_COOLDOWN_MS = 10_000;

/**
 * How long a fetched JWKS is used before the next call refetches it (jose's default). When that
 * refetch fails, the last good key set keeps serving.
 */
const JWKS_CACHE_MAX_AGE_MS = 600_000;

/**
 * Timeout of one JWKS fetch (jose's default).
 *
 * @default 5000
 */
const JWKS_TIMEOUT_MS = 5_000;

/** Options of {@link createRemoteKeySet}. */
interface RemoteKeySetOptions {
  /** Current time in milliseconds since the epoch; every cool-down and age is measured with it. */
  readonly now: () => number;
  /**
   * Timeout of one fetch, in milliseconds.
   *
   * @default {@link JWKS_TIMEOUT_MS}
   */
  readonly timeoutMs?: number;
  /**
   * Called with each key set a fetch obtained, before any lookup uses it.
   *
   * @default nothing is called
   */
  readonly onKeySet?: (keySet: JSONWebKeySet) => void;
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/** jose's error code when no key of a set has the token's `kid`. */
const NO_MATCHING_KEY = "ERR_JWKS_NO_MATCHING_KEY";

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "TimeoutError";
}

/**
 * The shape jose's `createLocalJWKSet` requires, and public keys only: a set that publishes a
 * private key is a broken endpoint, never a last good set.
 */
function isPublicKeySet(value: unknown): value is JSONWebKeySet {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { keys } = value as { keys?: unknown };
  return (
    Array.isArray(keys) &&
    keys.every((key) => typeof key === "object" && key !== null && !Array.isArray(key) && !Object.hasOwn(key as object, "d"))
  );
}

async function fetchKeySet(jwksUri: string, timeoutMs: number): Promise<JSONWebKeySet> {
  const response = await fetch(jwksUri, { method: "GET", redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`the JWKS endpoint answered HTTP ${response.status}, expected 200`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (isTimeout(error)) throw error;
    throw new Error("the JWKS endpoint's answer is not JSON", { cause: error });
  }
  if (!isPublicKeySet(body)) throw new Error('the JWKS endpoint\'s answer is not a JSON Web Key Set {"keys":[…]} of public keys');
  return body;
}

/**
 * Creates the key lookup of a remote JWKS, for `jwtVerify`. Call once per container.
 *
 * - The first call fetches the set. A fetch that fails other than by a timeout is retried once at
 *   once (a kept-alive connection the server had closed); concurrent calls share one fetch.
 * - A `kid` missing from the set refetches it, unless a fetch succeeded less than
 *   {@link JWKS_COOLDOWN_MS} ago or failed less than {@link JWKS_FAILURE_COOLDOWN_MS} ago: then it is
 *   refused at once with jose's `ERR_JWKS_NO_MATCHING_KEY` (`TOKEN_KEY_UNKNOWN`).
 * - A set older than {@link JWKS_CACHE_MAX_AGE_MS} is refetched by the next call (outside a failure
 *   cool-down); if that fetch fails, the last good set answers.
 * - A failed fetch the call depends on (no set yet, or the set lacks the `kid`) throws
 *   {@link JwksUnavailableError} (`JWKS_UNAVAILABLE`), as does any call while no set was ever fetched
 *   and a failure cool-down runs.
 *
 * @param jwksUri - `<issuer>/.well-known/jwks.json`
 * @param options - clock and fetch timeout
 * @returns a key lookup for jose's `jwtVerify`
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
function createRemoteKeySet(jwksUri: string, options: RemoteKeySetOptions): JWTVerifyGetKey {
  const { now } = options;
  const timeoutMs = options.timeoutMs ?? JWKS_TIMEOUT_MS;
  let lastGood: LocalKeySet | undefined;
  let fetchedAtMs = Number.NEGATIVE_INFINITY;
  let failedAtMs = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  async function fetchWithRetry(): Promise<JSONWebKeySet> {
    try {
      return await fetchKeySet(jwksUri, timeoutMs);
    } catch (error) {
      // A timeout is not retried, so a slow endpoint costs one timeout, not two.
      if (isTimeout(error)) throw error;
    }
    return await fetchKeySet(jwksUri, timeoutMs);
  }

  /** Fetches the set (or joins the fetch under way); throws {@link JwksUnavailableError} on failure. */
  function refresh(): Promise<void> {
    inFlight ??= fetchWithRetry()
      .then(
        (keySet) => {
          lastGood = createLocalJWKSet(keySet);
          fetchedAtMs = now();
          options.onKeySet?.(keySet);
        },
        (error: unknown) => {
          failedAtMs = now();
          throw new JwksUnavailableError(error);
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  function lookUp(header: JWSHeaderParameters, token: FlattenedJWSInput): ReturnType<LocalKeySet> {
    if (lastGood === undefined) throw new JwksUnavailableError(new Error("no JWKS has been fetched yet"));
    return lastGood(header, token);
  }

  const inFailureCooldown = (atMs: number): boolean => atMs - failedAtMs < JWKS_FAILURE_COOLDOWN_MS;

  return async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    const atMs = now();
    // A fetch this call waited for and saw fail: the answer for a `kid` the last good set lacks.
    let failedFetch: unknown;
    if (inFlight !== undefined) {
      await inFlight.catch((error: unknown) => {
        failedFetch = error;
      });
    } else if (lastGood === undefined) {
      if (inFailureCooldown(atMs)) {
        throw new JwksUnavailableError(new Error(`a JWKS fetch failed less than ${JWKS_FAILURE_COOLDOWN_MS} ms ago`));
      }
      await refresh();
    } else if (atMs - fetchedAtMs >= JWKS_CACHE_MAX_AGE_MS && !inFailureCooldown(atMs)) {
      // The last good set answers when the refetch fails.
      await refresh().catch((error: unknown) => {
        failedFetch = error;
      });
    }
    try {
      return await lookUp(header, token);
    } catch (error) {
      if (codeOf(error) !== NO_MATCHING_KEY) throw error;
      if (failedFetch !== undefined) throw failedFetch;
      const nowMs = now();
      if (inFlight === undefined && (nowMs - fetchedAtMs < JWKS_COOLDOWN_MS || inFailureCooldown(nowMs))) throw error;
    }
    await refresh();
    return await lookUp(header, token);
  };
}

// The verifier (functions/authorizer/verify-token.ts before the change).

/** An identity proven by a verified Cognito access token. */
interface BearerIdentity extends Identity {
  /** Always `bearer`. */
  readonly authType: "bearer";
  /** The `sub` claim. */
  readonly subject: string;
  /** The `username` claim; `undefined` for client_credentials tokens. */
  readonly username: string | undefined;
  /** The `exp` claim, seconds since the epoch. */
  readonly expiresAtEpochSeconds: number;
}

/** Result of {@link TokenVerifier.verify}. */
type TokenVerification =
  | { readonly ok: true; readonly identity: BearerIdentity; readonly fromCache: boolean }
  | { readonly ok: false; readonly reason: RefusalReason };

/** Verifies bearer tokens. */
interface TokenVerifier {
  /**
   * Verifies a token and returns the identity it proves, or why it is refused.
   *
   * @param token - the compact JWS from `Authorization: Bearer <token>`
   * @returns an identity, or a reason (authentication failure, or `JWKS_UNAVAILABLE`); never throws
   */
  verify(token: string): Promise<TokenVerification>;
}

/** The configuration the verifier uses. */
type TokenVerifierSettings = Pick<
  AuthorizerConfig,
  | "issuer"
  | "jwksUri"
  | "appClientIds"
  | "clockToleranceSeconds"
  | "maxTokenAgeSeconds"
  | "maxTokenLifetimeSeconds"
  | "maxTokenLengthBytes"
  | "jwksSnapshot"
  | "verifiedTokenCacheSize"
>;

/** Injected collaborators, for tests. */
interface TokenVerifierDependencies {
  /**
   * Current time in milliseconds since the epoch: token times, the verified-token cache and the JWKS
   * cool-downs and age all read it.
   *
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Timeout of one JWKS fetch, in milliseconds.
   *
   * @default {@link JWKS_TIMEOUT_MS}
   */
  readonly jwksTimeoutMs?: number;
}

/** Claims every accepted token must carry. `username` is also required unless `sub` equals `client_id`. */
const REQUIRED_CLAIMS = ["exp", "iat", "sub", "token_use", "client_id"] as const;

/** Header parameters that are refused: extensions, and keys or key locations embedded in the token. */
const REFUSED_HEADER_PARAMETERS = ["crit", "b64", "jwk", "jku", "x5u", "x5c"] as const;

/**
 * Whether a token is exactly three segments of canonical base64url (RFC 7515 section 2: no padding,
 * and, as RFC 4648 section 3.5 requires of an encoder, no non-zero unused bits). Decoders forgive
 * both, so without this check one signature would have many spellings, each a new token.
 */
function isCanonicalCompactJws(token: string): boolean {
  const segments = token.split(".");
  return (
    segments.length === 3 &&
    segments.every((segment) => /^[A-Za-z0-9_-]*$/.test(segment) && Buffer.from(segment, "base64url").toString("base64url") === segment)
  );
}

/**
 * Keys come from the deploy-time snapshot first; a `kid` it lacks is looked up in the remote JWKS
 * ({@link createRemoteKeySet}: last good set kept, cool-downs after successful and failed fetches).
 * Each set a fetch obtains supersedes the snapshot: from then on only the snapshot keys whose `kid`
 * that set lists verify (no fetch is made for this: snapshot keys still never need one). When a
 * fetched set no longer lists a `kid` trusted until then, `onKeyWithdrawn` is called.
 */
function createKeyResolver(
  settings: TokenVerifierSettings,
  deps: Required<TokenVerifierDependencies>,
  onKeyWithdrawn: () => void,
): JWTVerifyGetKey {
  const snapshotKeys = (settings.jwksSnapshot as unknown as JSONWebKeySet | undefined)?.keys ?? [];
  let snapshot = snapshotKeys.length === 0 ? undefined : createLocalJWKSet({ keys: snapshotKeys });
  let trustedKids = new Set(snapshotKeys.map((key) => key.kid));
  const remote = createRemoteKeySet(settings.jwksUri, {
    now: deps.now,
    timeoutMs: deps.jwksTimeoutMs,
    onKeySet(keySet) {
      const listed = new Set(keySet.keys.map((key) => key.kid));
      const kept = snapshotKeys.filter((key) => listed.has(key.kid));
      snapshot = kept.length === 0 ? undefined : createLocalJWKSet({ keys: kept });
      const withdrawn = [...trustedKids].some((kid) => !listed.has(kid));
      trustedKids = listed;
      if (withdrawn) onKeyWithdrawn();
    },
  });
  return async (header, token) => {
    if (snapshot !== undefined) {
      try {
        return await snapshot(header, token);
      } catch (error) {
        if ((error as { code?: unknown }).code !== "ERR_JWKS_NO_MATCHING_KEY") throw error;
      }
    }
    return await remote(header, token);
  };
}

/** Checks the protected header before any key lookup. */
function headerRefusal(token: string): RefusalReason | undefined {
  let header: JWSHeaderParameters;
  try {
    header = decodeProtectedHeader(token) as JWSHeaderParameters;
  } catch (error) {
    return reasonFromJoseError(error);
  }
  if (header.alg !== "RS256") return "TOKEN_ALG_NOT_ALLOWED";
  if (typeof header.kid !== "string" || header.kid === "") return "TOKEN_KID_MISSING";
  if (REFUSED_HEADER_PARAMETERS.some((parameter) => Object.hasOwn(header, parameter))) return "TOKEN_HEADER_UNSUPPORTED";
  return undefined;
}

/** Turns verified claims into an identity, or the reason they are not acceptable. */
function identityFromClaims(
  payload: JWTPayload,
  appClientIds: ReadonlySet<string>,
  maxTokenLifetimeSeconds: number,
): { identity: BearerIdentity } | { reason: RefusalReason } {
  if (payload.token_use !== "access") return { reason: "TOKEN_USE_NOT_ACCESS" };
  const { client_id: clientId, sub, scope, username, exp } = payload as JWTPayload & Record<string, unknown>;
  if (typeof clientId !== "string" || typeof sub !== "string" || sub === "" || typeof exp !== "number") {
    return { reason: "TOKEN_CLAIM_INVALID" };
  }
  // jose has checked that `iat` is a number; a lifetime no client of the pool issues is not Cognito's.
  if (exp - (payload.iat as number) > maxTokenLifetimeSeconds) return { reason: "TOKEN_LIFETIME_TOO_LONG" };
  if (!appClientIds.has(clientId)) return { reason: "CLIENT_NOT_ALLOWED" };
  if (scope !== undefined && typeof scope !== "string") return { reason: "TOKEN_CLAIM_INVALID" };
  if (username !== undefined && (typeof username !== "string" || username === "")) return { reason: "TOKEN_CLAIM_INVALID" };
  let principal: string;
  if (typeof username === "string") principal = userPrincipal(username);
  else if (sub === clientId) principal = clientPrincipal(clientId);
  else return { reason: "TOKEN_CLAIM_MISSING" };
  return {
    identity: {
      principal,
      authType: "bearer",
      clientId,
      scopes: (scope ?? "").split(" ").filter((token) => token !== ""),
      subject: sub,
      username: username as string | undefined,
      expiresAtEpochSeconds: exp,
    },
  };
}

/**
 * Creates a verifier. Call once per container: the remote JWKS and the verified-token cache live in
 * the returned object and are reused by every call.
 *
 * Checks, in order: length ≤ `maxTokenLengthBytes`; three segments of canonical base64url (no
 * padding, no non-zero unused bits), before the verified-token cache; protected header with `alg`
 * RS256, a `kid`, and none of {@link REFUSED_HEADER_PARAMETERS}; signature with the pool's key for that
 * `kid`; `iss` exactly `issuer`; {@link REQUIRED_CLAIMS} present; `exp`, `nbf`, `iat` (not in the
 * future, not older than `maxTokenAgeSeconds`) within `clockToleranceSeconds`; `token_use` is
 * `access`; `exp - iat` at most `maxTokenLifetimeSeconds`; `client_id` in `appClientIds`; `scope` a
 * string. No `audience` check: Cognito access tokens have no `aud`.
 *
 * Verified tokens are remembered (key: the token) until `exp` or `iat + maxTokenAgeSeconds`, whichever
 * is first, in a cache of at most `verifiedTokenCacheSize` entries, which is emptied when a fetched
 * JWKS withdraws a key trusted until then (a snapshot key included).
 *
 * @param settings - issuer, JWKS, client allow-list and limits from {@link AuthorizerConfig}
 * @param deps - clock and JWKS timeout
 * @returns the verifier
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
export function createJoseTokenVerifier(settings: TokenVerifierSettings, deps: TokenVerifierDependencies = {}): TokenVerifier {
  const now = deps.now ?? Date.now;
  const verified = new BoundedTtlCache<BearerIdentity>(settings.verifiedTokenCacheSize);
  // A withdrawn key's tokens stop verifying, including those verified before.
  const resolveKey = createKeyResolver(settings, { now, jwksTimeoutMs: deps.jwksTimeoutMs ?? JWKS_TIMEOUT_MS }, () => verified.clear());
  const appClientIds: ReadonlySet<string> = new Set(settings.appClientIds);

  async function verifyUncached(token: string, nowMs: number): Promise<TokenVerification> {
    const refusal = headerRefusal(token);
    if (refusal !== undefined) return { ok: false, reason: refusal };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, resolveKey, {
        algorithms: ["RS256"],
        issuer: settings.issuer,
        requiredClaims: [...REQUIRED_CLAIMS],
        maxTokenAge: settings.maxTokenAgeSeconds,
        clockTolerance: settings.clockToleranceSeconds,
        currentDate: new Date(nowMs),
      }));
    } catch (error) {
      // Claims are only validated after the signature: an ID token fails `client_id` presence first,
      // but what is wrong with it is its use.
      const verifiedPayload = (error as { code?: unknown; payload?: JWTPayload }).payload;
      if (
        (error as { code?: unknown }).code === "ERR_JWT_CLAIM_VALIDATION_FAILED" &&
        verifiedPayload?.token_use !== undefined &&
        verifiedPayload.token_use !== "access"
      ) {
        return { ok: false, reason: "TOKEN_USE_NOT_ACCESS" };
      }
      return { ok: false, reason: reasonFromJoseError(error) };
    }
    const result = identityFromClaims(payload, appClientIds, settings.maxTokenLifetimeSeconds);
    if ("reason" in result) return { ok: false, reason: result.reason };
    const iat = payload.iat as number;
    const expiresAtMs = Math.min(result.identity.expiresAtEpochSeconds, iat + settings.maxTokenAgeSeconds) * 1000;
    verified.set(token, result.identity, expiresAtMs, nowMs);
    return { ok: true, identity: result.identity, fromCache: false };
  }

  return {
    async verify(token) {
      try {
        if (typeof token !== "string" || token === "") return { ok: false, reason: "TOKEN_MALFORMED" };
        if (Buffer.byteLength(token, "utf8") > settings.maxTokenLengthBytes) return { ok: false, reason: "TOKEN_TOO_LARGE" };
        if (!isCanonicalCompactJws(token)) return { ok: false, reason: "TOKEN_MALFORMED" };
        const nowMs = now();
        const cached = verified.get(token, nowMs);
        if (cached !== undefined) return { ok: true, identity: cached, fromCache: true };
        return await verifyUncached(token, nowMs);
      } catch {
        return { ok: false, reason: "INTERNAL_ERROR" };
      }
    },
  };
}
