import { generateKeyPairSync } from "node:crypto";
import { createKeySet, MULTIPLE_MATCHING_KEYS, NO_MATCHING_KEY, INVALID_KEY_SET } from "../../../functions/authorizer/key-set";
import { createSigningKey } from "../../../testing/keys";

const pool = createSigningKey("k").publicJwk;
const short = (() => {
  const { n, e } = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" }) as { n: string; e: string };
  return { kty: "RSA", kid: "short", n, e };
})();

/** What looking `kid` up in a set of `keys` gives: the key's size, or the error's code or class. */
function lookUp(keys: object[], kid = "k"): string {
  try {
    return `key of ${createKeySet({ keys })(kid).asymmetricKeyDetails?.modulusLength} bits`;
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).constructor.name;
  }
}

describe("createKeySet (jose's createLocalJWKSet rules for RS256)", () => {
  test.each([
    ["the pool's key", [pool], "key of 2048 bits"],
    [
      "no alg, key_ops [verify], ext false, extra members",
      [{ ...pool, alg: undefined, key_ops: ["verify"], ext: false, x5c: ["x"] }],
      "key of 2048 bits",
    ],
    ["another kid only", [{ ...pool, kid: "other" }], NO_MATCHING_KEY],
    ["alg RS512", [{ ...pool, alg: "RS512" }], NO_MATCHING_KEY],
    ["use enc", [{ ...pool, use: "enc" }], NO_MATCHING_KEY],
    ["kty EC", [{ ...pool, kty: "EC" }], NO_MATCHING_KEY],
    ["key_ops without verify", [{ ...pool, key_ops: ["sign"] }], NO_MATCHING_KEY],
    ["key_ops with a repeated value", [{ ...pool, key_ops: ["verify", "verify"] }], NO_MATCHING_KEY],
    ["ext not a boolean", [{ ...pool, ext: "yes" }], NO_MATCHING_KEY],
    ["two keys with the kid", [pool, { ...pool }], MULTIPLE_MATCHING_KEYS],
    ["key_ops allowing sign too (WebCrypto refused to import it)", [{ ...pool, key_ops: ["verify", "sign"] }], "Error"],
    ["key_ops holding a value that is no key usage", [{ ...pool, key_ops: ["verify", "foo"] }], "TypeError"],
    ["no e", [{ ...pool, e: undefined }], "Error"],
    ["a 1024-bit modulus", [{ ...short, kid: "k" }], "TypeError"],
  ])("%s: %s", (_title, keys, expected) => {
    expect(lookUp(keys.map((key) => JSON.parse(JSON.stringify(key)) as object))).toBe(expected);
  });

  test("a set that is not {keys:[objects]} is refused when created", () => {
    expect(() => createKeySet({ keys: [1] as unknown as object[] })).toThrow(expect.objectContaining({ code: INVALID_KEY_SET }));
  });

  test("a key is imported once and the same KeyObject answers every lookup; the set is a copy", () => {
    const keys = [{ ...pool }];
    const set = createKeySet({ keys });
    const first = set("k");
    keys[0]!.kid = "changed";
    expect(set("k")).toBe(first);
  });
});
