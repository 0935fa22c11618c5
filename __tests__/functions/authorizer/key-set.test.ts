import { generateKeyPairSync } from "node:crypto";
import { createKeySet, NO_MATCHING_KEY } from "../../../functions/authorizer/key-set";
import { reasonFromJoseError } from "../../../functions/authorizer/reasons";
import { createSigningKey } from "../../../testing/keys";

const pool = createSigningKey("k").publicJwk;
const short = (() => {
  const { n, e } = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" }) as { n: string; e: string };
  return { kty: "RSA", kid: "short", n, e };
})();

/** jose's error codes: the lookup throws jose's own errors. */
const MULTIPLE_MATCHING_KEYS = "ERR_JWKS_MULTIPLE_MATCHING_KEYS";
const INVALID_KEY_SET = "ERR_JWKS_INVALID";

/**
 * What looking `kid` up in a set of `keys` gives: the key's size, or the error's code (jose's JWKS
 * errors), else the reason the verifier gives for the error.
 */
async function lookUp(keys: object[], kid = "k"): Promise<string> {
  try {
    return `key of ${(await createKeySet({ keys })(kid)).asymmetricKeyDetails?.modulusLength} bits`;
  } catch (error) {
    const { code } = error as { code?: unknown };
    return typeof code === "string" && code.startsWith("ERR_JWKS_") ? code : `reason ${reasonFromJoseError(error)}`;
  }
}

describe("createKeySet (jose's createLocalJWKSet selects and imports, for RS256)", () => {
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
    ["key_ops allowing sign too (WebCrypto refuses to import it)", [{ ...pool, key_ops: ["verify", "sign"] }], "reason INTERNAL_ERROR"],
    ["key_ops holding a value that is no key usage", [{ ...pool, key_ops: ["verify", "foo"] }], "reason TOKEN_MALFORMED"],
    ["no e", [{ ...pool, e: undefined }], "reason INTERNAL_ERROR"],
    ["a 1024-bit modulus", [{ ...short, kid: "k" }], "reason TOKEN_MALFORMED"],
  ])("%s: %s", async (_title, keys, expected) => {
    expect(await lookUp(keys.map((key) => JSON.parse(JSON.stringify(key)) as object))).toBe(expected);
  });

  test("a set that is not {keys:[objects]} is refused when created", () => {
    expect(() => createKeySet({ keys: [1] as unknown as object[] })).toThrow(expect.objectContaining({ code: INVALID_KEY_SET }));
  });

  test("a key is imported once: its first lookup awaits jose, every later one answers the same KeyObject at once; the set is a copy", async () => {
    const keys = [{ ...pool }];
    const set = createKeySet({ keys });
    const pending = set("k");
    expect(pending).toBeInstanceOf(Promise);
    const first = await pending;
    keys[0]!.kid = "changed";
    expect(set("k")).toBe(first);
    expect(set("k")).toBe(first);
  });

  test("a key refused for its modulus is not kept: each lookup refuses it again", async () => {
    const set = createKeySet({ keys: [{ ...short, kid: "k" }] });
    for (let round = 0; round < 2; round += 1) {
      const found = set("k");
      expect(found).toBeInstanceOf(Promise);
      await expect(found).rejects.toThrow(TypeError);
    }
  });

  test("a failed lookup keeps nothing: another kid of the same set still resolves", async () => {
    const set = createKeySet({ keys: [pool] });
    await expect(set("other")).rejects.toMatchObject({ code: NO_MATCHING_KEY });
    expect((await set("k")).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
});
