/**
 * Verifies Cognito access tokens and turns them into identities. A bad token is a denial value with a
 * reason code, never an exception.
 *
 * jose selects and imports the JWKS keys (`key-set.ts`: `createLocalJWKSet`, its `CryptoKey` converted
 * once to a `KeyObject` and kept per key set and `kid`); the RS256 signature is checked with
 * node:crypto's synchronous `verify` on that `KeyObject`: once a `kid` was seen, no WebCrypto promise,
 * no hand-over to libuv's thread pool per token. Every check jose's `jwtVerify` made before is made
 * here, in the same order and with the same reasons;
 * `__tests__/functions/authorizer/verify-differential.test.ts` holds this verifier to the jose-based one
 * (`testing/jose-token-verifier.ts`) on the attack corpus and on fuzzed tokens.
 *
 * @packageDocumentation
 */
import { verify as verifyRsaSignature, type KeyObject } from "node:crypto";
import { BoundedTtlCache } from "./cache";
import type { AuthorizerConfig } from "./config";
import type { Identity } from "./decide";
import { createRemoteKeySet, JWKS_TIMEOUT_MS } from "./jwks";
import { createKeySet, NO_MATCHING_KEY, type KeyLookup, type KeySet } from "./key-set";
import { reasonFromJoseError, type RefusalReason } from "./reasons";
import { clientPrincipal, userPrincipal } from "../../core/grant-item";

/** An identity proven by a verified Cognito access token. */
export interface BearerIdentity extends Identity {
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
export type TokenVerification =
  | { readonly ok: true; readonly identity: BearerIdentity; readonly fromCache: boolean }
  | { readonly ok: false; readonly reason: RefusalReason };

/** Verifies bearer tokens. */
export interface TokenVerifier {
  /**
   * Verifies a token and returns the identity it proves, or why it is refused.
   *
   * @param token - the compact JWS from `Authorization: Bearer <token>`
   * @param cacheKey - what a verified identity is remembered under: the token itself (the default),
   *   or the whole `Authorization` value `token` was read from, so that {@link TokenVerifier.cached}
   *   can answer that value before it is parsed. Keys are compared exactly: two values that differ
   *   in any character (the scheme's case included) never share an entry.
   * @returns an identity, or a reason (authentication failure, or `JWKS_UNAVAILABLE`); never throws
   */
  verify(token: string, cacheKey?: string): Promise<TokenVerification>;
  /**
   * The identity remembered under `cacheKey` (see {@link TokenVerifier.verify}) while it is cached:
   * what `verify` would answer at once, from its cache, for the token that was verified under it.
   *
   * @param cacheKey - a token, or an `Authorization` value given as `cacheKey` to `verify`
   * @returns the identity, or `undefined` when nothing valid is remembered under the key
   */
  cached(cacheKey: string): BearerIdentity | undefined;
}

/** The configuration the verifier uses. */
export type TokenVerifierSettings = Pick<
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
export interface TokenVerifierDependencies {
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
export const REQUIRED_CLAIMS = ["exp", "iat", "sub", "token_use", "client_id"] as const;

/** Header parameters that are refused: extensions, and keys or key locations embedded in the token. */
export const REFUSED_HEADER_PARAMETERS = ["crit", "b64", "jwk", "jku", "x5u", "x5c"] as const;

/** A JSON object decoded from a token segment. */
type Claims = Record<string, unknown>;

/** Decodes a key or token segment's bytes the way jose did: UTF-8 that must be well-formed (a BOM is dropped). */
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Three segments of base64url characters (possibly empty), and nothing else. */
const COMPACT_JWS = /^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/** The 6-bit value of each base64url character code (-1 for any other code below 128). */
const BASE64URL_VALUES: Int8Array = (() => {
  const values = new Int8Array(128).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (let index = 0; index < alphabet.length; index += 1) values[alphabet.charCodeAt(index)] = index;
  return values;
})();

/**
 * Whether the base64url segment `token[start, end)` is canonical (RFC 7515 section 2: no padding; as
 * RFC 4648 section 3.5 requires of an encoder, no non-zero unused bits): a length of 4k + 1 leaves a
 * character that is no byte, and the last character of a 4k + 2 (4k + 3) length carries 4 (2) unused
 * bits. Decoders forgive both, so without this check one signature would have many spellings, each a
 * new token. The characters themselves are checked by {@link COMPACT_JWS}.
 */
function isCanonicalSegment(token: string, start: number, end: number): boolean {
  const rest = (end - start) % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const unusedBits = rest === 2 ? 0x0f : 0x03;
  return (BASE64URL_VALUES[token.charCodeAt(end - 1)]! & unusedBits) === 0;
}

/** A segment's bytes as a JSON object, or `undefined` when they are not UTF-8 JSON of an object. */
function decodeJsonObject(bytes: Buffer): Claims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    return undefined;
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Claims) : undefined;
}

