/**
 * Differential test of the bearer-token verifier: `functions/authorizer/verify-token.ts` (node:crypto's
 * synchronous RS256 verify, its own header, base64url and claim checks) against the verifier it
 * replaced, jose's `jwtVerify` with jose's `createLocalJWKSet` (`testing/jose-token-verifier.ts`, the
 * oracle). Every token gets the same verdict, reason and identity from both, each verified twice (the
 * second answer may come from the verified-token cache), with the JWKS snapshot and without it (the
 * remote JWKS, which also publishes keys that are odd in every way jose selects or refuses keys by).
 *
 * Tokens: the attack corpus of `verify-token.test.ts`, a grid of times around every boundary, and
 * fast-check tokens (fixed seed) whose header, payload, JSON text, base64url text and signature are
 * mutated: algorithms, kids, `crit`, `b64`, embedded keys, duplicate keys, number types, BOM and
 * invalid UTF-8, padding, unused bits, whitespace, standard base64, segment counts, foreign and
 * tampered signatures.
 */
import { generateKeyPairSync, createHmac, sign as rsaSign } from "node:crypto";
import fc from "fast-check";
import {
  createTokenVerifier,
  type TokenVerification,
  type TokenVerifier,
  type TokenVerifierSettings,
} from "../../../functions/authorizer/verify-token";
import { createJoseTokenVerifier } from "../../../testing/jose-token-verifier";
import { FC_SEED } from "../../../testing/authorizer-harness";
import { startJwksServer, type JwksServer } from "../../../testing/jwks-server";
import { createSigningKey, jwksOf, type TestSigningKey } from "../../../testing/keys";
import { attackCorpus, flipUnusedBit } from "../../../testing/token-corpus";

const WEB_CLIENT = "webclient1";
const MACHINE_CLIENT = "machineclient1";
const READ = "api.example.com/read";
/** Not a whole second: both verifiers must round the current time down alike. */
const NOW_MS = 1_800_000_000_400;
const NOW = Math.floor(NOW_MS / 1000);
const TOLERANCE = 5;
const MAX_AGE = 86_400;
const MAX_LIFETIME = 86_400;
const MAX_LENGTH = 8192;

const poolKey = createSigningKey("pool-key-1");
const attackerKey = createSigningKey("attacker-key");
/** A 1024-bit key: jose refused RS256 with a modulus under 2048 bits. */
const shortKey: TestSigningKey = (() => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
  const { n, e } = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  return { kid: "short", privateKey, publicKey, publicJwk: { kty: "RSA", kid: "short", alg: "RS256", use: "sig", n, e } };
})();

/** Keys of the remote JWKS: the pool's, and one for each rule of key selection and import. */
const pool = poolKey.publicJwk;
const REMOTE_KEYS: readonly Record<string, unknown>[] = [
  pool,
  shortKey.publicJwk,
  { ...pool, kid: "dup" },
  { ...pool, kid: "dup" },
  { ...pool, kid: "enc", use: "enc" },
  { ...pool, kid: "rs512", alg: "RS512" },
  { ...pool, kid: "no-alg", alg: undefined },
  { ...pool, kid: "ops-verify", key_ops: ["verify"] },
  { ...pool, kid: "ops-sign", key_ops: ["verify", "sign"] },
  { ...pool, kid: "ops-only-sign", key_ops: ["sign"] },
  { ...pool, kid: "ops-foo", key_ops: ["verify", "foo"] },
  { ...pool, kid: "ops-twice", key_ops: ["verify", "verify"] },
  { ...pool, kid: "ext-false", ext: false },
  { ...pool, kid: "ext-text", ext: "yes" },
  { ...pool, kid: "no-e", e: undefined },
  { ...pool, kid: "bad-n", n: "!!" },
  { ...pool, kid: "ec", kty: "EC" },
  { ...pool, kid: "x5c", x5c: ["MIIB"] },
].map((key) => JSON.parse(JSON.stringify(key)) as Record<string, unknown>);
/** Kids a token may name; the pool's most often. */
const KIDS = REMOTE_KEYS.map((key) => key.kid as string).filter((kid, index, all) => all.indexOf(kid) === index);
const SIGNER_OF: Readonly<Record<string, TestSigningKey>> = { short: shortKey, "attacker-key": attackerKey };

