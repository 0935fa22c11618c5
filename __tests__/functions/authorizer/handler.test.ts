import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
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
  createBasicSignInPool,
  createCognitoClient,
  createSignInCognito,
  createUser,
  startCognitoLocal,
  type CognitoLocal,
} from "../../support/cognito-local";
import {
  createAuthorizationTable,
  createDynamoDbClient,
  createGrantsDynamoDb,
  putGrants,
  startDynalite,
  type Dynalite,
} from "../../support/dynalite";
import { evaluatePolicy } from "../../support/iam-policy";
import { startJwksServer, type JwksServer } from "../../support/jwks-server";
import { createSigningKey, jwksOf, signMachineAccessToken, signUserAccessToken } from "../../support/keys";
import { closedEndpoint } from "../../support/network";

const READ = "api.example.com/read";
const WRITE = "api.example.com/write";
const ADMIN = "api.example.com/admin";
const WEB_CLIENT = "webclient1";
const MACHINE_CLIENT = "machineclient1";
const TABLE = "scopegate-grants";
const LEGACY_PASSWORD = "legacy:Pass-word1";
const STAGE = "arn:aws:execute-api:eu-west-1:123456789012:api123/v1";

const poolKey = createSigningKey("pool-key-1");

let jwks: JwksServer;
let dynalite: Dynalite;
let cognitoLocal: CognitoLocal;
let dynamoDbAdmin: DynamoDBClient;
let cognitoAdmin: CognitoIdentityProviderClient;
let dynamoDb: DynamoDbApi;
let cognito: CognitoApi;
let env: Record<string, string>;
let handler: AuthorizerHandler;
let stdout: string[];

beforeAll(async () => {
  [dynalite, cognitoLocal] = await Promise.all([startDynalite(), startCognitoLocal()]);
  dynamoDbAdmin = createDynamoDbClient(dynalite.endpoint);
  cognitoAdmin = createCognitoClient(cognitoLocal.endpoint);
  dynamoDb = createGrantsDynamoDb(dynalite.endpoint);
  cognito = createSignInCognito(cognitoLocal.endpoint);
  const pool = await createBasicSignInPool(cognitoAdmin);
  await createUser(cognitoAdmin, pool.userPoolId, "legacy", { permanentPassword: LEGACY_PASSWORD });
  jwks = await startJwksServer({ jwks: jwksOf(poolKey), poolId: pool.userPoolId });
  await createAuthorizationTable(dynamoDbAdmin, TABLE);
  await putGrants(dynamoDbAdmin, TABLE, "user#alice", ["GET /resource", "* /resource/{id}"]);
  await putGrants(dynamoDbAdmin, TABLE, `client#${MACHINE_CLIENT}`, ["POST /resource"]);
  await putGrants(dynamoDbAdmin, TABLE, "user#legacy", ["GET /resource"]);

  env = {
    AWS_REGION: "local",
    USER_POOL_ID: pool.userPoolId,
    TOKEN_ISSUER: jwks.issuer,
    APP_CLIENT_IDS: `${WEB_CLIENT},${MACHINE_CLIENT}`,
    AUTHZ_TABLE_NAME: TABLE,
    BASIC_AUTH_CLIENT_ID: pool.clientId,
    ROUTE_SCOPES: JSON.stringify({
      "GET /resource": [READ],
      "POST /resource": [WRITE],
      "GET /resource/{id}": [READ],
      "DELETE /resource/{id}": [ADMIN],
    }),
  };
  // The production log sink (stdout) is used, and captured.
  handler = createHandler(loadAuthorizerConfig(env), { dynamoDb, cognito });
});