/** Looks up the verification key of a `kid`; throws with the codes `reasonFromJoseError` knows. */
type KeyResolver = (kid: string) => KeyObject | Promise<KeyObject>;

/**
 * Keys come from the deploy-time snapshot first; a `kid` it lacks is looked up in the remote JWKS
 * ({@link createRemoteKeySet}: last good set kept, cool-downs after successful and failed fetches).
 * Each set a fetch obtains supersedes the snapshot: from then on only the snapshot keys whose `kid`
 * that set lists verify (no fetch is made for this: snapshot keys still never need one). When a
 * fetched set no longer lists a `kid` trusted until then, `onKeyWithdrawn` is called. A key seen
 * before (the snapshot's, or the current remote set's) is answered at once, without a promise.
 */
function createKeyResolver(
  settings: TokenVerifierSettings,
  deps: Required<TokenVerifierDependencies>,
  onKeyWithdrawn: () => void,
): KeyResolver {
  const snapshotKeys = ((settings.jwksSnapshot as unknown as KeySet | undefined)?.keys ?? []) as readonly { kid?: unknown }[];
  let snapshot: KeyLookup | undefined = snapshotKeys.length === 0 ? undefined : createKeySet({ keys: snapshotKeys });
  let trustedKids = new Set(snapshotKeys.map((key) => key.kid));
  // The `kid`s of the snapshot's keys: any other `kid` is no match there (jose compares `kid`s exactly).
  let snapshotKids: ReadonlySet<unknown> = trustedKids;
  const remote = createRemoteKeySet(settings.jwksUri, {
    now: deps.now,
    timeoutMs: deps.jwksTimeoutMs,
    onKeySet(keySet) {
      const listed = new Set((keySet.keys as readonly { kid?: unknown }[]).map((key) => key.kid));
      const kept = snapshotKeys.filter((key) => listed.has(key.kid));
      snapshot = kept.length === 0 ? undefined : createKeySet({ keys: kept });
      snapshotKids = new Set(kept.map((key) => key.kid));
      const withdrawn = [...trustedKids].some((kid) => !listed.has(kid));
      trustedKids = listed;
      if (withdrawn) onKeyWithdrawn();
    },
  });
  return (kid) => {
    if (snapshot === undefined || !snapshotKids.has(kid)) return remote(kid);
    const found = snapshot(kid);
    if (!isPromise(found)) return found;
    return found.catch((error: unknown) => {
      if ((error as { code?: unknown } | null)?.code !== NO_MATCHING_KEY) throw error;
      return remote(kid);
    });
  };
}

/** A token split and decoded, its header accepted; what the signature check and the claims need. */
interface ParsedToken {
  readonly kid: string;
  /** `<header>.<payload>`, the signed bytes. */
  readonly signingInput: Buffer;
  readonly signature: Buffer;
  /** The payload segment's bytes (parsed only once the signature verifies, as jose did). */
  readonly payload: Buffer;
}

/**
 * Splits a canonical compact JWS and checks its protected header before any key lookup: a JSON object
 * with `alg` RS256, a non-empty string `kid`, and none of {@link REFUSED_HEADER_PARAMETERS} (so `crit`
 * and `b64` are refused whatever their values: no extension is understood, the payload is always
 * base64url). `typ` and `cty` are not read (a nested JWT fails as a payload that is not a JSON object).
 *
 * @returns the parts, or why the token is refused
 */
