import type { CognitoApi } from "../../../functions/authorizer/aws/cognito";
import type { DynamoDbApi } from "../../../functions/authorizer/aws/dynamodb";
import { loadAuthorizerConfig } from "../../../functions/authorizer/config";
import {
  AuthorizerDependencyError,
  createHandler,
  type ApiGatewayRequestAuthorizerEvent,
  type AuthorizerHandler,
} from "../../../functions/authorizer/handler";
import {
  MACHINE_CLIENT_ID as MACHINE_CLIENT,
  READ_SCOPE as READ,
  WEB_CLIENT_ID as WEB_CLIENT,
  WRITE_SCOPE as WRITE,
  startAuthorizerFixture,
  type AuthorizerFixture,
} from "../../../testing/authorizer-fixture";
import { createSignInCognito } from "../../../testing/cognito-local";
import { createGrantsDynamoDb } from "../../../testing/dynalite";
import { STAGE, basic, bearer, restEvent } from "../../../testing/authorizer-harness";
import { evaluatePolicy } from "../../../testing/iam-policy";
import type { JwksServer } from "../../../testing/jwks-server";
import { createSigningKey, signMachineAccessToken, signUserAccessToken } from "../../../testing/keys";
import { startFaultProxy, type FaultProxy } from "../../../testing/fault-proxy";
import { closedEndpoint } from "../../../testing/network";

const LEGACY_PASSWORD = "legacy:Pass-word1";
const ALICE_PASSWORD = "alice:Pass-word2";
const SOURCE_IP = "203.0.113.7";
// Every failed sign-in of a designated account counts against it and its source address (3 per
// window by default, then BASIC_SIGN_IN_LIMITED): tests that fail on purpose use this address.
const FAILING_SOURCE_IP = "203.0.113.99";

const poolKey = createSigningKey("pool-key-1");

let fixture: AuthorizerFixture;
let jwks: JwksServer;
let dynamoDb: DynamoDbApi;
let cognito: CognitoApi;
let env: Record<string, string>;
let handler: AuthorizerHandler;
let stdout: string[];

beforeAll(async () => {
  fixture = await startAuthorizerFixture({ cognito: true, keys: [poolKey] });
  ({ jwks, dynamoDb } = fixture);
  cognito = fixture.cognito!;
  // A person with browser access, who also has a password in the pool: never a Basic account.
  await fixture.createUsers([
    ["legacy", LEGACY_PASSWORD],
    ["alice", ALICE_PASSWORD],
  ]);
  await fixture.putGrants([
    ["user#alice", ["GET /resource", "* /resource/{id}"]],
    [`client#${MACHINE_CLIENT}`, ["POST /resource"]],
    ["user#legacy", ["GET /resource"]],
  ]);
  env = fixture.env({ APP_CLIENT_IDS: `${WEB_CLIENT},${MACHINE_CLIENT}`, BASIC_USERS: "legacy,ghost" });
  // The production log sink (stdout) is used, and captured.
  handler = createHandler(loadAuthorizerConfig(env), { dynamoDb, cognito });
});

afterAll(async () => {
  await fixture?.close();
});

beforeEach(() => {
  stdout = [];
  jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
});

const requestEvent = (
  method: string,
  resource: string,
  path: string,
  authorization: string | readonly string[] | undefined,
  headerName = "Authorization",
  sourceIp = SOURCE_IP,
): ApiGatewayRequestAuthorizerEvent => restEvent({ method, resource, path, authorization, headerName, sourceIp });
const aliceToken = (scope = READ) => signUserAccessToken(poolKey, { issuer: jwks.issuer, clientId: WEB_CLIENT, username: "alice", scope });
const machineToken = () => signMachineAccessToken(poolKey, { issuer: jwks.issuer, clientId: MACHINE_CLIENT, scope: WRITE });
const decisionLogs = () =>
  stdout
    .flatMap((chunk) => chunk.split("\n"))
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.message === "authorization decision");

