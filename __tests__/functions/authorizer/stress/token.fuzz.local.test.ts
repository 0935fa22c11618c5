/**
 * Property-based fuzzing of bearer token contents through `createHandler`: a genuine Cognito access
 * token is mutated (header parameters, claims, signature, signing key) and the handler's answer is
 * compared with an oracle written from the rules, independently of the authorizer's code: it reads
 * the token's bytes itself and checks the signature with node:crypto, not jose.
 */
import { createHmac, sign as cryptoSign, verify as cryptoVerify } from "node:crypto";
import fc from "fast-check";
import { loadAuthorizerConfig } from "../../../../functions/authorizer/config";
import { createHandler, type AuthorizerHandler } from "../../../../functions/authorizer/handler";
import { reasonKind, type ReasonCode } from "../../../../functions/authorizer/reasons";
import { bearer, captureLog, FC_SEED, invoke, restEvent, type CapturedLog } from "../../../../testing/authorizer-harness";
import {
  ADMIN_SCOPE as ADMIN,
  MACHINE_CLIENT_ID as MACHINE_CLIENT,
  READ_SCOPE as READ,
  WEB_CLIENT_ID as WEB_CLIENT,
  WRITE_SCOPE as WRITE,
  startAuthorizerFixture,
  type AuthorizerFixture,
} from "../../../../testing/authorizer-fixture";
import { evaluatePolicy } from "../../../../testing/iam-policy";
import type { JwksServer } from "../../../../testing/jwks-server";
import { base64url, createSigningKey, signMachineAccessToken, signUserAccessToken } from "../../../../testing/keys";

const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;
const TOLERANCE_SECONDS = 5;
const MAX_AGE_SECONDS = 86_400;
const MAX_LIFETIME_SECONDS = 86_400;
const MAX_TOKEN_BYTES = 8192;

/** Configured routes, their scopes (one needed; none when empty) and a request path each routes from. */
const ROUTES: Readonly<Record<string, { readonly scopes: readonly string[]; readonly path: string }>> = {
  "GET /resource": { scopes: [READ], path: "/resource" },
  "POST /resource": { scopes: [WRITE], path: "/resource" },
  "GET /resource/{id}": { scopes: [READ, ADMIN], path: "/resource/42" },
  "DELETE /resource/{id}": { scopes: [ADMIN], path: "/resource/42" },
  "GET /health": { scopes: [], path: "/health" },
};
/** The grants table. */
const GRANTS: Readonly<Record<string, readonly string[]>> = {
  "user#alice": ["GET /resource", "* /resource/{id}", "GET /health"],
  [`client#${MACHINE_CLIENT}`]: ["POST /resource", "GET /health"],
  "user#bob": ["GET /health"],
};

const poolKey = createSigningKey("pool-key-1");
const attackerKey = createSigningKey("attacker-key");

let fixture: AuthorizerFixture;
let jwks: JwksServer;
let handler: AuthorizerHandler;
let captured: CapturedLog;

beforeAll(async () => {
  fixture = await startAuthorizerFixture({ keys: [poolKey] });
  jwks = fixture.jwks;
  await fixture.putGrants(Object.entries(GRANTS));
  captured = captureLog();
  const config = loadAuthorizerConfig(
    fixture.env({
      APP_CLIENT_IDS: `${WEB_CLIENT},${MACHINE_CLIENT}`,
      ROUTE_SCOPES: JSON.stringify(Object.fromEntries(Object.entries(ROUTES).map(([route, { scopes }]) => [route, scopes]))),
      CLOCK_TOLERANCE_SECONDS: String(TOLERANCE_SECONDS),
      MAX_TOKEN_AGE_SECONDS: String(MAX_AGE_SECONDS),
      MAX_TOKEN_LIFETIME_SECONDS: String(MAX_LIFETIME_SECONDS),
      MAX_TOKEN_LENGTH: String(MAX_TOKEN_BYTES),
    }),
  );
  handler = createHandler(config, { now: () => NOW_MS, log: captured.log, dynamoDb: fixture.dynamoDb, jwksTimeoutMs: 1_000 });
});

