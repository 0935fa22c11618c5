/**
 * Property-based fuzzing of the `Authorization` header through `createHandler`.
 *
 * The grants table (a scripted DynamoDB) grants every route to every principal, so authentication
 * is the only thing standing between a request and an Allow: any bypass shows up as an Allow.
 */
import fc from "fast-check";
import { loadAuthorizerConfig } from "../../../../functions/authorizer/config";
import { createHandler, type ApiGatewayRequestAuthorizerEvent, type AuthorizerHandler } from "../../../../functions/authorizer/handler";
import { reasonKind, type ReasonCode } from "../../../../functions/authorizer/reasons";
import { basic, bearer, captureLog, FC_SEED, invoke, STAGE, type CapturedLog } from "../../../../testing/authorizer-harness";
import { startAwsJsonStub, type AwsJsonStub, type StubRequest } from "../../../../testing/aws-json-stub";
import { createSignInCognito } from "../../../../testing/cognito-local";
import { createGrantsDynamoDb } from "../../../../testing/dynalite";
import { startJwksServer, type JwksServer } from "../../../../testing/jwks-server";
import { base64url, createSigningKey, jwksOf, signUserAccessToken } from "../../../../testing/keys";
import type { CognitoApi } from "../../../../functions/authorizer/aws/cognito";
import type { DynamoDbApi } from "../../../../functions/authorizer/aws/dynamodb";

const READ = "api.example.com/read";
const WEB_CLIENT = "webclient1";
const BASIC_CLIENT = "basicclient1";
const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;
const ROUTES = ["GET /resource", "POST /resource", "GET /resource/{id}"] as const;
const LEGACY_USER = "legacy";
const LEGACY_PASSWORD = "Pass:word-1";

const poolKey = createSigningKey("pool-key-1");

let jwks: JwksServer;
let cognitoStub: AwsJsonStub;
let dynamoStub: AwsJsonStub;
let cognito: CognitoApi;
let dynamoDb: DynamoDbApi;
let handler: AuthorizerHandler;
let captured: CapturedLog;

/** An unsigned access token as Cognito's AdminInitiateAuth returns it (the authenticator only decodes it). */
const cognitoAccessToken = (username: string) =>
  `${base64url({ alg: "RS256", kid: "k" })}.${base64url({ username, token_use: "access" })}.c2ln`;

beforeAll(async () => {
  jwks = await startJwksServer({ jwks: jwksOf(poolKey) });
  // Cognito accepts exactly one user and password; everything else is a wrong password.
  cognitoStub = await startAwsJsonStub((request) => {
    const { USERNAME, PASSWORD } = (request.body as { AuthParameters: { USERNAME: string; PASSWORD: string } }).AuthParameters;
    if (USERNAME === LEGACY_USER && PASSWORD === LEGACY_PASSWORD) {
      return {
        status: 200,
        body: { AuthenticationResult: { AccessToken: cognitoAccessToken(LEGACY_USER), ExpiresIn: 3600, TokenType: "Bearer" } },
      };
    }
    return { status: 400, body: { __type: "NotAuthorizedException", message: "Incorrect username or password." } };
  });
  // Every principal may call every route.
  dynamoStub = await startAwsJsonStub(() => ({ status: 200, body: { Item: { routes: { L: ROUTES.map((route) => ({ S: route })) } } } }));
  cognito = createSignInCognito(cognitoStub.endpoint);
  dynamoDb = createGrantsDynamoDb(dynamoStub.endpoint);
  captured = captureLog();
  const config = loadAuthorizerConfig({
    AWS_REGION: "local",
    USER_POOL_ID: jwks.poolId,
    TOKEN_ISSUER: jwks.issuer,
    APP_CLIENT_IDS: WEB_CLIENT,
    AUTHZ_TABLE_NAME: "scopegate-grants",
    BASIC_AUTH_CLIENT_ID: BASIC_CLIENT,
    BASIC_USERS: DESIGNATED.join(","),
    ROUTE_SCOPES: JSON.stringify({ "GET /resource": [READ], "POST /resource": [], "GET /resource/{id}": [READ] }),
  });
  handler = createHandler(config, { now: () => NOW_MS, log: captured.log, dynamoDb, cognito, jwksTimeoutMs: 1_000 });
});

afterAll(async () => {
  cognito?.destroy();
  dynamoDb?.destroy();
  await Promise.all([jwks?.close(), cognitoStub?.close(), dynamoStub?.close()]);
});

