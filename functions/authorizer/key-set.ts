/**
 * A JSON Web Key Set held locally: the RS256 key for a `kid`, as a node:crypto `KeyObject`, for the
 * synchronous `crypto.verify` of `verify-token.ts`.
 *
 * jose selects and imports the keys: the first lookup of a `kid` asks jose's `createLocalJWKSet`
 * (which key matches, and its import, with jose's rules and error codes, so `reasonFromJoseError` gives
 * the reasons jose's `jwtVerify` gave), converts the `CryptoKey` it returns once with
 * `KeyObject.from`, and keeps it: every later lookup of that `kid` in this set answers at once, without
 * a promise. A lookup that fails (no matching key, more than one, a key that does not import) keeps
 * nothing and asks jose again next time.
 *
 * jose checks an RSA modulus at each RS256 verification (≥ 2048 bits, a `TypeError` otherwise);
 * since `verify-token.ts` verifies itself, that check is made here, on the `KeyObject`, before a key
 * is kept (`TOKEN_MALFORMED`).
 *
 * @packageDocumentation
 */
import { KeyObject } from "node:crypto";
import { createLocalJWKSet, type JSONWebKeySet } from "jose";

/** A JSON Web Key Set: `{"keys":[…]}`. */
export interface KeySet {
  /** The keys, JSON objects. */
  readonly keys: readonly object[];
}

/**
 * Returns the key for a `kid`: the `KeyObject` itself when this set has answered that `kid` before,
 * else a promise of it (rejected with jose's error when jose finds no single usable key).
 */
export type KeyLookup = (kid: string) => KeyObject | Promise<KeyObject>;

/** jose's error code when no key of a set matches the token's `kid` (`TOKEN_KEY_UNKNOWN`). */
export const NO_MATCHING_KEY = "ERR_JWKS_NO_MATCHING_KEY";

/** The smallest RSA modulus accepted, in bits (jose's rule for RS256). */
export const MIN_RSA_MODULUS_BITS = 2048;

/** The protected header jose selects the key by: every token that reaches the lookup is RS256. */
const RS256 = "RS256";

/** The key as a `KeyObject`, refused when its RSA modulus is under {@link MIN_RSA_MODULUS_BITS}. */
function toRs256KeyObject(cryptoKey: Parameters<typeof KeyObject.from>[0]): KeyObject {
  const key = KeyObject.from(cryptoKey);
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== "rsa" || typeof bits !== "number" || bits < MIN_RSA_MODULUS_BITS) {
    throw new TypeError(`${RS256} requires an RSA key of at least ${MIN_RSA_MODULUS_BITS} bits`);
  }
  return key;
}

/**
 * Creates the lookup of a key set, with jose's `createLocalJWKSet`. The set is copied: later changes to
 * `keySet` do not show.
 *
 * @param keySet - `{"keys":[…]}`
 * @returns the lookup by `kid`
 * @throws JWKSInvalid (`ERR_JWKS_INVALID`) when `keySet` is not `{"keys":[…]}` of JSON objects
 */
export function createKeySet(keySet: KeySet): KeyLookup {
  const select = createLocalJWKSet(keySet as unknown as JSONWebKeySet);
  const imported = new Map<string, KeyObject>();
  return (kid) =>
    imported.get(kid) ??
    select({ alg: RS256, kid }).then((cryptoKey) => {
      const key = toRs256KeyObject(cryptoKey as Parameters<typeof KeyObject.from>[0]);
      imported.set(kid, key);
      return key;
    });
}