afterAll(async () => {
  await fixture?.close();
});

// ---------------------------------------------------------------------------------------------
// The oracle: the rules, applied to the token's bytes.
// ---------------------------------------------------------------------------------------------

type Expected =
  | { readonly authenticated: false }
  | { readonly authenticated: true; readonly principal: string; readonly reason: "ALLOWED" | "SCOPE_MISSING" | "GRANT_MISSING" };

const REFUSED_HEADER_PARAMETERS = ["crit", "b64", "jwk", "jku", "x5u", "x5c"];
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const has = (object: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(object, key);

function parseSegment(segment: string): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(segment, "base64url")));
  } catch {
    return undefined;
  }
}

/**
 * Canonical base64url (RFC 7515 section 2, RFC 4648 section 3.5): no padding, and a final group of two or
 * three characters whose last character leaves the unused bits zero.
 */
const CANONICAL_BASE64URL = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-][AQgw]|[A-Za-z0-9_-]{2}[AEIMQUYcgkosw048])?$/;

/** Authentication, per the rules: who the token proves, or nobody. */
function provenPrincipal(token: string): string | undefined {
  if (Buffer.byteLength(token, "utf8") > MAX_TOKEN_BYTES) return undefined;
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  if (!parts.every((part) => CANONICAL_BASE64URL.test(part))) return undefined;
  const header = parseSegment(headerPart);
  const claims = parseSegment(payloadPart);
  if (!isPlainObject(header) || !isPlainObject(claims)) return undefined;
  // Header: RS256, the pool's kid, nothing embedded or critical.
  if (header.alg !== "RS256" || header.kid !== poolKey.kid) return undefined;
  if (REFUSED_HEADER_PARAMETERS.some((parameter) => has(header, parameter))) return undefined;
  // Signature: RSASSA-PKCS1-v1_5 SHA-256 by the pool's key over the exact signing input.
  if (!cryptoVerify("sha256", Buffer.from(`${headerPart}.${payloadPart}`), poolKey.publicKey, Buffer.from(signaturePart, "base64url")))
    return undefined;
  // Claims.
  if (!["exp", "iat", "sub", "token_use", "client_id", "iss"].every((claim) => has(claims, claim))) return undefined;
  const { exp, iat, nbf, iss, token_use: tokenUse, client_id: clientId, sub, scope, username } = claims;
  if (iss !== jwks.issuer || tokenUse !== "access") return undefined;
  if (typeof exp !== "number" || !(exp > NOW - TOLERANCE_SECONDS)) return undefined;
  if (typeof iat !== "number" || !(NOW - iat >= -TOLERANCE_SECONDS) || !(NOW - iat - TOLERANCE_SECONDS <= MAX_AGE_SECONDS))
    return undefined;
  if ((exp as number) - iat > MAX_LIFETIME_SECONDS) return undefined;
  if (has(claims, "nbf") && (typeof nbf !== "number" || !(nbf <= NOW + TOLERANCE_SECONDS))) return undefined;
  if (typeof clientId !== "string" || ![WEB_CLIENT, MACHINE_CLIENT].includes(clientId)) return undefined;
  if (typeof sub !== "string" || sub === "") return undefined;
  if (scope !== undefined && typeof scope !== "string") return undefined;
  if (username !== undefined && (typeof username !== "string" || username === "")) return undefined;
  if (typeof username === "string") return `user#${username}`;
  return sub === clientId ? `client#${clientId}` : undefined;
}

function expectedDecision(token: string, routeKey: string): Expected {
  const principal = provenPrincipal(token);
  if (principal === undefined) return { authenticated: false };
  const scopeClaim = (parseSegment(token.split(".")[1]!) as { scope?: string }).scope ?? "";
  const held = scopeClaim.split(" ").filter((item) => item !== "");
  const required = ROUTES[routeKey]!.scopes;
  if (required.length > 0 && !required.some((scope) => held.includes(scope)))
    return { authenticated: true, principal, reason: "SCOPE_MISSING" };
  const [method, path] = routeKey.split(" ");
  const granted = (GRANTS[principal] ?? []).some((grant) => grant === `${method} ${path}` || grant === `* ${path}`);
  return { authenticated: true, principal, reason: granted ? "ALLOWED" : "GRANT_MISSING" };
}