let jwks: JwksServer;

beforeAll(async () => {
  jwks = await startJwksServer({ jwks: { keys: REMOTE_KEYS } });
});

afterAll(async () => {
  await jwks.close();
});

function settings(snapshot: boolean): TokenVerifierSettings {
  return {
    issuer: jwks.issuer,
    jwksUri: jwks.jwksUri,
    appClientIds: [WEB_CLIENT, MACHINE_CLIENT],
    clockToleranceSeconds: TOLERANCE,
    maxTokenAgeSeconds: MAX_AGE,
    maxTokenLengthBytes: MAX_LENGTH,
    maxTokenLifetimeSeconds: MAX_LIFETIME,
    jwksSnapshot: snapshot ? (jwksOf(poolKey) as unknown as TokenVerifierSettings["jwksSnapshot"]) : undefined,
    verifiedTokenCacheSize: 1000,
  };
}

/** The two verifiers, with the snapshot and without; one pair per test, all on the same clock. */
interface Pair {
  readonly label: string;
  readonly subject: TokenVerifier;
  readonly oracle: TokenVerifier;
}

function pairs(): Pair[] {
  return [true, false].map((snapshot) => ({
    label: snapshot ? "with the JWKS snapshot" : "remote JWKS only",
    subject: createTokenVerifier(settings(snapshot), { now: () => NOW_MS }),
    oracle: createJoseTokenVerifier(settings(snapshot), { now: () => NOW_MS }) as TokenVerifier,
  }));
}

/** Every verdict seen, by reason (`ok` for an identity), to show what the tokens reached. */
const seen = new Map<string, number>();

/**
 * Verifies `token` twice with both verifiers of every pair.
 *
 * @returns the differences, as text (empty when the verdicts agree)
 */
async function differences(token: string, all: readonly Pair[]): Promise<string[]> {
  const found: string[] = [];
  for (const { label, subject, oracle } of all) {
    for (const attempt of ["first", "second"]) {
      const expected: TokenVerification = await oracle.verify(token);
      const actual: TokenVerification = await subject.verify(token);
      seen.set(expected.ok ? "ok" : expected.reason, (seen.get(expected.ok ? "ok" : expected.reason) ?? 0) + 1);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        found.push(`${label}, ${attempt} verification: jose ${JSON.stringify(expected)}, node:crypto ${JSON.stringify(actual)}`);
      }
    }
  }
  return found;
}

const b64 = (bytes: Buffer | string): string => Buffer.from(bytes).toString("base64url");

/** How the signature is made. */
type SignatureMode = "kid's key" | "attacker" | "short" | "hs256 with the public key" | "empty" | "flipped" | "truncated" | "extended";

/** Signs `header.payload` (already encoded) as `mode` says, for a token naming `kid`. */
function signature(signingInput: string, kid: unknown, mode: SignatureMode): string {
  const keyOf = (name: unknown) => (typeof name === "string" ? (SIGNER_OF[name] ?? poolKey) : poolKey);
  const rsa = (key: TestSigningKey) => rsaSign("sha256", Buffer.from(signingInput), key.privateKey);
  switch (mode) {
    case "kid's key":
      return b64(rsa(keyOf(kid)));
    case "attacker":
      return b64(rsa(attackerKey));
    case "short":
      return b64(rsa(shortKey));
    case "hs256 with the public key":
      return createHmac("sha256", poolKey.publicKey.export({ format: "pem", type: "spki" }))
        .update(signingInput)
        .digest("base64url");
    case "empty":
      return "";
    case "flipped": {
      const bytes = rsa(keyOf(kid));
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
      return b64(bytes);
    }
    case "truncated":
      return b64(rsa(keyOf(kid)).subarray(1));
    case "extended":
      return b64(Buffer.concat([rsa(keyOf(kid)), Buffer.from([0])]));
  }
}