function parseCompactJws(token: string): ParsedToken | RefusalReason {
  if (!COMPACT_JWS.test(token)) return "TOKEN_MALFORMED";
  const headerEnd = token.indexOf(".");
  const payloadEnd = token.indexOf(".", headerEnd + 1);
  if (
    !isCanonicalSegment(token, 0, headerEnd) ||
    !isCanonicalSegment(token, headerEnd + 1, payloadEnd) ||
    !isCanonicalSegment(token, payloadEnd + 1, token.length)
  ) {
    return "TOKEN_MALFORMED";
  }
  if (headerEnd === 0) return "TOKEN_MALFORMED";
  const header = decodeJsonObject(Buffer.from(token.slice(0, headerEnd), "base64url"));
  if (header === undefined) return "TOKEN_MALFORMED";
  if (header.alg !== "RS256") return "TOKEN_ALG_NOT_ALLOWED";
  const { kid } = header;
  if (typeof kid !== "string" || kid === "") return "TOKEN_KID_MISSING";
  for (const parameter of REFUSED_HEADER_PARAMETERS) if (Object.hasOwn(header, parameter)) return "TOKEN_HEADER_UNSUPPORTED";
  return {
    kid,
    signingInput: Buffer.from(token.slice(0, payloadEnd), "latin1"),
    signature: Buffer.from(token.slice(payloadEnd + 1), "base64url"),
    payload: Buffer.from(token.slice(headerEnd + 1, payloadEnd), "base64url"),
  };
}

/** The limits the claims are held to. */
type ClaimLimits = Pick<TokenVerifierSettings, "issuer" | "clockToleranceSeconds" | "maxTokenAgeSeconds">;

/**
 * Checks the claims of a token whose signature verified, exactly as jose's `jwtVerify` did with the
 * options the verifier gave it (issuer, {@link REQUIRED_CLAIMS}, `maxTokenAge`, `clockTolerance`,
 * `currentDate`), in its order: every required claim and `iss` present (a `null` value counts as
 * present), `iss` equal to the issuer, `iat` a number, `nbf` (if present) a number not after now +
 * tolerance, `exp` a number after now - tolerance, `iat` no older than the maximum age (with the
 * tolerance) and not after now + tolerance. Times are whole seconds: now is rounded down.
 *
 * A failure jose reported as a claim validation failure (all but the `exp` and age checks) is
 * `TOKEN_USE_NOT_ACCESS` when `token_use` is present and not `access`: an ID token fails the
 * `client_id` presence check first, but what is wrong with it is its use.
 *
 * @returns why the claims are refused, or `undefined`
 */
function claimsRefusal(claims: Claims, limits: ClaimLimits, nowMs: number): RefusalReason | undefined {
  const claimFailed = (reason: RefusalReason): RefusalReason =>
    claims.token_use !== undefined && claims.token_use !== "access" ? "TOKEN_USE_NOT_ACCESS" : reason;
  for (const claim of PRESENT_CLAIMS) if (!Object.hasOwn(claims, claim)) return claimFailed("TOKEN_CLAIM_MISSING");
  if (claims.iss !== limits.issuer) return claimFailed("TOKEN_ISSUER_INVALID");
  const tolerance = limits.clockToleranceSeconds;
  // jose read the current date as `new Date(nowMs)`: a clock that is not a time refused every token.
  const now = Math.floor(new Date(nowMs).getTime() / 1000);
  if (!Number.isFinite(now)) return "TOKEN_MALFORMED";
  const { iat, nbf, exp } = claims;
  if (typeof iat !== "number") return claimFailed("TOKEN_CLAIM_INVALID");
  if (nbf !== undefined) {
    if (typeof nbf !== "number") return claimFailed("TOKEN_CLAIM_INVALID");
    if (nbf > now + tolerance) return claimFailed("TOKEN_NOT_YET_VALID");
  }
  if (typeof exp !== "number") return claimFailed("TOKEN_CLAIM_INVALID");
  if (exp <= now - tolerance) return "TOKEN_EXPIRED";
  const age = now - iat;
  if (age - tolerance > limits.maxTokenAgeSeconds) return "TOKEN_TOO_OLD";
  if (age < -tolerance) return claimFailed("TOKEN_NOT_YET_VALID");
  return undefined;
}

/** The claims that must be present: {@link REQUIRED_CLAIMS} and `iss`. */
const PRESENT_CLAIMS: readonly string[] = ["iss", ...REQUIRED_CLAIMS];

/** Whether a value is a promise (a key the remote JWKS answers) rather than a key. */
function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === "function";
}