// ---------------------------------------------------------------------------------------------
// Mutations of a genuine token.
// ---------------------------------------------------------------------------------------------

const REMOVE = "<remove>";
const ISSUER = () => jwks.issuer;

const timeValues = (around: number): unknown[] => [
  around - 1,
  around + 1,
  around + 0.5,
  around - 0.5,
  NOW - TOLERANCE_SECONDS - 1,
  NOW - TOLERANCE_SECONDS,
  NOW - TOLERANCE_SECONDS + 1,
  NOW - TOLERANCE_SECONDS + 0.5,
  NOW + TOLERANCE_SECONDS - 0.5,
  NOW + TOLERANCE_SECONDS,
  NOW + TOLERANCE_SECONDS + 1,
  NOW + TOLERANCE_SECONDS + 0.5,
  NOW - MAX_AGE_SECONDS - TOLERANCE_SECONDS,
  NOW - MAX_AGE_SECONDS - TOLERANCE_SECONDS - 1,
  NOW - MAX_AGE_SECONDS - TOLERANCE_SECONDS + 0.5,
  NOW - MAX_AGE_SECONDS - TOLERANCE_SECONDS - 0.5,
  NOW,
  0,
  -1,
  -NOW,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  NOW * 1000,
  String(around),
  `${around}`.slice(0, 5),
  null,
  true,
  [around],
  { value: around },
  REMOVE,
];

const scopeWord = fc.constantFrom(
  READ,
  WRITE,
  ADMIN,
  READ.toUpperCase(),
  `${READ}x`,
  `x${READ}`,
  "api.example.com/*",
  "*",
  "api.example.com",
  READ.replace("/", "\\/"),
);
const scopeSeparator = fc.constantFrom(" ", " ", " ", "  ", "\t", ",", ", ", "\u00a0", "\u2003", "\u3000", "\n", "+", "%20");
const scopeString = fc
  .array(fc.tuple(scopeSeparator, scopeWord), { maxLength: 4 })
  .chain((pairs) => fc.tuple(fc.constant(pairs), scopeSeparator, fc.boolean()))
  .map(([pairs, edge, padded]) => {
    const text = pairs.map(([separator, word], index) => (index === 0 ? word : `${separator}${word}`)).join("");
    return padded ? `${edge}${text}${edge}` : text;
  });

/** Odd values per header parameter (REMOVE deletes it). */
const HEADER_VALUES: Readonly<Record<string, readonly unknown[]>> = {
  alg: ["rs256", "RS512", "HS256", "none", "ES256", "PS256", "", 1, null, ["RS256"], REMOVE],
  kid: ["other-key", attackerKey.kid, "", 1, null, `${poolKey.kid} `, poolKey.kid.toUpperCase(), [poolKey.kid], REMOVE],
  typ: ["JWT", "at+jwt", "jwt", 1, REMOVE],
  crit: [["exp"], ["b64"], [], "x"],
  b64: [true, false],
  jwk: [attackerKey.publicJwk, poolKey.publicJwk],
  jku: ["http://127.0.0.1:9/jwks.json", ""],
  x5u: ["http://127.0.0.1:9/cert.pem"],
  x5c: [["MIIB"], []],
  cty: ["JWT", "json"],
};
/** Odd values per claim (REMOVE deletes it; `<iss:…>` markers become issuer variants). */
const CLAIM_VALUES: Readonly<Record<string, readonly unknown[]>> = {
  token_use: ["id", "ACCESS", "access ", "refresh", "", 1, null, ["access"], REMOVE],
  client_id: [MACHINE_CLIENT, WEB_CLIENT, `${WEB_CLIENT} `, WEB_CLIENT.toUpperCase(), "otherclient", "", 1, null, [WEB_CLIENT], REMOVE],
  iss: ["<iss:/>", "<iss:upper>", "<iss:https>", "<iss:>", "<iss:nul>", "<iss:space>", "<iss:array>", "<iss:null>", REMOVE],
  exp: timeValues(NOW + 3600),
  iat: timeValues(NOW),
  nbf: timeValues(NOW),
  scope: [[READ], 1, null, { [READ]: true }, true, [READ, WRITE], REMOVE],
  username: [
    "alice",
    "bob",
    "Alice",
    "alice ",
    " alice",
    "",
    1,
    null,
    ["alice"],
    "mallory",
    "alice\u0000",
    "user#alice",
    "ａｌｉｃｅ",
    REMOVE,
  ],
  sub: ["sub-alice", WEB_CLIENT, MACHINE_CLIENT, "", 1, null, REMOVE],
  aud: [WEB_CLIENT, "otherclient"],
};