/** A placeholder a JSON value may hold, written out as raw number text (what JSON.stringify cannot make). */
const RAW_NUMBERS: Readonly<Record<string, string>> = {
  "@@inf@@": "1e400",
  "@@-inf@@": "-1e400",
  "@@-zero@@": "-0",
  "@@exp-notation@@": `${NOW / 1000}e3`,
};

/** How the JSON text of the header or payload is written. */
type JsonText =
  "plain" | "spaced" | "bom" | "duplicate earlier" | "duplicate later" | "invalid utf-8" | "trailing text" | "array" | "string" | "empty";

function jsonBytes(value: Record<string, unknown>, text: JsonText, duplicate: readonly [string, unknown]): Buffer {
  let json = JSON.stringify(value, null, text === "spaced" ? 1 : undefined);
  for (const [placeholder, raw] of Object.entries(RAW_NUMBERS)) json = json.split(`"${placeholder}"`).join(raw);
  const member = `${JSON.stringify(duplicate[0])}:${JSON.stringify(duplicate[1])}`;
  switch (text) {
    case "plain":
    case "spaced":
      return Buffer.from(json);
    case "bom":
      return Buffer.from(`\uFEFF${json}`);
    case "duplicate earlier":
      return Buffer.from(json === "{}" ? `{${member}}` : `{${member},${json.slice(1)}`);
    case "duplicate later":
      return Buffer.from(json === "{}" ? `{${member}}` : `${json.slice(0, -1)},${member}}`);
    case "invalid utf-8":
      return Buffer.concat([Buffer.from(json.slice(0, -1)), Buffer.from(',"x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    case "trailing text":
      return Buffer.from(`${json} x`);
    case "array":
      return Buffer.from(`[${json}]`);
    case "string":
      return Buffer.from(JSON.stringify(json));
    case "empty":
      return Buffer.alloc(0);
  }
}

/** A change to the compact text after signing. */
type TextChange =
  | "none"
  | "padding"
  | "double padding"
  | "unused bit"
  | "extra character"
  | "last character dropped"
  | "standard base64"
  | "space"
  | "newline"
  | "non-ascii"
  | "two segments"
  | "four segments"
  | "five segments"
  | "empty header";

function changeText(token: string, change: TextChange, segment: number): string {
  const parts = token.split(".");
  const at = (update: (text: string) => string) => {
    parts[segment] = update(parts[segment]!);
    return parts.join(".");
  };
  switch (change) {
    case "none":
      return token;
    case "padding":
      return at((text) => `${text}=`);
    case "double padding":
      return at((text) => `${text}==`);
    case "unused bit":
      return at((text) => (text.length % 4 === 0 ? text : flipUnusedBit(text)));
    case "extra character":
      return at((text) => `${text}A`);
    case "last character dropped":
      return at((text) => text.slice(0, -1));
    case "standard base64":
      return at((text) => text.replace(/-/g, "+").replace(/_/g, "/"));
    case "space":
      return at((text) => `${text.slice(0, 4)} ${text.slice(4)}`);
    case "newline":
      return at((text) => `${text}\n`);
    case "non-ascii":
      return at((text) => `${text.slice(0, 2)}é${text.slice(2)}`);
    case "two segments":
      return parts.slice(0, 2).join(".");
    case "four segments":
      return `${token}.${parts[2]}`;
    case "five segments":
      return `${token}.a.b`;
    case "empty header":
      return `.${parts[1]}.${parts[2]}`;
  }
}

/** A token to build: header and payload members (`undefined`: left out), how they are written and signed. */
interface TokenModel {
  readonly header: Record<string, unknown>;
  readonly headerText: JsonText;
  readonly headerDuplicate: readonly [string, unknown];
  readonly payload: Record<string, unknown>;
  readonly payloadText: JsonText;
  readonly payloadDuplicate: readonly [string, unknown];
  readonly signature: SignatureMode;
  readonly change: TextChange;
  readonly changedSegment: number;
}

function buildToken(model: TokenModel): string {
  const header = b64(jsonBytes(model.header, model.headerText, model.headerDuplicate));
  const payload = b64(jsonBytes(model.payload, model.payloadText, model.payloadDuplicate));
  const signingInput = `${header}.${payload}`;
  return changeText(`${signingInput}.${signature(signingInput, model.header.kid, model.signature)}`, model.change, model.changedSegment);
}

/**
 * Mostly `usual` (24 times in 25), sometimes one of `others`: about a third of the tokens change in
 * none of the twenty-odd places, so most changes are tried on an otherwise genuine token.
 */
function mostly<T>(usual: fc.Arbitrary<T>, ...others: fc.Arbitrary<T>[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: usual, weight: 24 * others.length }, ...others.map((arbitrary) => ({ arbitrary, weight: 1 })));
}
const either = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values);
const oddValues = either<unknown>(undefined, null, "", 0, 1, true, [], {}, "x");
/** Seconds from now to a time near a boundary: now, the tolerance, the maximum age, each ±1 and ± half a second; or anywhere. */
const boundaryDelta = fc.oneof(
  either(0, 1, -1, TOLERANCE, -TOLERANCE, TOLERANCE + 1, -TOLERANCE - 1, TOLERANCE - 1, -TOLERANCE + 1, 0.5, -0.5, TOLERANCE + 0.5),
  either(-MAX_AGE, -MAX_AGE - TOLERANCE, -MAX_AGE - TOLERANCE - 1, -MAX_AGE - TOLERANCE + 1, -MAX_AGE - 0.5, -MAX_AGE - TOLERANCE - 0.5),
  fc.integer({ min: -200_000, max: 200_000 }),
);
/** When a token was issued: mostly within the last hour. */
const issuedDelta = mostly(fc.integer({ min: -3000, max: 0 }), boundaryDelta);
/** A numeric claim, or a value of another type, or a number JSON.stringify cannot write. */
const time = (usual: fc.Arbitrary<number>): fc.Arbitrary<unknown> =>
  mostly<unknown>(
    usual,
    usual.map(String),
    oddValues,
    either("@@inf@@", "@@-inf@@", "@@-zero@@", "@@exp-notation@@"),
    usual.map((value) => [value]),
  );

const headerArbitrary: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    alg: mostly<unknown>(fc.constant("RS256"), either<unknown>("none", "NONE", "HS256", "RS512", "PS256", "rs256", "RS256 ", null, 256)),
    kid: mostly<unknown>(
      fc.constant("pool-key-1"),
      either<unknown>(...KIDS, "attacker-key", "unknown", "", 1, null, undefined, ["pool-key-1"]),
    ),
    typ: mostly<unknown>(fc.constant(undefined), either<unknown>("JWT", "at+jwt", "application/jwt", 5)),
    cty: mostly<unknown>(fc.constant(undefined), either<unknown>("JWT", "")),
    crit: mostly<unknown>(fc.constant(undefined), either<unknown>([], ["b64"], ["exp"], "b64", [""], ["b64", "b64"], null)),
    b64: mostly<unknown>(fc.constant(undefined), either<unknown>(true, false, "false", null)),
    embedded: mostly<string | undefined>(fc.constant(undefined), either("jwk", "jku", "x5u", "x5c", "x5t", "other")),
  })
  .map(({ embedded, ...header }) =>
    embedded === undefined ? header : { ...header, [embedded]: embedded === "jwk" ? attackerKey.publicJwk : "x" },
  );

