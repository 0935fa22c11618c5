/**
 * The attack corpus of the bearer-token verifier (RFC 8725, the OWASP JWT cheat sheet): tokens that
 * must each be refused with a given reason, and the base64url helpers that build them. Used by
 * `__tests__/functions/authorizer/verify-token.test.ts` (each refused with its reason) and by
 * `verify-differential.test.ts` (the same verdict from the node:crypto verifier and the jose one).
 */
import { base64url, decodeParts, signCompact, signHs256, signIdToken, signUserAccessToken, type TestSigningKey } from "./keys";

/** Replaces segment `index` of a compact token. */
export function withSegment(token: string, index: number, change: (segment: string) => string): string {
  const parts = token.split(".");
  parts[index] = change(parts[index]!);
  return parts.join(".");
}

export const BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Sets the lowest unused bit of a segment's last character: the bytes decoded stay the same, the text
 * differs. Only segments whose length is not a multiple of 4 have unused bits.
 */
export function flipUnusedBit(segment: string): string {
  if (segment.length % 4 === 0) throw new Error(`segment of ${segment.length} characters has no unused bits`);
  const last = BASE64URL_ALPHABET.indexOf(segment.at(-1)!);
  return `${segment.slice(0, -1)}${BASE64URL_ALPHABET[last ^ 1]}`;
}

/** The same bytes in standard base64 without padding; differs from base64url as soon as one byte needs `+` or `/`. */
export function toStandardBase64(segment: string): string {
  const standard = Buffer.from(segment, "base64url").toString("base64").replace(/=+$/, "");
  return standard === segment ? `${segment.slice(0, -1)}+` : standard;
}

/** A genuine token whose payload segment has unused bits (its length is not a multiple of 4). */
function tokenWithUnusedPayloadBits(userToken: (overrides: { claims: Record<string, unknown> }) => string): string {
  // One more character of JSON changes the segment's length modulo 4; of three lengths in a row, at most one is a multiple of 4.
  for (const jti of ["x", "xx", "xxx"]) {
    const token = userToken({ claims: { jti } });
    if (token.split(".")[1]!.length % 4 !== 0) return token;
  }
  throw new Error("no payload length with unused bits");
}

/** What the corpus's tokens are made for. */
export interface AttackCorpusContext {
  /** The pool's issuer (TOKEN_ISSUER); read each time a token is made. */
  readonly issuer: string;
  /** The pool's signing key, published in its JWKS. */
  readonly poolKey: TestSigningKey;
  /** A key the pool does not publish. */
  readonly attackerKey: TestSigningKey;
  /** An allowed app client. */
  readonly clientId: string;
  /** A scope of the genuine tokens. */
  readonly scope: string;
  /** The verifier's current time, seconds since the epoch. */
  readonly nowSeconds: number;
}

/** One attack: its title, a function making its token, and the reason it is refused with. */
export type Attack = readonly [title: string, makeToken: () => string, reason: string];

/**
 * The corpus, for a verifier with a clock tolerance of 5 s, MAX_TOKEN_AGE_SECONDS and
 * MAX_TOKEN_LIFETIME_SECONDS 86,400, MAX_TOKEN_LENGTH 8,192 and the issuer and client of `context`.
 */