/** Turns verified claims into an identity, or the reason they are not acceptable. */
function identityFromClaims(
  payload: Claims,
  appClientIds: ReadonlySet<string>,
  maxTokenLifetimeSeconds: number,
): { identity: BearerIdentity } | { reason: RefusalReason } {
  if (payload.token_use !== "access") return { reason: "TOKEN_USE_NOT_ACCESS" };
  const { client_id: clientId, sub, scope, username, exp } = payload;
  if (typeof clientId !== "string" || typeof sub !== "string" || sub === "" || typeof exp !== "number") {
    return { reason: "TOKEN_CLAIM_INVALID" };
  }
  // `iat` is a number (checked with the times); a lifetime no client of the pool issues is not Cognito's.
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
 * Verified tokens are remembered (key: the token, or the `Authorization` value that carried it) until `exp` or `iat + maxTokenAgeSeconds`, whichever
 * is first, in a cache of at most `verifiedTokenCacheSize` entries, which is emptied when a fetched
 * JWKS withdraws a key trusted until then (a snapshot key included).
 *
 * @param settings - issuer, JWKS, client allow-list and limits from {@link AuthorizerConfig}
 * @param deps - clock and JWKS timeout
 * @returns the verifier
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
export function createTokenVerifier(settings: TokenVerifierSettings, deps: TokenVerifierDependencies = {}): TokenVerifier {
  const now = deps.now ?? Date.now;
  const verified = new BoundedTtlCache<BearerIdentity>(settings.verifiedTokenCacheSize);
  // A withdrawn key's tokens stop verifying, including those verified before.
  const resolveKey = createKeyResolver(settings, { now, jwksTimeoutMs: deps.jwksTimeoutMs ?? JWKS_TIMEOUT_MS }, () => verified.clear());
  const appClientIds: ReadonlySet<string> = new Set(settings.appClientIds);
  const { maxTokenLengthBytes } = settings;

  /** Signature, claims and identity of a token whose header was accepted. */
  function verifyWithKey(cacheKey: string, parsed: ParsedToken, key: KeyObject, nowMs: number): TokenVerification {
    let valid: boolean;
    try {
      valid = verifyRsaSignature("sha256", parsed.signingInput, key, parsed.signature);
    } catch {
      valid = false;
    }
    if (!valid) return { ok: false, reason: "TOKEN_SIGNATURE_INVALID" };
    const claims = decodeJsonObject(parsed.payload);
    if (claims === undefined) return { ok: false, reason: "TOKEN_MALFORMED" };
    const refusal = claimsRefusal(claims, settings, nowMs);
    if (refusal !== undefined) return { ok: false, reason: refusal };
    const result = identityFromClaims(claims, appClientIds, settings.maxTokenLifetimeSeconds);
    if ("reason" in result) return { ok: false, reason: result.reason };
    const iat = claims.iat as number;
    const expiresAtMs = Math.min(result.identity.expiresAtEpochSeconds, iat + settings.maxTokenAgeSeconds) * 1000;
    verified.set(cacheKey, result.identity, expiresAtMs, nowMs);
    return { ok: true, identity: result.identity, fromCache: false };
  }

  return {
    async verify(token, cacheKey = token) {
      try {
        if (typeof token !== "string" || token === "") return { ok: false, reason: "TOKEN_MALFORMED" };
        // A string's UTF-8 length is at least its length: a long token is refused before it is hashed.
        if (token.length > maxTokenLengthBytes) return { ok: false, reason: "TOKEN_TOO_LARGE" };
        const nowMs = now();
        // Only verified tokens are cached, and each passed the checks below, so the cache may answer first.
        const cached = verified.get(cacheKey, nowMs);
        if (cached !== undefined) return { ok: true, identity: cached, fromCache: true };
        if (Buffer.byteLength(token, "utf8") > maxTokenLengthBytes) return { ok: false, reason: "TOKEN_TOO_LARGE" };
        const parsed = parseCompactJws(token);
        if (typeof parsed === "string") return { ok: false, reason: parsed };
        let key: KeyObject;
        try {
          const found = resolveKey(parsed.kid);
          key = isPromise(found) ? await found : found;
        } catch (error) {
          return { ok: false, reason: reasonFromJoseError(error) };
        }
        return verifyWithKey(cacheKey, parsed, key, nowMs);
      } catch {
        return { ok: false, reason: "INTERNAL_ERROR" };
      }
    },
    cached(cacheKey) {
      return verified.get(cacheKey, now());
    },
  };
}
