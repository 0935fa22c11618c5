/**
 * Faults injected at the local servers while one handler instance keeps serving: a slow, failing or
 * unreachable JWKS endpoint; DynamoDB throttling, 5xx and outage; Cognito throttling and outage; and
 * clocks at the edges of the tolerance. Each failure must be a 500 (never an Allow), and once the
 * fault clears the same instance must Allow again at once: a failure is never remembered as a result.
 */
import { JWKS_CACHE_MAX_AGE_MS, JWKS_COOLDOWN_MS, JWKS_FAILURE_COOLDOWN_MS } from "../../../../functions/authorizer/jwks";
import { basic, bearer, invoke, restEvent, type DecisionLine, type Outcome } from "../../../../testing/authorizer-harness";
import type { StubAnswer } from "../../../../testing/aws-json-stub";
import {
  READ_SCOPE as READ,
  WEB_CLIENT_ID as WEB_CLIENT,
  startAuthorizerFixture,
  type AuthorizerContainer,
  type AuthorizerFixture,
} from "../../../../testing/authorizer-fixture";
import { startFaultProxy, type FaultProxy } from "../../../../testing/fault-proxy";
import type { JwksFault, JwksServer } from "../../../../testing/jwks-server";
import { createSigningKey, jwksOf, signUserAccessToken } from "../../../../testing/keys";
const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;
const TOLERANCE_SECONDS = 5;
const MAX_AGE_SECONDS = 3_600;
const JWKS_TIMEOUT_MS = 300;
const SLOW_JWKS_DELAY_MS = 1_500;
const PASSWORD = "Faults-Pass:word1";

const poolKey = createSigningKey("pool-key-1");
const rotatedKey = createSigningKey("pool-key-2");

let fixture: AuthorizerFixture<FaultProxy>;
let jwks: JwksServer;
let dynamoProxy: FaultProxy;
let cognitoProxy: FaultProxy;

beforeAll(async () => {
  fixture = await startAuthorizerFixture({
    cognito: true,
    keys: [poolKey, rotatedKey],
    jwksSlowDelayMs: SLOW_JWKS_DELAY_MS,
    proxy: startFaultProxy,
  });
  ({ jwks, dynamoDbProxy: dynamoProxy } = fixture);
  cognitoProxy = fixture.cognitoProxy!;
  await fixture.createUsers([["legacy", PASSWORD]]);
  await fixture.putGrants([
    ["user#alice", ["GET /resource"]],
    ["user#legacy", ["GET /resource"]],
  ]);
}, 30_000);

afterAll(async () => {
  await fixture?.close();
});

afterEach(async () => {
  jwks.setFault("none");
  jwks.setJwks(jwksOf(poolKey, rotatedKey));
  dynamoProxy.answerWith(undefined);
  cognitoProxy.answerWith(undefined);
  await Promise.all([dynamoProxy.setFault("none"), cognitoProxy.setFault("none")]);
  fixture.stopContainers();
  jest.restoreAllMocks();
});

/** A cold container: its own caches and JWKS, the shared servers behind their proxies. */
function harness(env: Record<string, string> = {}): AuthorizerContainer {
  return fixture.startContainer({
    nowMs: NOW_MS,
    jwksTimeoutMs: JWKS_TIMEOUT_MS,
    env: {
      ROUTE_SCOPES: JSON.stringify({ "GET /resource": [READ] }),
      CLOCK_TOLERANCE_SECONDS: String(TOLERANCE_SECONDS),
      MAX_TOKEN_AGE_SECONDS: String(MAX_AGE_SECONDS),
      ...env,
    },
  });
}

const event = (authorization: string) => restEvent({ method: "GET", resource: "/resource", path: "/resource", authorization });
const token = (options: { nowSeconds?: number; lifetimeSeconds?: number; claims?: Record<string, unknown> } = {}, key = poolKey) =>
  signUserAccessToken(key, { issuer: jwks.issuer, clientId: WEB_CLIENT, username: "alice", scope: READ, nowSeconds: NOW, ...options });