describe("handler (end to end through createHandler, with the JWKS server, dynalite and cognito-local)", () => {
  test("GIVEN a user token with the read scope WHEN it GETs /resource THEN Allow, with a policy covering exactly the called route", async () => {
    const response = await handler(requestEvent("GET", "/resource", "/resource", bearer(aliceToken())));
    expect(response.principalId).toBe("user#alice");
    expect(response.policyDocument.Statement).toEqual([
      { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${STAGE}/GET/resource`] },
    ]);
    expect(response.context).toEqual({
      principal: "user#alice",
      authType: "bearer",
      clientId: WEB_CLIENT,
      scopes: READ,
      reason: "ALLOWED",
    });
    // AND it allows no other method
    expect(evaluatePolicy(response.policyDocument, `${STAGE}/DELETE/resource/42`)).toBe("Deny");
    expect(evaluatePolicy(response.policyDocument, `${STAGE}/POST/resource`)).toBe("Deny");
  });

  test("GIVEN a machine token with the write scope WHEN it POSTs /resource THEN Allow for client#<client_id>", async () => {
    const response = await handler(requestEvent("POST", "/resource", "/resource", bearer(machineToken())));
    expect(response.principalId).toBe(`client#${MACHINE_CLIENT}`);
    expect(response.policyDocument.Statement).toEqual([
      { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${STAGE}/POST/resource`] },
    ]);
    expect(evaluatePolicy(response.policyDocument, `${STAGE}/POST/resource`)).toBe("Allow");
  });

  test("fails when the token lacks the route's scope: a policy that denies the called method (403), SCOPE_MISSING", async () => {
    const event = requestEvent("DELETE", "/resource/{id}", "/resource/42", bearer(aliceToken()));
    const response = await handler(event);
    expect(response.context.reason).toBe("SCOPE_MISSING");
    expect(evaluatePolicy(response.policyDocument, event.methodArn)).toBe("Deny");
    // AND a Deny is a Deny only (a cached copy answers only this route: the key holds the route)
    expect(response.policyDocument.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${STAGE}/*`] }]);
  });

  test("fails when the principal has no grant for the route: Deny (403), GRANT_MISSING", async () => {
    const token = signUserAccessToken(poolKey, { issuer: jwks.issuer, clientId: WEB_CLIENT, username: "bob", scope: READ });
    const event = requestEvent("GET", "/resource", "/resource", bearer(token));
    const response = await handler(event);
    expect(response.context.reason).toBe("GRANT_MISSING");
    expect(response.policyDocument.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${STAGE}/*`] }]);
  });

  test("fails when the route is not configured: Deny (403), ROUTE_NOT_CONFIGURED", async () => {
    const event = requestEvent("PUT", "/resource", "/resource", bearer(aliceToken()));
    const response = await handler(event);
    expect(response.context.reason).toBe("ROUTE_NOT_CONFIGURED");
    expect(evaluatePolicy(response.policyDocument, event.methodArn)).toBe("Deny");
  });

  test.each([
    ["a garbage value, then a good token", () => ["Bearer not.a.token", bearer(aliceToken())]],
    ["a good token, then a garbage value", () => [bearer(aliceToken()), "Bearer not.a.token"]],
    ["the same good token twice", () => [bearer(aliceToken()), bearer(aliceToken())]],
  ])("fails when the header is sent twice (%s): 401 HEADER_REPEATED, whatever the values", async (_title, values) => {
    const rejection = handler(requestEvent("GET", "/resource", "/resource", values()));
    await expect(rejection).rejects.toThrow(new Error("Unauthorized"));
    expect(decisionLogs()).toEqual([expect.objectContaining({ reason: "HEADER_REPEATED", effect: "Unauthorized", status: 401 })]);
  });

  test("fails when `headers` holds the header under two spellings of its name: 401 HEADER_REPEATED", async () => {
    const event = requestEvent("GET", "/resource", "/resource", bearer(aliceToken()));
    const rejection = handler({ ...event, headers: { ...event.headers, authorization: bearer(aliceToken()) } });
    await expect(rejection).rejects.toThrow(new Error("Unauthorized"));
    expect(decisionLogs()).toEqual([expect.objectContaining({ reason: "HEADER_REPEATED" })]);
  });

  test("fails when `multiValueHeaders` holds the header under two spellings of its name, one value each: 401 HEADER_REPEATED", async () => {
    const event = requestEvent("GET", "/resource", "/resource", bearer(aliceToken()));
    const rejection = handler({
      ...event,
      multiValueHeaders: { ...event.multiValueHeaders, authorization: ["Bearer not.a.token"] },
    });
    await expect(rejection).rejects.toThrow(new Error("Unauthorized"));
    expect(decisionLogs()).toEqual([expect.objectContaining({ reason: "HEADER_REPEATED" })]);
  });

  test("GIVEN an event without `multiValueHeaders` (null) WHEN `headers` holds one good token THEN it is read", async () => {
    const event = requestEvent("GET", "/resource", "/resource", bearer(aliceToken()));
    await expect(handler({ ...event, multiValueHeaders: null })).resolves.toMatchObject({ context: { reason: "ALLOWED" } });
  });

  describe('authentication failures throw exactly Error("Unauthorized") (401)', () => {
    const failures: ReadonlyArray<readonly [string, () => string | readonly string[] | undefined, string]> = [
      ["a garbage bearer token", () => bearer("not.a.token"), "TOKEN_MALFORMED"],
      [
        "an expired token",
        () =>
          bearer(
            signUserAccessToken(poolKey, {
              issuer: jwks.issuer,
              clientId: WEB_CLIENT,
              username: "alice",
              nowSeconds: Math.floor(Date.now() / 1000) - 7200,
            }),
          ),
        "TOKEN_EXPIRED",
      ],
      [
        "a token of another client",
        () => bearer(signUserAccessToken(poolKey, { issuer: jwks.issuer, clientId: "otherclient", username: "alice" })),
        "CLIENT_NOT_ALLOWED",
      ],
      ["no Authorization header", () => undefined, "HEADER_MISSING"],
      ["an unknown scheme", () => `Token ${aliceToken()}`, "HEADER_MALFORMED"],
      ["Basic with a wrong password", () => basic("legacy:wrong-Pass1"), "BASIC_SIGN_IN_FAILED"],
      ["Basic for a designated account the pool does not hold", () => basic(`ghost:${LEGACY_PASSWORD}`), "BASIC_SIGN_IN_FAILED"],
      ["Basic for a user that is not designated", () => basic(`nobody:${LEGACY_PASSWORD}`), "BASIC_USER_NOT_DESIGNATED"],
      ["malformed Basic credentials", () => "Basic bm8tY29sb24=", "HEADER_MALFORMED"],
    ];
    test.each(failures)("refuses %s", async (_title, authorization, reason) => {
      const rejection = handler(requestEvent("GET", "/resource", "/resource", authorization()));
      await expect(rejection).rejects.toThrow(new Error("Unauthorized"));
      await rejection.catch((error: unknown) => {
        expect((error as Error).message).toBe("Unauthorized");
        expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
      });
      expect(decisionLogs()).toEqual([expect.objectContaining({ reason, effect: "Unauthorized", status: 401 })]);
    });
  });

  test("GIVEN the header name in lower case WHEN the token is good THEN it is read (header names are case-insensitive)", async () => {
    const response = await handler(requestEvent("GET", "/resource", "/resource", bearer(aliceToken()), "authorization"));
    expect(response.context.reason).toBe("ALLOWED");
  });

  test("GIVEN a Basic user with a grant WHEN it GETs /resource THEN Allow; WHEN it POSTs THEN Deny (no grant)", async () => {
    const allowed = await handler(requestEvent("GET", "/resource", "/resource", basic(`legacy:${LEGACY_PASSWORD}`)));
    expect(allowed.principalId).toBe("user#legacy");
    expect(allowed.context).toMatchObject({ authType: "basic", scopes: "", reason: "ALLOWED" });
    expect(allowed.policyDocument.Statement).toEqual([
      { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${STAGE}/GET/resource`] },
    ]);

    const denied = await handler(requestEvent("POST", "/resource", "/resource", basic(`legacy:${LEGACY_PASSWORD}`)));
    expect(denied.context.reason).toBe("GRANT_MISSING");
  });

  test("GIVEN BASIC_AUTH_CLIENT_ID unset WHEN Basic credentials arrive THEN Unauthorized (BASIC_DISABLED), Cognito untouched", async () => {
    const { BASIC_AUTH_CLIENT_ID: _unset, BASIC_USERS: _unsetToo, ...bearerOnly } = env;
    const logs: string[] = [];
    const bearerOnlyHandler = createHandler(loadAuthorizerConfig(bearerOnly), { dynamoDb, log: (line) => logs.push(line) });
    await expect(bearerOnlyHandler(requestEvent("GET", "/resource", "/resource", basic(`legacy:${LEGACY_PASSWORD}`)))).rejects.toThrow(
      new Error("Unauthorized"),
    );
    expect(JSON.parse(logs[0]!)).toMatchObject({ reason: "BASIC_DISABLED", status: 401 });
  });

  describe("dependency failures throw another error (500), never Allow", () => {
    test("fails when DynamoDB is down: GRANTS_UNAVAILABLE", async () => {
      const downDb = createGrantsDynamoDb(await closedEndpoint());
      const logs: string[] = [];
      const broken = createHandler(loadAuthorizerConfig(env), { dynamoDb: downDb, cognito, log: (line) => logs.push(line) });
      const rejection = broken(requestEvent("GET", "/resource", "/resource", bearer(aliceToken())));
      await expect(rejection).rejects.toThrow(AuthorizerDependencyError);
      await expect(rejection).rejects.not.toThrow(new Error("Unauthorized"));
      expect(JSON.parse(logs[0]!)).toMatchObject({ reason: "GRANTS_UNAVAILABLE", effect: "Error", status: 500, principal: "user#alice" });
      downDb.destroy();
    });

    test("fails when the JWKS is unreachable: JWKS_UNAVAILABLE", async () => {
      const logs: string[] = [];
      const unreachableIssuer = `${await closedEndpoint()}/${env.USER_POOL_ID}`;
      const broken = createHandler(loadAuthorizerConfig({ ...env, TOKEN_ISSUER: unreachableIssuer }), {
        dynamoDb,
        cognito,
        log: (line) => logs.push(line),
      });
      const token = signUserAccessToken(poolKey, { issuer: unreachableIssuer, clientId: WEB_CLIENT, username: "alice", scope: READ });
      await expect(broken(requestEvent("GET", "/resource", "/resource", bearer(token)))).rejects.toThrow(AuthorizerDependencyError);
      expect(JSON.parse(logs[0]!)).toMatchObject({ reason: "JWKS_UNAVAILABLE", status: 500 });
    });

    test("fails when Cognito is down: SIGN_IN_UNAVAILABLE", async () => {
      const downCognito = createSignInCognito(await closedEndpoint());
      const broken = createHandler(loadAuthorizerConfig(env), { dynamoDb, cognito: downCognito, log: () => undefined });
      await expect(broken(requestEvent("GET", "/resource", "/resource", basic(`legacy:${LEGACY_PASSWORD}`)))).rejects.toThrow(
        "authorizer cannot decide: SIGN_IN_UNAVAILABLE",
      );
      downCognito.destroy();
    });

    test("fails when event.methodArn is malformed: INTERNAL_ERROR", async () => {
      const event = { ...requestEvent("GET", "/resource", "/resource", bearer(aliceToken())), methodArn: "not-an-arn" };
      await expect(handler(event)).rejects.toThrow("authorizer cannot decide: INTERNAL_ERROR");
    });
  });

  describe("designated Basic accounts (BASIC_USERS), through proxies that see every AWS request", () => {
    let cognitoProxy: FaultProxy;
    let dynamoProxy: FaultProxy;
    let proxiedCognito: CognitoApi;
    let proxiedDynamoDb: DynamoDbApi;

    beforeAll(async () => {
      [cognitoProxy, dynamoProxy] = await Promise.all([
        startFaultProxy(fixture.cognitoLocalEndpoint!),
        startFaultProxy(fixture.dynaliteEndpoint),
      ]);
      proxiedCognito = createSignInCognito(cognitoProxy.endpoint);
      proxiedDynamoDb = createGrantsDynamoDb(dynamoProxy.endpoint);
    });

    afterAll(async () => {
      proxiedCognito?.destroy();
      proxiedDynamoDb?.destroy();
      await Promise.all([cognitoProxy?.close(), dynamoProxy?.close()]);
    });

    beforeEach(() => {
      (cognitoProxy.requests as unknown[]).splice(0);
      (dynamoProxy.requests as unknown[]).splice(0);
    });

    const proxiedHandler = (overrides: Record<string, string> = {}) =>
      createHandler(loadAuthorizerConfig({ ...env, ...overrides }), {
        dynamoDb: proxiedDynamoDb,
        cognito: proxiedCognito,
        log: () => undefined,
      });

    test("GIVEN alice, a person with a password and a grant, not designated WHEN she sends her right password as Basic THEN 401 BASIC_USER_NOT_DESIGNATED, with no AdminInitiateAuth and no GetItem", async () => {
      const logs: string[] = [];
      const guarded = createHandler(loadAuthorizerConfig(env), {
        dynamoDb: proxiedDynamoDb,
        cognito: proxiedCognito,
        log: (line) => logs.push(line),
      });
      await expect(guarded(requestEvent("DELETE", "/resource/{id}", "/resource/1", basic(`alice:${ALICE_PASSWORD}`)))).rejects.toThrow(
        new Error("Unauthorized"),
      );
      expect(JSON.parse(logs[0]!)).toMatchObject({ reason: "BASIC_USER_NOT_DESIGNATED", effect: "Unauthorized", status: 401 });
      expect(cognitoProxy.count("AdminInitiateAuth")).toBe(0);
      expect(dynamoProxy.count("GetItem")).toBe(0);
    });

    test("GIVEN a designated name sent in another case WHEN compared THEN it is designated and Cognito is asked (the pool's usernames are case-insensitive)", async () => {
      // cognito-local compares usernames case-sensitively and refuses; a pool with
      // username_configuration.case_sensitive = false signs the account in.
      await expect(
        proxiedHandler()(
          requestEvent("GET", "/resource", "/resource", basic(`LEGACY:${LEGACY_PASSWORD}`), "Authorization", FAILING_SOURCE_IP),
        ),
      ).rejects.toThrow(new Error("Unauthorized"));
      expect(cognitoProxy.count("AdminInitiateAuth")).toBe(1);
    });

    test.each([
      ["LimitExceededException", "SIGN_IN_UNAVAILABLE", "500"],
      ["UnexpectedLambdaException", "SIGN_IN_UNAVAILABLE", "500"],
      ["InvalidLambdaResponseException", "SIGN_IN_UNAVAILABLE", "500"],
      ["UserLambdaValidationException", "BASIC_SIGN_IN_FAILED", "401"],
    ])("GIVEN Cognito answers %s WHEN a designated account signs in THEN %s (%s)", async (errorName, reason, status) => {
      cognitoProxy.answerWith(({ operation }) =>
        operation === "AdminInitiateAuth" ? { status: 400, body: { __type: errorName, message: "scripted" } } : undefined,
      );
      const logs: string[] = [];
      try {
        const guarded = createHandler(loadAuthorizerConfig(env), {
          dynamoDb: proxiedDynamoDb,
          cognito: proxiedCognito,
          log: (line) => logs.push(line),
        });
        const rejection = guarded(
          requestEvent("GET", "/resource", "/resource", basic(`legacy:${LEGACY_PASSWORD}`), "Authorization", FAILING_SOURCE_IP),
        );
        if (status === "500") await expect(rejection).rejects.toThrow(AuthorizerDependencyError);
        else await expect(rejection).rejects.toThrow(new Error("Unauthorized"));
      } finally {
        cognitoProxy.answerWith(undefined);
      }
      expect(JSON.parse(logs[0]!)).toMatchObject({ reason, status: Number(status), detail: errorName });
      expect(dynamoProxy.count("GetItem")).toBe(0);
    });

    test("GIVEN a designated account WHEN it signs in THEN AdminInitiateAuth carries ContextData with the event's source IP, server name and path, and no excluded header", async () => {
      const event = requestEvent("GET", "/resource", "/resource", basic(`legacy:${LEGACY_PASSWORD}`));
      const withHeaders: ApiGatewayRequestAuthorizerEvent = {
        ...event,
        headers: {
          ...event.headers,
          "User-Agent": "legacy-app/1.0",
          "x-FORWARDED-for": "198.51.100.9",
          COOKIE: "session=secret-cookie",
          forwarded: "for=198.51.100.9",
          "X-Real-Ip": "198.51.100.9",
        },
        multiValueHeaders: null,
      };
      const response = await proxiedHandler()(withHeaders);
      expect(response.context.reason).toBe("ALLOWED");
      const signIns = cognitoProxy.requests.filter((request) => request.operation === "AdminInitiateAuth");
      expect(signIns).toHaveLength(1);
      const contextData = (signIns[0]!.body as { ContextData?: Record<string, unknown> }).ContextData;
      expect(contextData).toMatchObject({ IpAddress: SOURCE_IP, ServerName: "api.example.com", ServerPath: "/v1/resource" });
      const headers = contextData!.HttpHeaders as { headerName: string; headerValue: string }[];
      expect(headers).toContainEqual({ headerName: "user-agent", headerValue: "legacy-app/1.0" });
      const sent = JSON.stringify(contextData);
      for (const leaked of ["198.51.100.9", "secret-cookie", "Basic ", LEGACY_PASSWORD]) expect(sent).not.toContain(leaked);
      expect(headers.map((header) => header.headerName.toLowerCase())).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(authorization|cookie|x-forwarded-for|forwarded|x-real-ip)$/)]),
      );
    });
  });

  describe("logs", () => {
    test("GIVEN a mix of requests THEN there is one JSON line per decision with reason, principal, authType, clientId, routeKey, effect and latency, and no credential anywhere", async () => {
      const token = aliceToken();
      const basicHeader = basic(`legacy:${LEGACY_PASSWORD}`);
      await handler(requestEvent("GET", "/resource", "/resource", bearer(token)));
      await handler(requestEvent("GET", "/resource", "/resource", basicHeader));
      await handler(requestEvent("GET", "/resource", "/resource", basic("legacy:wrong-Pass1"))).catch(() => undefined);
      await handler(requestEvent("GET", "/resource", "/resource", bearer(`${token}x`))).catch(() => undefined);

      const logs = decisionLogs();
      expect(logs).toHaveLength(4);
      expect(logs[0]).toEqual({
        level: "INFO",
        message: "authorization decision",
        reason: "ALLOWED",
        effect: "Allow",
        routeKey: "GET /resource",
        principal: "user#alice",
        authType: "bearer",
        clientId: WEB_CLIENT,
        fromCache: expect.any(Boolean),
        kind: "allowed",
        status: 200,
        latencyMs: expect.any(Number),
      });
      expect(logs[1]).toMatchObject({ reason: "ALLOWED", principal: "user#legacy", authType: "basic", clientId: env.BASIC_AUTH_CLIENT_ID });
      expect(logs[2]).toMatchObject({ reason: "BASIC_SIGN_IN_FAILED", effect: "Unauthorized", authType: "basic" });
      expect(logs[2]).not.toHaveProperty("principal");
      expect(logs[3]).toMatchObject({ reason: "TOKEN_MALFORMED", effect: "Unauthorized", authType: "bearer" });

      const everything = stdout.join("");
      for (const secret of [token, token.split(".")[2]!, LEGACY_PASSWORD, "wrong-Pass1", basicHeader.slice("Basic ".length)]) {
        expect(everything).not.toContain(secret);
      }
    });
  });
});
