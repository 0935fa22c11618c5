import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { encodePackagedSettings, PACKAGED_SETTINGS_FILE } from "../../../contracts/packaged-settings";
import { buildAuthorizerBundle } from "../../../stacks/authorizer-bundle";
import {
  createBasicSignInPool,
  createCognitoClient,
  createUser,
  startCognitoLocal,
  type CognitoLocal,
} from "../../../testing/cognito-local";
import { createAuthorizationTable, createDynamoDbClient, putGrants, startDynalite, type Dynalite } from "../../../testing/dynalite";
import { DUMMY_CREDENTIALS } from "../../../testing/local-aws";
import { startJwksServer, type JwksServer } from "../../../testing/jwks-server";
import { createSigningKey, jwksOf, signUserAccessToken } from "../../../testing/keys";

// The bundle run in node against the local servers; the bundle as built is in bundle.test.ts.

const STAGE = "arn:aws:execute-api:eu-west-1:123456789012:api123/v1";
const TABLE = "bundle-grants";
const poolKey = createSigningKey("bundle-key-1");

// Runs the bundle in a fresh `node` with only the variables given (no credentials of this machine).
const RUNNER = `
const { handler } = require(process.argv[2]);
const events = JSON.parse(require("node:fs").readFileSync(process.argv[3], "utf8"));
(async () => {
  const results = [];
  for (const event of events) {
    try { results.push({ response: await handler(event) }); }
    catch (error) { results.push({ error: error.message, isPlainError: Object.getPrototypeOf(error) === Error.prototype }); }
  }
  process.stdout.write("RESULTS " + JSON.stringify(results) + "\\n");
})();
`;

interface RunResult {
  readonly results: ReadonlyArray<{
    response?: { principalId: string; context: Record<string, unknown> };
    error?: string;
    isPlainError?: boolean;
  }>;
  readonly stdout: string;
  readonly stderr: string;
}

let workDir: string;
let bundlePath: string;
let jwks: JwksServer;
let dynalite: Dynalite;
let cognitoLocal: CognitoLocal;
let dynamoDb: DynamoDBClient;
let cognito: CognitoIdentityProviderClient;
let env: Record<string, string>;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "scopegate-authorizer-bundle-test-"));
  bundlePath = buildAuthorizerBundle({ outdir: path.join(workDir, "a") });
  writeFileSync(path.join(workDir, "runner.js"), RUNNER);

  [dynalite, cognitoLocal] = await Promise.all([startDynalite(), startCognitoLocal()]);
  dynamoDb = createDynamoDbClient(dynalite.endpoint);
  cognito = createCognitoClient(cognitoLocal.endpoint);
  const pool = await createBasicSignInPool(cognito);
  await createUser(cognito, pool.userPoolId, "legacy", { permanentPassword: "Legacy-Pass1" });
  jwks = await startJwksServer({ jwks: jwksOf(poolKey), poolId: pool.userPoolId });
  await createAuthorizationTable(dynamoDb, TABLE);
  await putGrants(dynamoDb, TABLE, "user#alice", ["GET /resource"]);
  await putGrants(dynamoDb, TABLE, "user#legacy", ["GET /resource"]);

  env = {
    PATH: process.env.PATH ?? "",
    AWS_REGION: "local",
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoLocal.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    USER_POOL_ID: pool.userPoolId,
    TOKEN_ISSUER: jwks.issuer,
    APP_CLIENT_IDS: "webclient1",
    AUTHZ_TABLE_NAME: TABLE,
    BASIC_AUTH_CLIENT_ID: pool.clientId,
    BASIC_USERS: "legacy",
    ROUTE_SCOPES: JSON.stringify({ "GET /resource": ["api.example.com/read"] }),
  };
});

afterAll(async () => {
  dynamoDb?.destroy();
  cognito?.destroy();
  await Promise.all([jwks?.close(), dynalite?.close(), cognitoLocal?.close()]);
  rmSync(workDir, { recursive: true, force: true });
});