const validToken = () =>
  signUserAccessToken(poolKey, { issuer: jwks.issuer, clientId: WEB_CLIENT, username: "alice", scope: READ, nowSeconds: NOW });

/** One occurrence of a header: its name as sent and its value. */
type HeaderOccurrence = readonly [name: string, value: string];

/** The event API Gateway builds for these header occurrences: names kept as sent, `headers` the last value of each. */
function eventWith(occurrences: readonly HeaderOccurrence[]): ApiGatewayRequestAuthorizerEvent {
  const multiValueHeaders: Record<string, string[]> = { Host: ["api.example.com"] };
  const headers: Record<string, string> = { Host: "api.example.com" };
  for (const [name, value] of occurrences) {
    (multiValueHeaders[name] ??= []).push(value);
    headers[name] = value;
  }
  return { type: "REQUEST", methodArn: `${STAGE}/GET/resource`, resource: "/resource", httpMethod: "GET", headers, multiValueHeaders };
}

const authorizationName = fc.mixedCase(fc.constant("authorization"));
const otherHeaderName = fc.constantFrom(
  "X-Authorization",
  "Proxy-Authorization",
  "Authorization ",
  " Authorization",
  "Authorisation",
  "Authorization-Bearer",
  "Cookie",
);
const separator = fc.oneof(
  { weight: 6, arbitrary: fc.constant(" ") },
  { weight: 4, arbitrary: fc.constantFrom("  ", "\t", "", "\u00a0", "\u2003", " \t", "\n", "\r\n ", ",", ":", "=") },
);
const schemeWord = fc.oneof(
  fc.mixedCase(fc.constantFrom("bearer", "basic", "digest", "token", "bear", "bearerr", "basics", "negotiate", "jwt", "hoba")),
  fc.string({ unit: "grapheme-ascii", minLength: 0, maxLength: 12 }),
);
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 160 }),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ unit: "grapheme-ascii", maxLength: 160 }),
  fc.stringMatching(/^[A-Za-z0-9\-._~+/]{0,120}=*$/),
  fc.base64String({ maxLength: 160 }),
);
/** Things shaped like a compact JWS (three base64url parts, a JSON header) that are not valid tokens. */
const jwsLike = fc
  .record({
    header: fc.record(
      {
        alg: fc.constantFrom("RS256", "none", "HS256", "RS512", "rs256"),
        kid: fc.constantFrom(poolKey.kid, "other-key", "", 7),
        typ: fc.constantFrom("JWT", "at+jwt"),
      },
      { requiredKeys: [] },
    ),
    extraHeader: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
    payload: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constant({ token_use: "access", client_id: WEB_CLIENT, username: "alice", scope: READ }),
    ),
    signature: fc.uint8Array({ maxLength: 300 }),
    parts: fc.constantFrom(3, 2, 4, 5),
  })
  .map(({ header, extraHeader, payload, signature, parts }) => {
    const all = [
      base64url({ ...extraHeader, ...header }),
      base64url(payload as object),
      Buffer.from(signature).toString("base64url"),
      "e30",
      "e30",
    ];
    return all.slice(0, parts).join(".");
  });
/** Designated Basic accounts; any other user-id is refused before Cognito is asked. */
const DESIGNATED = [LEGACY_USER, "svc-fuzz"];
/** Whether a user-id is designated, read independently of the authorizer: the pool compares usernames case-insensitively. */
const designated = (username: string) => DESIGNATED.some((name) => name.toLowerCase() === username.toLowerCase());

/** Basic credentials of arbitrary bytes around a colon: the user and password Cognito refuses. */
const credentialBytes = fc.oneof(
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: "grapheme", maxLength: 20 }).map((text) => Buffer.from(text, "utf8")),
  fc.string({ unit: "binary", maxLength: 20 }).map((text) => Buffer.from(text, "utf8")),
);
const basicBytes = fc.record({
  user: fc.oneof(
    { weight: 3, arbitrary: credentialBytes },
    { weight: 1, arbitrary: fc.mixedCase(fc.constantFrom(...DESIGNATED)).map((name) => Buffer.from(name, "utf8")) },
  ),
  password: credentialBytes,
  colon: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});