const legacy = () => basic(`legacy:${PASSWORD}`);

/** Calls once and returns what happened together with the decision line it logged. */
async function call(
  subject: AuthorizerContainer,
  authorization: string,
  timeoutMs = 5_000,
): Promise<{ outcome: Outcome; reason: string | undefined; line: DecisionLine | undefined }> {
  subject.captured.clear();
  const outcome = await invoke(subject.handler, event(authorization), timeoutMs);
  const [line] = subject.captured.decisions();
  return { outcome, reason: line?.reason, line };
}

const allowed = (outcome: Outcome) => outcome.kind === "response" && outcome.response.context.reason === "ALLOWED";

describe("the JWKS endpoint fails, then recovers", () => {
  test.each([
    ["slower than the fetch timeout", "slow"],
    ["answering 500", "500"],
    ["answering 200 with something that is not JSON", "not-json"],
    ["dropping every connection", "down"],
  ] as const)(
    "GIVEN a cold handler and the endpoint %s WHEN a valid token arrives THEN 500 (JWKS_UNAVAILABLE), the slow fetch cut by its timeout (no hang: the test's own timeout); WHEN the fault clears THEN the same instance allows the first call after the failure cool-down",
    async (_title, fault: JwksFault) => {
      // GIVEN
      const subject = harness();
      const genuine = token();
      jwks.setFault(fault);

      // WHEN
      const fetchesDuringFault = jwks.fetchCount;
      const failed = await call(subject, bearer(genuine));

      // THEN a dependency failure, logged as such, never an Allow and never a 401
      expect(failed.outcome).toEqual({ kind: "dependency", reason: "JWKS_UNAVAILABLE" });
      expect(failed.line).toMatchObject({ reason: "JWKS_UNAVAILABLE", effect: "Error", status: 500, authType: "bearer" });
      // AND a slow endpoint costs one timed-out fetch (not retried); an answered failure is retried once
      // (reset connections never reach the server's count)
      expect(jwks.fetchCount - fetchesDuringFault).toBe({ slow: 1, "500": 2, "not-json": 2, down: 0, none: 0 }[fault]);

      // WHEN the fault clears within the failure cool-down THEN still a 500, without a fetch
      jwks.setFault("none");
      const fetchesBefore = jwks.fetchCount;
      subject.clock.ms += JWKS_FAILURE_COOLDOWN_MS - 1;
      expect((await call(subject, bearer(genuine))).outcome).toEqual({ kind: "dependency", reason: "JWKS_UNAVAILABLE" });
      expect(jwks.fetchCount).toBe(fetchesBefore);

      // WHEN the failure cool-down has ended THEN no refusal was cached: one fetch, allowed
      subject.clock.ms += 1;
      const recovered = await call(subject, bearer(genuine));
      expect(allowed(recovered.outcome)).toBe(true);
      expect(recovered.line).toMatchObject({ reason: "ALLOWED", effect: "Allow", fromCache: false });
      expect(jwks.fetchCount - fetchesBefore).toBe(1);
    },
  );

  test("GIVEN a slow endpoint WHEN 50 calls with distinct tokens arrive together THEN they share one fetch (no amplification) and all fail with JWKS_UNAVAILABLE", async () => {
    const subject = harness();
    jwks.setFault("slow");
    const fetchesBefore = jwks.fetchCount;
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, index) => invoke(subject.handler, event(bearer(token({ claims: { jti: `burst-${index}` } }))), 5_000)),
    );
    expect(outcomes.every((outcome) => outcome.kind === "dependency" && outcome.reason === "JWKS_UNAVAILABLE")).toBe(true);
    expect(jwks.fetchCount - fetchesBefore).toBe(1);
    expect(subject.captured.decisions().every((line) => line.reason === "JWKS_UNAVAILABLE")).toBe(true);
  });

  test("GIVEN keys already fetched WHEN the endpoint goes down THEN new tokens of a known key still verify (no fetch needed)", async () => {
    const subject = harness();
    expect(allowed((await call(subject, bearer(token()))).outcome)).toBe(true);
    jwks.setFault("down");
    const fresh = await call(subject, bearer(token({ claims: { jti: "after-outage" } })));
    expect(allowed(fresh.outcome)).toBe(true);
    expect(fresh.line).toMatchObject({ fromCache: false });
  });

  test("GIVEN keys fetched more than 10 min ago (the JWKS cache age) WHEN the endpoint is down THEN a token not yet verified still passes with the last good key set, a cached one passes, and a JWKS_SNAPSHOT key verifies; WHEN it recovers THEN the set is refetched", async () => {
    const subject = harness();
    const withSnapshot = harness({ JWKS_SNAPSHOT: JSON.stringify(jwksOf(poolKey, rotatedKey)) });
    const seen = bearer(token({ claims: { jti: "seen" } }));
    expect(allowed((await call(subject, seen)).outcome)).toBe(true);

    subject.clock.ms += JWKS_CACHE_MAX_AGE_MS + 1_000;
    withSnapshot.clock.ms = subject.clock.ms;
    jwks.setFault("down");
    const unseen = bearer(token({ claims: { jti: "unseen" } }));
    expect((await call(subject, unseen)).line).toMatchObject({ reason: "ALLOWED", fromCache: false });
    expect((await call(subject, bearer(token({ claims: { jti: "unseen-2" } })))).line).toMatchObject({
      reason: "ALLOWED",
      fromCache: false,
    });
    expect((await call(subject, seen)).line).toMatchObject({ reason: "ALLOWED", fromCache: true });
    expect((await call(withSnapshot, unseen)).line).toMatchObject({ reason: "ALLOWED", fromCache: false });

    jwks.setFault("none");
    subject.clock.ms += JWKS_FAILURE_COOLDOWN_MS;
    const fetchesBefore = jwks.fetchCount;
    expect(allowed((await call(subject, bearer(token({ claims: { jti: "recovered" } })))).outcome)).toBe(true);
    expect(jwks.fetchCount - fetchesBefore).toBe(1);
  });

  test("GIVEN a key rotation WHEN the refetch for the new kid fails (500) THEN 500 for the new key, old-key tokens keep working, and during the failure cool-down the new kid is a 401 without a fetch; WHEN it ends THEN the new key's token is allowed", async () => {
    const subject = harness();
    jwks.setJwks(jwksOf(poolKey));
    expect(allowed((await call(subject, bearer(token()))).outcome)).toBe(true);

    // GIVEN the pool publishes a second key, and the first refetch after the cooldown fails
    jwks.setJwks(jwksOf(poolKey, rotatedKey));
    subject.clock.ms += JWKS_COOLDOWN_MS + 1_000;
    jwks.setFault("500");
    const rotated = bearer(token({ claims: { jti: "rotated" } }, rotatedKey));
    const fetchesBefore = jwks.fetchCount;
    const failed = await call(subject, rotated);
    expect(failed.outcome).toEqual({ kind: "dependency", reason: "JWKS_UNAVAILABLE" });
    const fetchesAfterFailure = jwks.fetchCount;
    expect(fetchesAfterFailure).toBeGreaterThan(fetchesBefore);
    expect(allowed((await call(subject, bearer(token({ claims: { jti: "old-key-during-fault" } })))).outcome)).toBe(true);

    // WHEN it recovers within the failure cool-down THEN the new kid is refused at once, no fetch
    jwks.setFault("none");
    const refused = await call(subject, rotated);
    expect(refused.outcome).toEqual({ kind: "unauthorized" });
    expect(refused.reason).toBe("TOKEN_KEY_UNKNOWN");
    expect(jwks.fetchCount).toBe(fetchesAfterFailure);

    // WHEN the failure cool-down has ended THEN one fetch, allowed
    subject.clock.ms += JWKS_FAILURE_COOLDOWN_MS;
    expect(allowed((await call(subject, rotated)).outcome)).toBe(true);
    expect(jwks.fetchCount).toBe(fetchesAfterFailure + 1);
  });
});