const payloadArbitrary: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    machine: fc.boolean(),
    iatDelta: issuedDelta,
    lifetime: mostly(either(3600, 300), either(MAX_LIFETIME, MAX_LIFETIME + 1, MAX_LIFETIME - 1, 0, -1, 0.5, 365 * 86_400)),
    expDelta: mostly<number | null>(fc.constant(null), boundaryDelta),
    nbfDelta: mostly<number | undefined>(fc.constant(undefined), boundaryDelta, fc.integer({ min: -3000, max: 0 })),
    iss: mostly<unknown>(fc.constant("issuer"), either<unknown>("issuer/", "ISSUER", "other", null, 1, undefined)),
    token_use: mostly<unknown>(fc.constant("access"), either<unknown>("id", "refresh", "Access", "", null, 1, undefined)),
    client_id: mostly<unknown>(fc.constant("own"), either<unknown>(MACHINE_CLIENT, "otherclient", "", 1, null, undefined)),
    sub: mostly<unknown>(fc.constant("own"), either<unknown>("", 1, null, undefined, WEB_CLIENT)),
    username: mostly<unknown>(fc.constant("own"), either<unknown>("", 42, null, undefined, "bob")),
    scope: mostly<unknown>(fc.constant(READ), either<unknown>("", `  ${READ}  a `, [READ], null, 1, undefined)),
    extra: mostly<string | undefined>(fc.constant(undefined), either("aud", "large", "unicode")),
  })
  .chain((claims) =>
    fc
      .record({
        iat: time(fc.constant(NOW + claims.iatDelta)),
        exp: time(fc.constant(claims.expDelta === null ? NOW + claims.iatDelta + claims.lifetime : NOW + claims.expDelta)),
        nbf: claims.nbfDelta === undefined ? fc.constant(undefined) : time(fc.constant(NOW + claims.nbfDelta)),
      })
      .map((times) => {
        const clientId = claims.machine ? MACHINE_CLIENT : WEB_CLIENT;
        const own = (value: unknown, ownValue: unknown) => (value === "own" ? ownValue : value);
        const payload: Record<string, unknown> = {
          sub: own(claims.sub, claims.machine ? clientId : "sub-alice"),
          iss:
            claims.iss === "issuer"
              ? jwks.issuer
              : claims.iss === "issuer/"
                ? `${jwks.issuer}/`
                : claims.iss === "ISSUER"
                  ? jwks.issuer.toUpperCase()
                  : claims.iss,
          client_id: own(claims.client_id, clientId),
          token_use: claims.token_use,
          scope: claims.scope,
          ...times,
          jti: "00000000-0000-4000-8000-000000000001",
          username: claims.machine && claims.username === "own" ? undefined : own(claims.username, "alice"),
        };
        if (claims.extra === "aud") payload.aud = clientId;
        if (claims.extra === "large") payload.padding = "x".repeat(MAX_LENGTH);
        if (claims.extra === "unicode") payload.name = "Zoë \u{1F600} \u2028";
        return payload;
      }),
  );

