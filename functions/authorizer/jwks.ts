/**
 * The user pool's remote JWKS: fetched on demand, kept as the last good key set, and looked up with
 * {@link createKeySet} (jose's `createLocalJWKSet`). Unlike jose's `createRemoteJWKSet`, a failed
 * fetch never takes away keys that were already known, and it starts a cool-down of its own, so an
 * outage costs one fetch per cool-down instead of one (or two) per request.
 *
 * @packageDocumentation
 */
import type { KeyObject } from "node:crypto";
import { createKeySet, NO_MATCHING_KEY, type KeyLookup, type KeySet } from "./key-set";
import { JwksUnavailableError } from "./reasons";

/**
 * How long after a successful JWKS fetch an unknown `kid` is refused (`TOKEN_KEY_UNKNOWN`) without
 * refetching (jose's default). Bounds the fetches an attacker can cause, and delays a genuine key
 * rotation by at most this long.
 */
export const JWKS_COOLDOWN_MS = 30_000;

/**
 * How long after a failed JWKS fetch no fetch is tried. During it an unknown `kid` is refused
 * (`TOKEN_KEY_UNKNOWN`) while a key set is known, and answered `JWKS_UNAVAILABLE` while none is.
 */
export const JWKS_FAILURE_COOLDOWN_MS = 10_000;

/**
 * How long a fetched JWKS is used before the next call refetches it (jose's default). When that
 * refetch fails, the last good key set keeps serving.
 */
export const JWKS_CACHE_MAX_AGE_MS = 600_000;

/**
 * Timeout of one JWKS fetch (jose's default).
 *
 * @default 5000
 */
export const JWKS_TIMEOUT_MS = 5_000;

/** Options of {@link createRemoteKeySet}. */
export interface RemoteKeySetOptions {
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
  readonly onKeySet?: (keySet: KeySet) => void;
}

/**
 * The key of a `kid` in the remote JWKS, fetched when needed; throws (or rejects) as
 * {@link createRemoteKeySet} says. A key the current set answered before is returned at once, without
 * a promise.
 */
export type RemoteKeyLookup = (kid: string) => KeyObject | Promise<KeyObject>;

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === "function";
}

function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "TimeoutError";
}

/**
 * The shape {@link createKeySet} requires, and public keys only: a set that publishes a private key
 * is a broken endpoint, never a last good set.
 */
function isPublicKeySet(value: unknown): value is KeySet {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { keys } = value as { keys?: unknown };
  return (
    Array.isArray(keys) &&
    keys.every((key) => typeof key === "object" && key !== null && !Array.isArray(key) && !Object.hasOwn(key as object, "d"))
  );
}