describe("DynamoDB fails, then recovers", () => {
  const throttled =
    (type: string, status = 400) =>
    (request: { operation: string }): StubAnswer | undefined =>
      request.operation === "GetItem" ? { status, body: { __type: type, message: "scripted fault" } } : undefined;

  test.each([
    [
      "throttles (ProvisionedThroughputExceededException)",
      "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
      400,
      "ProvisionedThroughputExceededException",
    ],
    ["throttles (ThrottlingException)", "com.amazon.coral.availability#ThrottlingException", 400, "ThrottlingException"],
    ["answers 500 (InternalServerError)", "com.amazonaws.dynamodb.v20120810#InternalServerError", 500, "InternalServerError"],
  ])(
    "GIVEN a verified caller WHEN DynamoDB %s THEN 500 (GRANTS_UNAVAILABLE) every time, each call asking again; WHEN it recovers THEN the next call reads the grants and allows",
    async (_title, type, status, detail) => {
      const subject = harness();
      dynamoProxy.answerWith(throttled(type, status));
      const before = dynamoProxy.count("GetItem");

      for (let attempt = 0; attempt < 3; attempt++) {
        const failed = await call(subject, bearer(token()));
        expect(failed.outcome).toEqual({ kind: "dependency", reason: "GRANTS_UNAVAILABLE" });
        expect(failed.line).toMatchObject({ reason: "GRANTS_UNAVAILABLE", effect: "Error", status: 500, principal: "user#alice", detail });
      }
      // THEN no failure was cached: one GetItem per call
      expect(dynamoProxy.count("GetItem") - before).toBe(3);

      dynamoProxy.answerWith(undefined);
      const recovered = await call(subject, bearer(token()));
      expect(allowed(recovered.outcome)).toBe(true);
      expect(dynamoProxy.count("GetItem") - before).toBe(4);
    },
  );

  test.each([
    ["is down (connection refused)", "refused"],
    ["resets every connection", "reset"],
  ] as const)(
    "GIVEN a verified caller WHEN DynamoDB %s THEN 500 (GRANTS_UNAVAILABLE); WHEN it is back THEN the same instance allows",
    async (_title, fault) => {
      const subject = harness();
      await dynamoProxy.setFault(fault);
      const failed = await call(subject, bearer(token()));
      expect(failed.outcome).toEqual({ kind: "dependency", reason: "GRANTS_UNAVAILABLE" });
      expect(failed.line).toMatchObject({ reason: "GRANTS_UNAVAILABLE", effect: "Error", principal: "user#alice" });

      await dynamoProxy.setFault("none");
      expect(allowed((await call(subject, bearer(token()))).outcome)).toBe(true);
    },
  );

  test("GIVEN cached grants WHEN DynamoDB goes down THEN they serve until GRANT_CACHE_TTL_SECONDS ends, and not one instant longer (then 500, never a stale Allow)", async () => {
    const subject = harness({ GRANT_CACHE_TTL_SECONDS: "30" });
    expect(allowed((await call(subject, bearer(token()))).outcome)).toBe(true);
    await dynamoProxy.setFault("refused");

    subject.clock.ms = NOW_MS + 29_999;
    expect(allowed((await call(subject, bearer(token()))).outcome)).toBe(true);
    subject.clock.ms = NOW_MS + 30_000;
    expect((await call(subject, bearer(token()))).outcome).toEqual({ kind: "dependency", reason: "GRANTS_UNAVAILABLE" });

    await dynamoProxy.setFault("none");
    expect(allowed((await call(subject, bearer(token()))).outcome)).toBe(true);
  });
});