type SignatureChange =
  | { readonly kind: "flip"; readonly bit: number }
  | { readonly kind: "truncate" | "append" | "empty" }
  | { readonly kind: "random"; readonly bytes: Uint8Array };

/** One mutation of a genuine token. */
type TokenMutation =
  | { readonly on: "header" | "claims"; readonly key: string; readonly value: unknown }
  | { readonly on: "duplicate"; readonly key: string; readonly value: unknown }
  | { readonly on: "padding"; readonly bytes: number }
  | { readonly on: "signer"; readonly signer: "attacker" | "hs256-pem" | "hs256-modulus" | "none" | "original" }
  | { readonly on: "signature"; readonly change: SignatureChange };

const entriesOf = (table: Readonly<Record<string, readonly unknown[]>>) =>
  Object.entries(table).flatMap(([key, values]) => values.map((value) => ({ key, value })));

const oneMutation: fc.Arbitrary<TokenMutation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(...entriesOf(HEADER_VALUES)).map(({ key, value }): TokenMutation => ({ on: "header", key, value })),
  },
  {
    weight: 6,
    arbitrary: fc.constantFrom(...entriesOf(CLAIM_VALUES)).map(({ key, value }): TokenMutation => ({ on: "claims", key, value })),
  },
  { weight: 4, arbitrary: scopeString.map((value): TokenMutation => ({ on: "claims", key: "scope", value })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<readonly [string, unknown]>(
        ["token_use", "access"],
        ["token_use", "id"],
        ["client_id", WEB_CLIENT],
        ["username", "alice"],
        ["exp", NOW - 3600],
        ["scope", ADMIN],
      )
      .map(([key, value]): TokenMutation => ({ on: "duplicate", key, value })),
  },
  { weight: 1, arbitrary: fc.constantFrom(7_000, 7_700, 9_000).map((bytes): TokenMutation => ({ on: "padding", bytes })) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom("attacker", "hs256-pem", "hs256-modulus", "none", "original")
      .map((signer): TokenMutation => ({ on: "signer", signer: signer as "attacker" })),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.nat({ max: 2047 }).map((bit): SignatureChange => ({ kind: "flip", bit })),
        fc.constantFrom<SignatureChange>({ kind: "truncate" }, { kind: "append" }, { kind: "empty" }),
        fc.uint8Array({ minLength: 256, maxLength: 256 }).map((bytes): SignatureChange => ({ kind: "random", bytes })),
      )
      .map((change): TokenMutation => ({ on: "signature", change })),
  },
);

const mutationArb = fc.record({
  base: fc.constantFrom("alice", "alice", "bob", "machine"),
  route: fc.constantFrom(...Object.keys(ROUTES)),
  mutations: fc.oneof(
    { weight: 1, arbitrary: fc.constant<TokenMutation[]>([]) },
    { weight: 4, arbitrary: fc.array(oneMutation, { minLength: 1, maxLength: 1 }) },
    { weight: 2, arbitrary: fc.array(oneMutation, { minLength: 2, maxLength: 2 }) },
    { weight: 1, arbitrary: fc.array(oneMutation, { minLength: 3, maxLength: 4 }) },
  ),
});
type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;