function runBundle(childEnv: Record<string, string>, events: readonly object[], bundle = bundlePath): Promise<RunResult> {
  const eventsFile = path.join(workDir, `events-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(eventsFile, JSON.stringify(events));
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: the servers answering the child live in this process.
    const child = spawn(process.execPath, [path.join(workDir, "runner.js"), bundle, eventsFile], { env: childEnv, cwd: workDir });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", () => {
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("RESULTS "));
      if (line === undefined) reject(new Error(`the bundle did not answer:\n${stdout}\n${stderr}`));
      else resolve({ results: JSON.parse(line.slice("RESULTS ".length)) as RunResult["results"], stdout, stderr });
    });
  });
}

const getResource = (authorization: string) => ({
  type: "REQUEST",
  methodArn: `${STAGE}/GET/resource`,
  resource: "/resource",
  httpMethod: "GET",
  headers: { Authorization: authorization },
  multiValueHeaders: { Authorization: [authorization] },
});

describe("the authorizer bundle", () => {
  test("GIVEN the environment of a deployment WHEN the bundle runs in node THEN it allows a good token and a good Basic user, and answers 401 to a bad token", async () => {
    const token = signUserAccessToken(poolKey, {
      issuer: jwks.issuer,
      clientId: "webclient1",
      username: "alice",
      scope: "api.example.com/read",
    });
    const basic = `Basic ${Buffer.from("legacy:Legacy-Pass1").toString("base64")}`;
    const { results, stdout } = await runBundle(env, [getResource(`Bearer ${token}`), getResource(basic), getResource(`Bearer ${token}x`)]);

    expect(results[0]!.response).toMatchObject({ principalId: "user#alice", context: { reason: "ALLOWED" } });
    expect(results[1]!.response).toMatchObject({ principalId: "user#legacy", context: { reason: "ALLOWED", authType: "basic" } });
    expect(results[2]).toEqual({ error: "Unauthorized", isPlainError: true });
    // AND its decision log lines are on stdout
    expect(stdout.match(/"message":"authorization decision"/g)).toHaveLength(3);
  });

  test("fails the cold start when ROUTE_SCOPES is not JSON, with a message naming the variable", async () => {
    const { results, stdout } = await runBundle({ ...env, ROUTE_SCOPES: "{GET /resource: read}" }, [getResource("Bearer x")]);
    expect(results[0]!.error).toMatch(/ROUTE_SCOPES: must be a JSON object .* \(not valid JSON\), got "\{GET \/resource: read\}"/);
    expect(stdout).toContain('"reason":"CONFIGURATION_INVALID"');
  });

  test("GIVEN the route table in the settings file next to the bundle (as the stack packages it) THEN it needs no ROUTE_SCOPES variable", async () => {
    const packaged = path.join(workDir, "packaged");
    mkdirSync(packaged);
    copyFileSync(bundlePath, path.join(packaged, "index.js"));
    writeFileSync(path.join(packaged, PACKAGED_SETTINGS_FILE), encodePackagedSettings({ ROUTE_SCOPES: env.ROUTE_SCOPES! }));
    const { ROUTE_SCOPES: _inPackage, ...withoutRoutes } = env;
    const token = signUserAccessToken(poolKey, {
      issuer: jwks.issuer,
      clientId: "webclient1",
      username: "alice",
      scope: "api.example.com/read",
    });
    const bundle = path.join(packaged, "index.js");
    const { results } = await runBundle(withoutRoutes, [getResource(`Bearer ${token}`)], bundle);
    expect(results[0]!.response).toMatchObject({ principalId: "user#alice", context: { reason: "ALLOWED" } });
    // AND a variable set in both places is a configuration error naming it
    const both = await runBundle(env, [getResource(`Bearer ${token}`)], bundle);
    expect(both.results[0]!.error).toMatch(/ROUTE_SCOPES: must be set in authorizer-settings\.json or in the environment, not both/);
  });
});