const garbageValue = fc.oneof(
  { weight: 2, arbitrary: anyText },
  {
    weight: 2,
    arbitrary: fc.tuple(schemeWord, separator, fc.oneof(anyText, jwsLike)).map(([scheme, sep, rest]) => `${scheme}${sep}${rest}`),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.mixedCase(fc.constant("bearer")), separator, jwsLike).map(([scheme, sep, token]) => `${scheme}${sep}${token}`),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.mixedCase(fc.constant("basic")), separator, basicBytes)
      .map(
        ([scheme, sep, { user, password, colon }]) =>
          `${scheme}${sep}${Buffer.concat([user, Buffer.from(colon ? ":" : ""), password]).toString("base64")}`,
      ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      `Bearer ${"a".repeat(9000)}`,
      `Basic ${"QUFB".repeat(1100)}`,
      `Basic ${Buffer.from(`${"u".repeat(3100)}:p`).toString("base64")}`,
    ),
  },
);

const AUTHENTICATION_REASONS = new Set<string>([
  "HEADER_MISSING",
  "HEADER_MALFORMED",
  "HEADER_REPEATED",
  "BASIC_USER_NOT_DESIGNATED",
  "BASIC_SIGN_IN_FAILED",
  "TOKEN_TOO_LARGE",
  "TOKEN_MALFORMED",
  "TOKEN_ALG_NOT_ALLOWED",
  "TOKEN_KID_MISSING",
  "TOKEN_HEADER_UNSUPPORTED",
  "TOKEN_KEY_UNKNOWN",
  "TOKEN_SIGNATURE_INVALID",
  "TOKEN_EXPIRED",
  "TOKEN_TOO_OLD",
  "TOKEN_NOT_YET_VALID",
  "TOKEN_CLAIM_MISSING",
  "TOKEN_CLAIM_INVALID",
  "TOKEN_ISSUER_INVALID",
  "TOKEN_USE_NOT_ACCESS",
  "CLIENT_NOT_ALLOWED",
] satisfies ReasonCode[]);