function genuineParts(base: Mutation["base"]): { token: string; header: Record<string, unknown>; claims: Record<string, unknown> } {
  const token =
    base === "machine"
      ? signMachineAccessToken(poolKey, { issuer: ISSUER(), clientId: MACHINE_CLIENT, scope: WRITE, nowSeconds: NOW })
      : signUserAccessToken(poolKey, {
          issuer: ISSUER(),
          clientId: WEB_CLIENT,
          username: base,
          scope: `${READ} ${ADMIN}`,
          nowSeconds: NOW,
        });
  const [header, claims] = token
    .split(".")
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"))) as [Record<string, unknown>, Record<string, unknown>];
  return { token, header, claims };
}

function issuerVariant(marker: string): unknown {
  const issuer = ISSUER();
  const kind = marker.slice("<iss:".length, -1);
  return {
    "/": `${issuer}/`,
    upper: issuer.toUpperCase(),
    https: issuer.replace("http:", "https:"),
    "": "",
    nul: `${issuer}\u0000`,
    space: ` ${issuer}`,
    array: [issuer],
    null: null,
  }[kind];
}

function mutatedToken({ base, mutations }: Mutation): string {
  const genuine = genuineParts(base);
  const header = { ...genuine.header };
  const claims = { ...genuine.claims };
  let signer: Extract<TokenMutation, { on: "signer" }>["signer"] | "pool" = "pool";
  const duplicates: Array<readonly [string, unknown]> = [];
  const signatureChanges: SignatureChange[] = [];
  for (const mutation of mutations) {
    switch (mutation.on) {
      case "header":
      case "claims": {
        const target = mutation.on === "header" ? header : claims;
        const value =
          typeof mutation.value === "string" && mutation.value.startsWith("<iss:") ? issuerVariant(mutation.value) : mutation.value;
        if (value === REMOVE) delete target[mutation.key];
        else target[mutation.key] = value;
        break;
      }
      case "duplicate":
        duplicates.push([mutation.key, mutation.value]);
        break;
      case "padding":
        claims.padding = "p".repeat(mutation.bytes);
        break;
      case "signer":
        signer = mutation.signer;
        break;
      case "signature":
        signatureChanges.push(mutation.change);
        break;
    }
  }
  let payloadJson = JSON.stringify(claims);
  for (const [key, value] of duplicates)
    payloadJson = `${payloadJson.slice(0, -1)}${payloadJson === "{}" ? "" : ","}${JSON.stringify(key)}:${JSON.stringify(value)}}`;
  const signingInput = `${base64url(header)}.${base64url(payloadJson)}`;
  const publicPem = poolKey.publicKey.export({ format: "pem", type: "spki" }) as string;
  let signature: Buffer = {
    pool: () => cryptoSign("sha256", Buffer.from(signingInput), poolKey.privateKey),
    attacker: () => cryptoSign("sha256", Buffer.from(signingInput), attackerKey.privateKey),
    "hs256-pem": () => createHmac("sha256", publicPem).update(signingInput).digest(),
    "hs256-modulus": () => createHmac("sha256", Buffer.from(poolKey.publicJwk.n, "base64url")).update(signingInput).digest(),
    none: () => Buffer.alloc(0),
    original: () => Buffer.from(genuine.token.split(".")[2]!, "base64url"),
  }[signer]();
  for (const change of signatureChanges) {
    if (change.kind === "flip" && signature.length > 0) {
      signature = Buffer.from(signature);
      const index = Math.floor(change.bit / 8) % signature.length;
      signature[index] = signature[index]! ^ (1 << (change.bit % 8));
    } else if (change.kind === "truncate") signature = signature.subarray(0, Math.max(0, signature.length - 1));
    else if (change.kind === "append") signature = Buffer.concat([signature, Buffer.from([0])]);
    else if (change.kind === "empty") signature = Buffer.alloc(0);
    else if (change.kind === "random") signature = Buffer.from(change.bytes);
  }
  return `${signingInput}.${signature.toString("base64url")}`;
}