const jsonText = mostly<JsonText>(
  fc.constant("plain"),
  either<JsonText>("spaced", "bom", "duplicate earlier", "duplicate later", "invalid utf-8", "trailing text", "array", "string", "empty"),
);

const tokenModel: fc.Arbitrary<TokenModel> = fc.record({
  header: headerArbitrary,
  headerText: jsonText,
  headerDuplicate: fc.tuple(either("alg", "kid", "crit", "typ"), either<unknown>("none", "RS256", "pool-key-1", "unknown", ["b64"])),
  payload: payloadArbitrary,
  payloadText: jsonText,
  payloadDuplicate: fc.tuple(either("exp", "iss", "token_use", "client_id", "scope"), either<unknown>("access", 1, null, NOW + 60, "x")),
  signature: mostly<SignatureMode>(
    fc.constant("kid's key"),
    either<SignatureMode>("attacker", "short", "hs256 with the public key", "empty", "flipped", "truncated", "extended"),
  ),
  change: mostly<TextChange>(
    fc.constant("none"),
    either<TextChange>(
      "padding",
      "double padding",
      "unused bit",
      "extra character",
      "last character dropped",
      "standard base64",
      "space",
      "newline",
      "non-ascii",
      "two segments",
      "four segments",
      "five segments",
      "empty header",
    ),
  ),
  changedSegment: fc.integer({ min: 0, max: 2 }),
});