export function attackCorpus(context: AttackCorpusContext): ReadonlyArray<Attack> {
  const { poolKey, attackerKey, nowSeconds: NOW, clientId: WEB_CLIENT, scope: READ } = context;
  // Read when a token is made: the issuer may be known only once the JWKS server runs.
  const jwks = {
    get issuer() {
      return context.issuer;
    },
  };
  const userToken = (overrides: { claims?: Record<string, unknown>; nowSeconds?: number; lifetimeSeconds?: number } = {}, key = poolKey) =>
    signUserAccessToken(key, { issuer: jwks.issuer, clientId: WEB_CLIENT, username: "alice", scope: READ, nowSeconds: NOW, ...overrides });
  const genuine = () => userToken();
  const claimsOf = () => decodeParts(genuine()).payload;
  const header = { kid: poolKey.kid, alg: "RS256" };
  const publicPem = () => poolKey.publicKey.export({ format: "pem", type: "spki" }) as string;

  return [
    [
      'alg "none" with an empty signature',
      () => `${base64url({ alg: "none", kid: poolKey.kid })}.${base64url(claimsOf())}.`,
      "TOKEN_ALG_NOT_ALLOWED",
    ],
    ['alg "none" without kid', () => `${base64url({ alg: "none" })}.${base64url(claimsOf())}.`, "TOKEN_ALG_NOT_ALLOWED"],
    ['alg "NONE" (case trick)', () => `${base64url({ alg: "NONE", kid: poolKey.kid })}.${base64url(claimsOf())}.`, "TOKEN_ALG_NOT_ALLOWED"],
    [
      "HS256 signed with the pool's public key (PEM) as the secret",
      () => signHs256(publicPem(), { ...header, alg: "HS256" }, claimsOf()),
      "TOKEN_ALG_NOT_ALLOWED",
    ],
    [
      "HS256 signed with the public key's modulus as the secret",
      () => signHs256(Buffer.from(poolKey.publicJwk.n, "base64url"), { ...header, alg: "HS256" }, claimsOf()),
      "TOKEN_ALG_NOT_ALLOWED",
    ],
    ["RS512 instead of RS256", () => signCompact(poolKey, { ...header, alg: "RS512" }, claimsOf()), "TOKEN_ALG_NOT_ALLOWED"],
    ["no kid", () => signCompact(poolKey, { alg: "RS256" }, claimsOf()), "TOKEN_KID_MISSING"],
    ["an empty kid", () => signCompact(poolKey, { alg: "RS256", kid: "" }, claimsOf()), "TOKEN_KID_MISSING"],
    ["a numeric kid", () => signCompact(poolKey, { alg: "RS256", kid: 1 }, claimsOf()), "TOKEN_KID_MISSING"],
    ["an unknown kid", () => signCompact(poolKey, { ...header, kid: "no-such-key" }, claimsOf()), "TOKEN_KEY_UNKNOWN"],
    ["a foreign key under its own kid", () => userToken({}, attackerKey), "TOKEN_KEY_UNKNOWN"],
    ["a foreign key under the pool's kid", () => signCompact(attackerKey, header, claimsOf()), "TOKEN_SIGNATURE_INVALID"],
    [
      "an embedded jwk header with the attacker's key",
      () => signCompact(attackerKey, { ...header, jwk: attackerKey.publicJwk }, claimsOf()),
      "TOKEN_HEADER_UNSUPPORTED",
    ],
    [
      "a jku header pointing elsewhere",
      () => signCompact(attackerKey, { ...header, jku: "http://127.0.0.1:9/jwks.json" }, claimsOf()),
      "TOKEN_HEADER_UNSUPPORTED",
    ],
    [
      "an x5u header",
      () => signCompact(attackerKey, { ...header, x5u: "http://127.0.0.1:9/cert.pem" }, claimsOf()),
      "TOKEN_HEADER_UNSUPPORTED",
    ],
    ["an x5c header", () => signCompact(attackerKey, { ...header, x5c: ["MIIB"] }, claimsOf()), "TOKEN_HEADER_UNSUPPORTED"],
    [
      "an unknown crit extension (validly signed)",
      () => signCompact(poolKey, { ...header, crit: ["urn:example:ext"], "urn:example:ext": true }, claimsOf()),
      "TOKEN_HEADER_UNSUPPORTED",
    ],
    [
      "b64:false (unencoded payload that happens to be base64url text, validly signed)",
      () => signCompact(poolKey, { ...header, b64: false, crit: ["b64"] }, "unencodedPayload", { rawPayload: true }),
      "TOKEN_HEADER_UNSUPPORTED",
    ],
    [
      "b64:false (unencoded JSON payload, validly signed): not base64url",
      () =>
        signCompact(poolKey, { ...header, b64: false, crit: ["b64"] }, JSON.stringify(claimsOf()).replace(/\./g, "_"), {
          rawPayload: true,
        }),
      "TOKEN_MALFORMED",
    ],
    [
      "a tampered payload (scope widened, signature kept)",
      () => {
        const { parts } = decodeParts(genuine());
        return `${parts[0]}.${base64url({ ...claimsOf(), scope: `${READ} api.example.com/admin` })}.${parts[2]}`;
      },
      "TOKEN_SIGNATURE_INVALID",
    ],
    [
      "a tampered header (typ added, signature kept)",
      () => {
        const { parts } = decodeParts(genuine());
        return `${base64url({ ...header, typ: "JWT" })}.${parts[1]}.${parts[2]}`;
      },
      "TOKEN_SIGNATURE_INVALID",
    ],
    [
      "a tampered signature",
      () => {
        const { parts } = decodeParts(genuine());
        const signature = Buffer.from(parts[2]!, "base64url");
        signature[10] = signature[10]! ^ 0x01;
        return `${parts[0]}.${parts[1]}.${signature.toString("base64url")}`;
      },
      "TOKEN_SIGNATURE_INVALID",
    ],
    ["a signature with a non-zero unused trailing bit", () => withSegment(genuine(), 2, flipUnusedBit), "TOKEN_MALFORMED"],
    ["a signature with `==` padding appended", () => withSegment(genuine(), 2, (s) => `${s}==`), "TOKEN_MALFORMED"],
    ["a signature in standard base64 (+ and /)", () => withSegment(genuine(), 2, toStandardBase64), "TOKEN_MALFORMED"],
    ["a header with `=` padding appended", () => withSegment(genuine(), 0, (s) => `${s}=`), "TOKEN_MALFORMED"],
    ["a payload with `==` padding appended", () => withSegment(genuine(), 1, (s) => `${s}==`), "TOKEN_MALFORMED"],
    [
      "a payload with a non-zero unused trailing bit",
      () => withSegment(tokenWithUnusedPayloadBits(userToken), 1, flipUnusedBit),
      "TOKEN_MALFORMED",
    ],
    ["a segment with a space inside", () => withSegment(genuine(), 2, (s) => `${s.slice(0, 8)} ${s.slice(8)}`), "TOKEN_MALFORMED"],
    ["a stripped signature", () => `${decodeParts(genuine()).parts.slice(0, 2).join(".")}.`, "TOKEN_SIGNATURE_INVALID"],
    ["a nested JWT (payload is a signed JWT)", () => signCompact(poolKey, { ...header, cty: "JWT" }, genuine()), "TOKEN_MALFORMED"],
    ["a payload that is a JSON array", () => signCompact(poolKey, header, [claimsOf()]), "TOKEN_MALFORMED"],
    ["a payload that is not JSON", () => signCompact(poolKey, header, "not json"), "TOKEN_MALFORMED"],
    ["a header that is not JSON", () => `${base64url("{alg:RS256")}.${base64url(claimsOf())}.c2ln`, "TOKEN_MALFORMED"],
    ["two parts only", () => decodeParts(genuine()).parts.slice(0, 2).join("."), "TOKEN_MALFORMED"],
    ["five parts (JWE shape)", () => `${base64url(header)}.a.b.c.d`, "TOKEN_MALFORMED"],
    ["random text", () => "definitely-not-a-jwt", "TOKEN_MALFORMED"],
    ["an expired token", () => userToken({ nowSeconds: NOW - 3700, lifetimeSeconds: 3600 }), "TOKEN_EXPIRED"],
    ["nbf in the future", () => userToken({ claims: { nbf: NOW + 60 } }), "TOKEN_NOT_YET_VALID"],
    ["iat in the future beyond the tolerance", () => userToken({ nowSeconds: NOW + 60 }), "TOKEN_NOT_YET_VALID"],
    [
      "iat older than MAX_TOKEN_AGE_SECONDS (exp still ahead)",
      () => userToken({ nowSeconds: NOW - 90_000, lifetimeSeconds: 100_000 }),
      "TOKEN_TOO_OLD",
    ],
    ...(["exp", "iat", "sub", "token_use", "client_id"] as const).map(
      (claim) => [`a token without ${claim}`, () => userToken({ claims: { [claim]: undefined } }), "TOKEN_CLAIM_MISSING"] as const,
    ),
    [
      "a user token without username (sub is not the client id)",
      () => userToken({ claims: { username: undefined } }),
      "TOKEN_CLAIM_MISSING",
    ],
    ["exp as a string", () => userToken({ claims: { exp: String(NOW + 3600) } }), "TOKEN_CLAIM_INVALID"],
    ["scope as an array", () => userToken({ claims: { scope: [READ] } }), "TOKEN_CLAIM_INVALID"],
    ["username as a number", () => userToken({ claims: { username: 42 } }), "TOKEN_CLAIM_INVALID"],
    [
      "an ID token of an allowed client",
      () => signIdToken(poolKey, { issuer: jwks.issuer, clientId: WEB_CLIENT, username: "alice", nowSeconds: NOW }),
      "TOKEN_USE_NOT_ACCESS",
    ],
    [
      "an ID token given a client_id claim too",
      () =>
        signIdToken(poolKey, {
          issuer: jwks.issuer,
          clientId: WEB_CLIENT,
          username: "alice",
          nowSeconds: NOW,
          claims: { client_id: WEB_CLIENT },
        }),
      "TOKEN_USE_NOT_ACCESS",
    ],
    ["token_use refresh", () => userToken({ claims: { token_use: "refresh" } }), "TOKEN_USE_NOT_ACCESS"],
    [
      "another app client's token",
      () => signUserAccessToken(poolKey, { issuer: jwks.issuer, clientId: "otherclient", username: "alice", nowSeconds: NOW }),
      "CLIENT_NOT_ALLOWED",
    ],
    [
      "another pool's issuer",
      () => userToken({ claims: { iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other1" } }),
      "TOKEN_ISSUER_INVALID",
    ],
    ["the issuer with a trailing slash", () => userToken({ claims: { iss: `${jwks.issuer}/` } }), "TOKEN_ISSUER_INVALID"],
    ["the issuer in another case", () => userToken({ claims: { iss: jwks.issuer.toUpperCase() } }), "TOKEN_ISSUER_INVALID"],
    [
      "a lifetime (exp - iat) one second beyond MAX_TOKEN_LIFETIME_SECONDS",
      () => userToken({ lifetimeSeconds: 86_401 }),
      "TOKEN_LIFETIME_TOO_LONG",
    ],
    ["a lifetime of a year", () => userToken({ lifetimeSeconds: 365 * 86_400 }), "TOKEN_LIFETIME_TOO_LONG"],
    ["an oversized token (not parsed)", () => "a".repeat(8193), "TOKEN_TOO_LARGE"],
    ["an oversized genuinely signed token", () => userToken({ claims: { padding: "x".repeat(9000) } }), "TOKEN_TOO_LARGE"],
    ["an oversized token of multi-byte characters", () => "é".repeat(4097), "TOKEN_TOO_LARGE"],
  ];
}