describe("Cognito fails, then recovers (Basic)", () => {
  const scripted =
    (type: string, status: number) =>
    (request: { operation: string }): StubAnswer | undefined =>
      request.operation === "AdminInitiateAuth" ? { status, body: { __type: type, message: "scripted fault" } } : undefined;

  test.each([
    ["throttles (TooManyRequestsException)", "TooManyRequestsException", 400],
    ["answers 500 (InternalErrorException)", "InternalErrorException", 500],
  ])(
    "GIVEN a Basic user WHEN Cognito %s THEN 500 (SIGN_IN_UNAVAILABLE), never a 401 that would look like a wrong password; WHEN it recovers THEN the same credentials are allowed at the next call",
    async (_title, type, status) => {
      const subject = harness();
      cognitoProxy.answerWith(scripted(type, status));
      const before = cognitoProxy.count("AdminInitiateAuth");
      for (let attempt = 0; attempt < 2; attempt++) {
        const failed = await call(subject, legacy());
        expect(failed.outcome).toEqual({ kind: "dependency", reason: "SIGN_IN_UNAVAILABLE" });
        expect(failed.line).toMatchObject({ reason: "SIGN_IN_UNAVAILABLE", effect: "Error", status: 500, authType: "basic", detail: type });
      }
      cognitoProxy.answerWith(undefined);
      const recovered = await call(subject, legacy());
      expect(allowed(recovered.outcome)).toBe(true);
      expect(recovered.line).toMatchObject({ principal: "user#legacy", fromCache: false });
      // THEN every call asked Cognito: the failures were not cached
      expect(cognitoProxy.count("AdminInitiateAuth") - before).toBe(3);
    },
  );

  test("GIVEN a Basic user WHEN Cognito is down THEN 500 (SIGN_IN_UNAVAILABLE); WHEN it is back THEN allowed, and a wrong password is still a 401", async () => {
    const subject = harness();
    await cognitoProxy.setFault("refused");
    expect((await call(subject, legacy())).outcome).toEqual({ kind: "dependency", reason: "SIGN_IN_UNAVAILABLE" });
    await cognitoProxy.setFault("none");
    expect(allowed((await call(subject, legacy())).outcome)).toBe(true);
    const wrong = await call(subject, basic("legacy:wrong-Pass1"));
    expect(wrong.outcome).toEqual({ kind: "unauthorized" });
    expect(wrong.reason).toBe("BASIC_SIGN_IN_FAILED");
  });

  test("GIVEN a cached sign-in WHEN Cognito goes down THEN it serves until BASIC_AUTH_CACHE_TTL_SECONDS ends, then 500", async () => {
    const subject = harness({ BASIC_AUTH_CACHE_TTL_SECONDS: "60", GRANT_CACHE_TTL_SECONDS: "3600" });
    expect(allowed((await call(subject, legacy())).outcome)).toBe(true);
    await cognitoProxy.setFault("refused");
    subject.clock.ms = NOW_MS + 59_999;
    expect((await call(subject, legacy())).line).toMatchObject({ reason: "ALLOWED", fromCache: true });
    subject.clock.ms = NOW_MS + 60_000;
    expect((await call(subject, legacy())).outcome).toEqual({ kind: "dependency", reason: "SIGN_IN_UNAVAILABLE" });
  });
});

