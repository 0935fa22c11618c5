/**
 * A JSON Web Key Set held locally: the RS256 key for a `kid`, as a node:crypto `KeyObject` imported
 * once per key, for the synchronous `crypto.verify` of `verify-token.ts`.
 *
 * It selects and refuses keys exactly as jose's `createLocalJWKSet` (the verifier used before) did for
 * RS256, with the same error codes, so `reasonFromJoseError` gives the same reasons:
 *
 * - a key is a candidate when `kty` is `RSA`, its `kid` equals the token's, `alg` is absent or
 *   `RS256`, `use` absent or `sig`, `ext` absent or a boolean, and `key_ops` absent or an array of
 *   distinct strings that includes `verify`;
 * - no candidate: `ERR_JWKS_NO_MATCHING_KEY`; more than one: `ERR_JWKS_MULTIPLE_MATCHING_KEYS` (both
 *   `TOKEN_KEY_UNKNOWN`);
 * - the candidate is imported on first use and kept; a key WebCrypto would not have imported fails as
 *   it did: `key_ops` with a value that is not a key usage is a `TypeError` (`TOKEN_MALFORMED`), with a
 *   usage other than `verify` an error without a code (`INTERNAL_ERROR`), as is a key without a
 *   usable `n` and `e`; an RSA modulus under 2048 bits is a `TypeError` (`TOKEN_MALFORMED`), as jose
 *   refused such keys at each verification.
 *
 * @packageDocumentation
 */
import { createPublicKey, type JsonWebKey as NodeJsonWebKey, type KeyObject } from "node:crypto";

/** A JSON Web Key Set: `{"keys":[…]}`. */
export interface KeySet {
  /** The keys, JSON objects. */
  readonly keys: readonly object[];
}

/** Returns the key for a `kid`, or throws (see the module's description for the errors). */
export type KeyLookup = (kid: string) => KeyObject;

/** jose's error code when no key of a set has the token's `kid`. */
export const NO_MATCHING_KEY = "ERR_JWKS_NO_MATCHING_KEY";

/** jose's error code when more than one key of a set has the token's `kid`. */
export const MULTIPLE_MATCHING_KEYS = "ERR_JWKS_MULTIPLE_MATCHING_KEYS";

/** jose's error code for a key set that is not `{"keys":[…]}` of JSON objects. */
export const INVALID_KEY_SET = "ERR_JWKS_INVALID";

/** The smallest RSA modulus accepted, in bits (jose's rule for RS256). */
export const MIN_RSA_MODULUS_BITS = 2048;

/** An error with one of the codes above. */
export class KeySetError extends Error {
  /**
   * @param code - {@link NO_MATCHING_KEY}, {@link MULTIPLE_MATCHING_KEYS} or {@link INVALID_KEY_SET}
   * @param message - what is wrong
   * @param cause - the error behind it, if any
   */
  constructor(
    readonly code: typeof NO_MATCHING_KEY | typeof MULTIPLE_MATCHING_KEYS | typeof INVALID_KEY_SET,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "KeySetError";
  }
}

/** WebCrypto's `KeyUsage` values: anything else in `key_ops` made its import a `TypeError`. */
const KEY_USAGES: ReadonlySet<unknown> = new Set([
  "encrypt",
  "decrypt",
  "sign",
  "verify",
  "deriveKey",
  "deriveBits",
  "wrapKey",
  "unwrapKey",
]);

function isJsonObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Object.prototype.toString.call(value) !== "[object Object]") return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** Whether a key may verify RS256 for some `kid` (every rule but the `kid` itself). */
function isRs256Candidate(jwk: Record<string, unknown>): boolean {
  const { kty, key_ops: keyOps, ext, alg, use, kid } = jwk;
  return (
    typeof kid === "string" &&
    kty === "RSA" &&
    (ext === undefined || typeof ext === "boolean") &&
    (keyOps === undefined ||
      (Array.isArray(keyOps) &&
        keyOps.every((operation, index) => typeof operation === "string" && keyOps.indexOf(operation) === index) &&
        keyOps.includes("verify"))) &&
    (alg === undefined || alg === "RS256") &&
    (use === undefined || use === "sig")
  );
}

/** Imports a candidate as WebCrypto did for jose, or throws as it did. */
function importRs256Key(jwk: Record<string, unknown>): KeyObject {
  const isPrivate = Boolean(jwk.d) || Boolean(jwk.priv);
  const usages = (jwk.key_ops as unknown[] | undefined) ?? [isPrivate ? "sign" : "verify"];
  if (usages.some((usage) => !KEY_USAGES.has(usage))) throw new TypeError("the key's key_ops hold a value that is not a key usage");
  if (usages.some((usage) => usage !== "verify")) throw new Error("the key's key_ops allow more than verify");
  const { n, e } = jwk;
  if (n === undefined || e === undefined) throw new Error('the key has no "n" or no "e"');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty: "RSA", n: String(n), e: String(e) } as NodeJsonWebKey, format: "jwk" });
  } catch (cause) {
    throw new Error("the key cannot be imported", { cause });
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== "rsa" || typeof bits !== "number" || bits < MIN_RSA_MODULUS_BITS) {
    throw new TypeError(`RS256 requires an RSA key of at least ${MIN_RSA_MODULUS_BITS} bits`);
  }
  return key;
}

/**
 * Creates the lookup of a key set. The set is copied: later changes to `keySet` do not show.
 *
 * @param keySet - `{"keys":[…]}`
 * @returns the lookup by `kid`
 * @throws KeySetError `ERR_JWKS_INVALID` when `keySet` is not `{"keys":[…]}` of JSON objects
 */
export function createKeySet(keySet: KeySet): KeyLookup {
  let keys: unknown;
  try {
    keys = structuredClone((keySet as { keys?: unknown }).keys);
  } catch (cause) {
    throw new KeySetError(INVALID_KEY_SET, "the JSON Web Key Set is malformed", cause);
  }
  if (!Array.isArray(keys) || !keys.every(isJsonObject)) throw new KeySetError(INVALID_KEY_SET, "the JSON Web Key Set is malformed");
  const candidates = new Map<string, Record<string, unknown>[]>();
  for (const jwk of keys as Record<string, unknown>[]) {
    if (!isRs256Candidate(jwk)) continue;
    const kid = jwk.kid as string;
    const list = candidates.get(kid);
    if (list === undefined) candidates.set(kid, [jwk]);
    else list.push(jwk);
  }
  const imported = new Map<string, KeyObject>();
  return (kid) => {
    const found = imported.get(kid);
    if (found !== undefined) return found;
    const list = candidates.get(kid);
    if (list === undefined) throw new KeySetError(NO_MATCHING_KEY, "no key of the JSON Web Key Set matches the token's kid");
    if (list.length > 1) throw new KeySetError(MULTIPLE_MATCHING_KEYS, "more than one key of the JSON Web Key Set matches the token's kid");
    // A key that fails to import is tried again on its next use, as jose did.
    const key = importRs256Key(list[0]!);
    imported.set(kid, key);
    return key;
  };
}