describe("the node:crypto verifier gives the jose verifier's verdict, reason and identity for every token", () => {
  test("the attack corpus of verify-token.test.ts", async () => {
    const all = pairs();
    const corpus = attackCorpus({
      get issuer() {
        return jwks.issuer;
      },
      poolKey,
      attackerKey,
      clientId: WEB_CLIENT,
      scope: READ,
      nowSeconds: NOW,
    });
    const found: string[] = [];
    for (const [title, makeToken] of corpus) found.push(...(await differences(makeToken(), all)).map((text) => `${title}: ${text}`));
    expect(found).toEqual([]);
  });

  test("a grid of iat, exp and nbf around the tolerance, the maximum age and the maximum lifetime", async () => {
    const all = pairs();
    const deltas = [0, 0.5, -0.5, 1, -1, TOLERANCE, -TOLERANCE, TOLERANCE + 1, -TOLERANCE - 1, TOLERANCE + 0.5, -TOLERANCE - 0.5];
    const ages = [0, -MAX_AGE, -MAX_AGE - TOLERANCE, -MAX_AGE - TOLERANCE - 1, -MAX_AGE - TOLERANCE + 1, -MAX_AGE - TOLERANCE - 0.5];
    const found: string[] = [];
    const times: Record<string, number | undefined>[] = [];
    for (const iat of [...deltas, ...ages]) {
      for (const exp of deltas) times.push({ iat: NOW + iat, exp: NOW + exp, nbf: undefined });
      for (const lifetime of [MAX_LIFETIME - 1, MAX_LIFETIME, MAX_LIFETIME + 1, MAX_LIFETIME + 0.5])
        times.push({ iat: NOW + iat, exp: NOW + iat + lifetime });
    }
    for (const nbf of deltas) times.push({ iat: NOW, exp: NOW + 3600, nbf: NOW + nbf });
    for (const claims of times) {
      const model: TokenModel = {
        header: { kid: poolKey.kid, alg: "RS256" },
        headerText: "plain",
        headerDuplicate: ["alg", "RS256"],
        payload: {
          sub: "sub-alice",
          iss: jwks.issuer,
          client_id: WEB_CLIENT,
          token_use: "access",
          scope: READ,
          username: "alice",
          ...claims,
        },
        payloadText: "plain",
        payloadDuplicate: ["scope", READ],
        signature: "kid's key",
        change: "none",
        changedSegment: 0,
      };
      found.push(...(await differences(buildToken(model), all)).map((text) => `${JSON.stringify(claims)}: ${text}`));
    }
    expect(found).toEqual([]);
  });

  test("fuzzed tokens (fast-check, fixed seed): mutated header, payload, JSON text, base64url text and signature", async () => {
    const all = pairs();
    seen.clear();
    await fc.assert(
      fc.asyncProperty(tokenModel, async (model) => {
        const token = buildToken(model);
        expect(await differences(token, all)).toEqual([]);
      }),
      { seed: FC_SEED, numRuns: 1_500 },
    );
    process.stdout.write(`verdicts of the fuzzed tokens (4 verifications each): ${JSON.stringify(Object.fromEntries([...seen].sort()))}\n`);
    // THEN the tokens reached every check, not only the first ones: each verdict was seen
    const reached = [...seen.keys()].sort();
    expect(reached).toEqual(
      expect.arrayContaining([
        "ok",
        "INTERNAL_ERROR",
        "CLIENT_NOT_ALLOWED",
        "TOKEN_ALG_NOT_ALLOWED",
        "TOKEN_CLAIM_INVALID",
        "TOKEN_CLAIM_MISSING",
        "TOKEN_EXPIRED",
        "TOKEN_HEADER_UNSUPPORTED",
        "TOKEN_ISSUER_INVALID",
        "TOKEN_KEY_UNKNOWN",
        "TOKEN_KID_MISSING",
        "TOKEN_LIFETIME_TOO_LONG",
        "TOKEN_MALFORMED",
        "TOKEN_NOT_YET_VALID",
        "TOKEN_SIGNATURE_INVALID",
        "TOKEN_TOO_LARGE",
        "TOKEN_TOO_OLD",
        "TOKEN_USE_NOT_ACCESS",
      ]),
    );
    // AND a fair share of the tokens were accepted (each is verified four times), so most changes were tried on a genuine token
    expect(seen.get("ok") ?? 0).toBeGreaterThan(4 * 300);
  });
});