describe(`clock skew at the edges of CLOCK_TOLERANCE_SECONDS=${TOLERANCE_SECONDS} (MAX_TOKEN_AGE_SECONDS=${MAX_AGE_SECONDS})`, () => {
  const T = TOLERANCE_SECONDS;
  // [title, expected reason, token claims relative to the handler's clock (NOW)]
  const edges: ReadonlyArray<readonly [string, string, { iat: number; exp: number; nbf?: number }]> = [
    ["exp = now - tolerance + 1 s", "ALLOWED", { iat: NOW - 600, exp: NOW - T + 1 }],
    ["exp = now - tolerance (exactly)", "TOKEN_EXPIRED", { iat: NOW - 600, exp: NOW - T }],
    ["exp = now - tolerance - 1 s", "TOKEN_EXPIRED", { iat: NOW - 600, exp: NOW - T - 1 }],
    ["iat = now + tolerance (exactly)", "ALLOWED", { iat: NOW + T, exp: NOW + 3600 }],
    ["iat = now + tolerance + 1 s", "TOKEN_NOT_YET_VALID", { iat: NOW + T + 1, exp: NOW + 3600 }],
    ["nbf = now + tolerance (exactly)", "ALLOWED", { iat: NOW, exp: NOW + 3600, nbf: NOW + T }],
    ["nbf = now + tolerance + 1 s", "TOKEN_NOT_YET_VALID", { iat: NOW, exp: NOW + 3600, nbf: NOW + T + 1 }],
    ["nbf = now + tolerance + 0.5 s", "TOKEN_NOT_YET_VALID", { iat: NOW, exp: NOW + 3600, nbf: NOW + T + 0.5 }],
    ["iat = now - max age - tolerance (exactly)", "ALLOWED", { iat: NOW - MAX_AGE_SECONDS - T, exp: NOW + 60 }],
    ["iat = now - max age - tolerance - 1 s", "TOKEN_TOO_OLD", { iat: NOW - MAX_AGE_SECONDS - T - 1, exp: NOW + 60 }],
  ];

  test.each(edges)("GIVEN a token with %s THEN %s", async (title, reason, times) => {
    const subject = harness();
    const result = await call(subject, bearer(token({ claims: { ...times, jti: `edge-${title}` } })));
    expect(result.reason).toBe(reason);
    if (reason === "ALLOWED") expect(allowed(result.outcome)).toBe(true);
    else expect(result.outcome).toEqual({ kind: "unauthorized" });
  });

  test("GIVEN the handler's clock 999 ms into a second THEN the edges are those of the whole second (jose compares whole seconds), and 1 ms later they move", async () => {
    const subject = harness();
    const almostExpired = bearer(token({ claims: { iat: NOW - 600, exp: NOW - T + 1, jti: "sub-second" } }));
    subject.clock.ms = NOW_MS + 999;
    expect((await call(subject, almostExpired)).reason).toBe("ALLOWED");
    subject.clock.ms = NOW_MS + 1_000;
    expect((await call(subject, almostExpired)).reason).toBe("TOKEN_EXPIRED");
  });

  test("GIVEN a token verified and cached WHEN the clock passes exp THEN the cache stops serving it, the tolerance still applies, and at exp + tolerance it is refused: the cache never extends a token's life", async () => {
    const subject = harness();
    const shortLived = bearer(token({ claims: { iat: NOW, exp: NOW + 60, jti: "short" } }));
    expect((await call(subject, shortLived)).line).toMatchObject({ reason: "ALLOWED", fromCache: false });
    expect((await call(subject, shortLived)).line).toMatchObject({ reason: "ALLOWED", fromCache: true });

    subject.clock.ms = (NOW + 60) * 1000;
    expect((await call(subject, shortLived)).line).toMatchObject({ reason: "ALLOWED", fromCache: false });
    subject.clock.ms = (NOW + 60 + T - 1) * 1000;
    expect((await call(subject, shortLived)).line).toMatchObject({ reason: "ALLOWED", fromCache: false });
    subject.clock.ms = (NOW + 60 + T) * 1000;
    expect((await call(subject, shortLived)).reason).toBe("TOKEN_EXPIRED");
  });

  test("GIVEN a token refused as not yet valid WHEN the clock reaches its nbf - tolerance THEN it is allowed (a refusal is not remembered)", async () => {
    const subject = harness();
    const early = bearer(token({ claims: { iat: NOW, exp: NOW + 3600, nbf: NOW + 30, jti: "early" } }));
    expect((await call(subject, early)).reason).toBe("TOKEN_NOT_YET_VALID");
    subject.clock.ms = (NOW + 30 - T) * 1000;
    expect((await call(subject, early)).reason).toBe("ALLOWED");
  });
});