afterAll(async () => {
  dynamoDb?.destroy();
  cognito?.destroy();
  dynamoDbAdmin?.destroy();
  cognitoAdmin?.destroy();
  await Promise.all([jwks?.close(), dynalite?.close(), cognitoLocal?.close()]);
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

function requestEvent(
  method: string,
  resource: string,
  path: string,
  authorization: string | readonly string[] | undefined,
  headerName = "Authorization",
): ApiGatewayRequestAuthorizerEvent {
  const values = authorization === undefined ? [] : typeof authorization === "string" ? [authorization] : authorization;
  return {
    type: "REQUEST",
    methodArn: `${STAGE}/${method}${path}`,
    resource,
    httpMethod: method,
    headers: values.length === 0 ? { Host: "api.example.com" } : { Host: "api.example.com", [headerName]: values[values.length - 1] },
    multiValueHeaders: values.length === 0 ? { Host: ["api.example.com"] } : { Host: ["api.example.com"], [headerName]: [...values] },
  };
}

const bearer = (token: string) => `Bearer ${token}`;
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, "utf8").toString("base64")}`;
const aliceToken = (scope = READ) => signUserAccessToken(poolKey, { issuer: jwks.issuer, clientId: WEB_CLIENT, username: "alice", scope });
const machineToken = () => signMachineAccessToken(poolKey, { issuer: jwks.issuer, clientId: MACHINE_CLIENT, scope: WRITE });
const decisionLogs = () =>
  stdout
    .flatMap((chunk) => chunk.split("\n"))
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.message === "authorization decision");

describe("handler (end to end through createHandler, with the JWKS server, dynalite and cognito-local)", () => {
  test("GIVEN a user token with the read scope WHEN it GETs /resource THEN Allow, with a policy covering exactly the routes it may call", async () => {
    const response = await handler(requestEvent("GET", "/resource", "/resource", bearer(aliceToken())));
    expect(response.principalId).toBe("user#alice");
    expect(response.policyDocument.Statement).toEqual([
      { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${STAGE}/GET/resource`, `${STAGE}/GET/resource/*`] },
    ]);
    expect(response.context).toEqual({
      principal: "user#alice",
      authType: "bearer",
      clientId: WEB_CLIENT,
      scopes: READ,
      reason: "ALLOWED",
    });
    // AND reused from API Gateway's cache for other methods, the policy never widens access
    expect(evaluatePolicy(response.policyDocument, `${STAGE}/GET/resource/42`)).toBe("Allow");
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
    // AND the routes it may call stay allowed, so a cached copy does not turn them into 403s
    expect(evaluatePolicy(response.policyDocument, `${STAGE}/GET/resource`)).toBe("Allow");
  });

  test("fails when the principal has no grant for the route: Deny (403), GRANT_MISSING", async () => {
    const token = signUserAccessToken(poolKey, { issuer: jwks.issuer, clientId: WEB_CLIENT, username: "bob", scope: READ });
    const event = requestEvent("GET", "/resource", "/resource", bearer(token));
    const response = await handler(event);
    expect(response.context.reason).toBe("GRANT_MISSING");
    expect(response.policyDocument.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Deny", Resource: [event.methodArn] }]);
  });

  test("fails when the route is not configured: Deny (403), ROUTE_NOT_CONFIGURED", async () => {
    const event = requestEvent("PUT", "/resource", "/resource", bearer(aliceToken()));
    const response = await handler(event);
    expect(response.context.reason).toBe("ROUTE_NOT_CONFIGURED");
    expect(evaluatePolicy(response.policyDocument, event.methodArn)).toBe("Deny");
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
      ["two Authorization values", () => [bearer(aliceToken()), bearer(aliceToken())], "HEADER_MALFORMED"],
      ["an unknown scheme", () => `Token ${aliceToken()}`, "HEADER_MALFORMED"],
      ["Basic with a wrong password", () => basic("legacy:wrong-Pass1"), "BASIC_SIGN_IN_FAILED"],
      ["Basic for an unknown user", () => basic(`nobody:${LEGACY_PASSWORD}`), "BASIC_SIGN_IN_FAILED"],
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
    const { BASIC_AUTH_CLIENT_ID: _unset, ...bearerOnly } = env;
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
      expect(logs[3]).toMatchObject({ reason: "TOKEN_SIGNATURE_INVALID", effect: "Unauthorized", authType: "bearer" });

      const everything = stdout.join("");
      for (const secret of [token, token.split(".")[2]!, LEGACY_PASSWORD, "wrong-Pass1", basicHeader.slice("Basic ".length)]) {
        expect(everything).not.toContain(secret);
      }
    });
  });
});