describe(`bearer token contents under fuzzing (fast-check seed ${FC_SEED})`, () => {
  test("GIVEN a genuine access token with arbitrary header, claim, signature and signing-key mutations WHEN it calls a configured route THEN Allow exactly when the oracle says the token is still genuinely valid and the route is permitted; otherwise Unauthorized (an authentication reason) or a Deny with the oracle's reason", async () => {
    const tally = { allowed: 0, denied: 0, unauthorized: 0 };
    await fc.assert(
      fc.asyncProperty(mutationArb, async (mutation) => {
        captured.clear();
        const token = mutatedToken(mutation);
        const { path } = ROUTES[mutation.route]!;
        const [method, resource] = mutation.route.split(" ") as [string, string];
        const event = restEvent({ method, resource, path, authorization: bearer(token) });
        const expected = expectedDecision(token, mutation.route);
        const outcome = await invoke(handler, event);
        const [decision] = captured.decisions();
        if (!expected.authenticated) {
          tally.unauthorized += 1;
          expect(outcome).toEqual({ kind: "unauthorized" });
          expect(reasonKind(decision!.reason as ReasonCode)).toBe("authentication");
          return;
        }
        expect(outcome.kind).toBe("response");
        if (outcome.kind !== "response") return;
        expect({ reason: decision!.reason, principal: decision!.principal }).toEqual({
          reason: expected.reason,
          principal: expected.principal,
        });
        expect(outcome.response.context.reason).toBe(expected.reason);
        expect(evaluatePolicy(outcome.response.policyDocument, event.methodArn)).toBe(expected.reason === "ALLOWED" ? "Allow" : "Deny");
        if (expected.reason === "ALLOWED") tally.allowed += 1;
        else tally.denied += 1;
      }),
      { seed: FC_SEED, numRuns: 1_500 },
    );
    // AND the run exercised every branch (a generator that never produces valid tokens proves nothing)
    expect(tally.allowed).toBeGreaterThan(50);
    expect(tally.denied).toBeGreaterThan(50);
    expect(tally.unauthorized).toBeGreaterThan(500);
  });

  test("GIVEN a genuine token WHEN arbitrary characters of its text are replaced, inserted or removed THEN any token still accepted proves the same principal with the same scopes (re-encodings of the signature are the only malleability), never more", async () => {
    const original = signUserAccessToken(poolKey, {
      issuer: jwks.issuer,
      clientId: WEB_CLIENT,
      username: "alice",
      scope: READ,
      nowSeconds: NOW,
    });
    const alphabet = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.~");
    const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom("replace", "insert", "delete", "append"), char: alphabet });
    const event = (token: string) => restEvent({ method: "GET", resource: "/resource", path: "/resource", authorization: bearer(token) });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        let token = original;
        for (const { at, kind, char } of edits) {
          const index = at % (token.length + (kind === "insert" ? 1 : 0));
          if (kind === "replace") token = `${token.slice(0, index)}${char}${token.slice(index + 1)}`;
          else if (kind === "insert") token = `${token.slice(0, index)}${char}${token.slice(index)}`;
          else if (kind === "delete") token = `${token.slice(0, index)}${token.slice(index + 1)}`;
          else token = `${token}${char}`;
        }
        captured.clear();
        const outcome = await invoke(handler, event(token));
        if (outcome.kind === "response") {
          expect(outcome.response.principalId).toBe("user#alice");
          expect(outcome.response.context.scopes).toBe(READ);
          // AND only the signature's text changed: header and payload are byte for byte the original's
          expect(token.split(".").slice(0, 2)).toEqual(original.split(".").slice(0, 2));
        } else {
          expect(outcome).toEqual({ kind: "unauthorized" });
        }
      }),
      { seed: FC_SEED, numRuns: 400 },
    );
  });
});