/** RFC 7617 read independently: canonical base64 of strict UTF-8 `user:password`, split at the first colon, no control characters. */
function expectedBasicCredentials(value: string): { username: string; password: string } | undefined {
  const match = /^basic ([A-Za-z0-9+/]*={0,2})$/i.exec(value);
  if (match === null || match[1] === "" || match[1]!.length > 4096) return undefined;
  const bytes = Buffer.from(match[1]!, "base64");
  if (bytes.toString("base64") !== match[1]) return undefined;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  const colon = text.indexOf(":");
  // RFC 7617: control characters are not allowed in credentials (matching them is the point).
  // eslint-disable-next-line no-control-regex
  if (colon <= 0 || /[\u0000-\u001f\u007f]/.test(text)) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

describe(`the Authorization header under fuzzing (fast-check seed ${FC_SEED})`, () => {
  test('GIVEN arbitrary header values, schemes, separators, header-name casings and counts WHEN no value carries valid credentials THEN exactly Error("Unauthorized") every time, with one authentication reason logged, within 2 s', async () => {
    const fetchesBefore = jwks.fetchCount;
    const occurrence = fc.tuple(
      fc.oneof({ weight: 4, arbitrary: authorizationName }, { weight: 1, arbitrary: otherHeaderName }),
      garbageValue,
    );
    const occurrences = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(authorizationName, garbageValue).map((single) => [single]) },
      { weight: 2, arbitrary: fc.array(occurrence, { minLength: 0, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.array(fc.tuple(fc.constant("Authorization"), garbageValue), { minLength: 2, maxLength: 3 }) },
    );
    await fc.assert(
      fc.asyncProperty(occurrences, async (headerOccurrences) => {
        captured.clear();
        const cognitoCallsBefore = cognitoStub.requests.length;
        const outcome = await invoke(handler, eventWith(headerOccurrences));
        // THEN never an answer, never another error, never a hang
        expect(outcome).toEqual({ kind: "unauthorized" });
        const decisions = captured.decisions();
        expect(decisions).toHaveLength(1);
        expect(AUTHENTICATION_REASONS.has(decisions[0]!.reason)).toBe(true);
        expect(decisions[0]).toMatchObject({ effect: "Unauthorized", status: 401 });
        // AND Cognito saw exactly the credentials RFC 7617 reads from a lone Basic value of a designated
        // account, nothing otherwise
        const authorizationValues = headerOccurrences.filter(([name]) => name.toLowerCase() === "authorization").map(([, value]) => value);
        const credentials = authorizationValues.length === 1 ? expectedBasicCredentials(authorizationValues[0]!) : undefined;
        const cognitoCalls = cognitoStub.requests.slice(cognitoCallsBefore) as StubRequest[];
        if (authorizationValues.length > 1) {
          // One credential per request: refused before any value is read.
          expect(cognitoCalls).toHaveLength(0);
          expect(decisions[0]!.reason).toBe("HEADER_REPEATED");
        } else if (credentials !== undefined && !designated(credentials.username)) {
          expect(cognitoCalls).toHaveLength(0);
          expect(decisions[0]!.reason).toBe("BASIC_USER_NOT_DESIGNATED");
        } else if (credentials === undefined || credentials.password === "") {
          expect(cognitoCalls).toHaveLength(0);
        } else {
          expect(cognitoCalls.map((call) => (call.body as { AuthParameters: unknown }).AuthParameters)).toEqual([
            { USERNAME: credentials.username, PASSWORD: credentials.password },
          ]);
          expect(decisions[0]!.reason).toBe("BASIC_SIGN_IN_FAILED");
        }
      }),
      { seed: FC_SEED, numRuns: 1_000 },
    );
    // AND garbage cost at most one JWKS fetch plus one refetch for an unknown kid (cooldown 30 s)
    expect(jwks.fetchCount - fetchesBefore).toBeLessThanOrEqual(2);
  });

  test("GIVEN genuine credentials dressed in arbitrary scheme casing, separators, surrounding text, header-name casing and repetition THEN Allow exactly when the header is one `<scheme> <credentials>` value; sent more than once, HEADER_REPEATED; else HEADER_MALFORMED", async () => {
    const token = validToken();
    const legacyBasic = basic(`${LEGACY_USER}:${LEGACY_PASSWORD}`).slice("Basic ".length);
    const dressed = fc.record({
      scheme: fc.constantFrom("bearer", "basic"),
      casing: fc.mixedCase(fc.constant("xxxxxx")),
      prefix: fc.constantFrom("", "", "", " ", "\t", "x", ","),
      sep: fc.constantFrom(" ", " ", " ", "  ", "\t", "", "\u00a0", "\n", ":"),
      suffix: fc.constantFrom("", "", "", " ", "\t", "\r\n", ",", ";", " x", "\u0000"),
      names: fc.oneof(
        { weight: 3, arbitrary: fc.array(authorizationName, { minLength: 1, maxLength: 3 }) },
        // The same spelling repeated: one key in `headers`, every value in `multiValueHeaders`.
        { weight: 1, arbitrary: authorizationName.chain((name) => fc.array(fc.constant(name), { minLength: 2, maxLength: 3 })) },
      ),
    });
    await fc.assert(
      fc.asyncProperty(dressed, async ({ scheme, casing, prefix, sep, suffix, names }) => {
        captured.clear();
        // The scheme in the generated casing ("x" upper → letter upper).
        const cased = [...scheme].map((letter, index) => (casing[index] === "X" ? letter.toUpperCase() : letter)).join("");
        const value = `${prefix}${cased}${sep}${scheme === "bearer" ? token : legacyBasic}${suffix}`;
        const outcome = await invoke(handler, eventWith(names.map((name) => [name, value] as const)));
        const wellFormed = prefix === "" && sep === " " && suffix === "" && names.length === 1;
        if (wellFormed) {
          expect(outcome.kind).toBe("response");
          expect(outcome.kind === "response" && outcome.response.context.reason).toBe("ALLOWED");
          expect(captured.decisions()).toEqual([expect.objectContaining({ reason: "ALLOWED", effect: "Allow", authType: scheme })]);
        } else {
          expect(outcome).toEqual({ kind: "unauthorized" });
          const reason = names.length > 1 ? "HEADER_REPEATED" : "HEADER_MALFORMED";
          expect(captured.decisions()).toEqual([expect.objectContaining({ reason, effect: "Unauthorized" })]);
        }
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });

  test("GIVEN a valid token sent under a header that is not Authorization (any casing of another name) THEN HEADER_MISSING, never Allow", async () => {
    const token = validToken();
    await fc.assert(
      fc.asyncProperty(otherHeaderName, async (name) => {
        captured.clear();
        expect(await invoke(handler, eventWith([[name, bearer(token)]]))).toEqual({ kind: "unauthorized" });
        expect(captured.decisions()[0]).toMatchObject({ reason: "HEADER_MISSING" });
      }),
      { seed: FC_SEED, numRuns: 20 },
    );
  });

  test("GIVEN the authentication reasons used above THEN each is indeed a 401 kind", () => {
    for (const reason of AUTHENTICATION_REASONS) expect(reasonKind(reason as ReasonCode)).toBe("authentication");
  });
});