async function fetchKeySet(jwksUri: string, timeoutMs: number): Promise<KeySet> {
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
 * Fetches the set, and once more at once when that fails other than by a timeout (a kept-alive
 * connection the server had closed). A timeout is not retried, so a slow endpoint costs one
 * timeout, not two.
 */
async function fetchKeySetRetried(jwksUri: string, timeoutMs: number): Promise<KeySet> {
  try {
    return await fetchKeySet(jwksUri, timeoutMs);
  } catch (error) {
    if (isTimeout(error)) throw error;
  }
  return await fetchKeySet(jwksUri, timeoutMs);
}

/**
 * The key of `kid` in the last good set.
 *
 * @throws {@link JwksUnavailableError} when no set was ever fetched
 */
function keyIn(lastGood: KeyLookup | undefined, kid: string): KeyObject | Promise<KeyObject> {
  if (lastGood === undefined) throw new JwksUnavailableError(new Error("no JWKS has been fetched yet"));
  return lastGood(kid);
}

/** Whether a fetch failed less than {@link JWKS_FAILURE_COOLDOWN_MS} before `atMs`: no fetch is tried. */
function inFailureCooldown(atMs: number, failedAtMs: number): boolean {
  return atMs - failedAtMs < JWKS_FAILURE_COOLDOWN_MS;
}

/**
 * Whether an unknown `kid` is refused without a refetch at `atMs`: a fetch succeeded less than
 * {@link JWKS_COOLDOWN_MS} or failed less than {@link JWKS_FAILURE_COOLDOWN_MS} before.
 */
function inRefetchCooldown(atMs: number, fetchedAtMs: number, failedAtMs: number): boolean {
  return atMs - fetchedAtMs < JWKS_COOLDOWN_MS || inFailureCooldown(atMs, failedAtMs);
}

/**
 * Whether the next call refetches the set: it is older than {@link JWKS_CACHE_MAX_AGE_MS} and no
 * failure cool-down runs.
 */
function isRefetchDue(atMs: number, fetchedAtMs: number, failedAtMs: number): boolean {
  return atMs - fetchedAtMs >= JWKS_CACHE_MAX_AGE_MS && !inFailureCooldown(atMs, failedAtMs);
}

/**
 * Creates the key lookup of a remote JWKS. Call once per container.
 *
 * - The first call fetches the set. A fetch that fails other than by a timeout is retried once at
 *   once (a kept-alive connection the server had closed); concurrent calls share one fetch.
 * - A `kid` missing from the set refetches it, unless a fetch succeeded less than
 *   {@link JWKS_COOLDOWN_MS} ago or failed less than {@link JWKS_FAILURE_COOLDOWN_MS} ago: then it is
 *   refused at once with jose's `ERR_JWKS_NO_MATCHING_KEY` (`TOKEN_KEY_UNKNOWN`).
 * - A set older than {@link JWKS_CACHE_MAX_AGE_MS} is refetched by the next call (outside a failure
 *   cool-down); if that fetch fails, the last good set answers.
 * - While the set is current (no fetch under way, not older than {@link JWKS_CACHE_MAX_AGE_MS}, or a
 *   failure cool-down runs), a key it answered before is returned at once, without a promise.
 * - A failed fetch the call depends on (no set yet, or the set lacks the `kid`) throws
 *   {@link JwksUnavailableError} (`JWKS_UNAVAILABLE`), as does any call while no set was ever fetched
 *   and a failure cool-down runs.
 *
 * @param jwksUri - `<issuer>/.well-known/jwks.json`
 * @param options - clock and fetch timeout
 * @returns the key lookup by `kid`
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
export function createRemoteKeySet(jwksUri: string, options: RemoteKeySetOptions): RemoteKeyLookup {
  const { now } = options;
  const timeoutMs = options.timeoutMs ?? JWKS_TIMEOUT_MS;
  let lastGood: KeyLookup | undefined;
  let fetchedAtMs = Number.NEGATIVE_INFINITY;
  let failedAtMs = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  /** Fetches the set (or joins the fetch under way); throws {@link JwksUnavailableError} on failure. */
  function refresh(): Promise<void> {
    inFlight ??= fetchKeySetRetried(jwksUri, timeoutMs)
      .then(
        (keySet) => {
          lastGood = createKeySet(keySet);
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

  /** The lookup of `kid` once the set to ask is settled: a `kid` it lacks may refetch it. */
  async function lookUpOrRefetch(kid: string, found: () => KeyObject | Promise<KeyObject>, failedFetch: unknown): Promise<KeyObject> {
    try {
      return await found();
    } catch (error) {
      if (codeOf(error) !== NO_MATCHING_KEY) throw error;
      if (failedFetch !== undefined) throw failedFetch;
      const nowMs = now();
      if (inFlight === undefined && inRefetchCooldown(nowMs, fetchedAtMs, failedAtMs)) throw error;
    }
    await refresh();
    return await keyIn(lastGood, kid);
  }

  /** The lookup when a fetch is under way, no set was fetched yet, or the set is too old. */
  async function fetchThenLookUp(kid: string, atMs: number): Promise<KeyObject> {
    // A fetch this call waited for and saw fail: the answer for a `kid` the last good set lacks.
    let failedFetch: unknown;
    if (inFlight !== undefined) {
      await inFlight.catch((error: unknown) => {
        failedFetch = error;
      });
    } else if (lastGood === undefined) {
      if (inFailureCooldown(atMs, failedAtMs)) {
        throw new JwksUnavailableError(new Error(`a JWKS fetch failed less than ${JWKS_FAILURE_COOLDOWN_MS} ms ago`));
      }
      await refresh();
    } else {
      // The set is too old: the last good set answers when the refetch fails.
      await refresh().catch((error: unknown) => {
        failedFetch = error;
      });
    }
    return await lookUpOrRefetch(kid, () => keyIn(lastGood, kid), failedFetch);
  }

  return (kid: string) => {
    const atMs = now();
    if (inFlight !== undefined || lastGood === undefined || isRefetchDue(atMs, fetchedAtMs, failedAtMs)) {
      return fetchThenLookUp(kid, atMs);
    }
    // The set is current: a key it answered before is returned at once.
    const found = lastGood(kid);
    return isPromise(found) ? lookUpOrRefetch(kid, () => found, undefined) : found;
  };
}
