/**
 * The matrix agrees with the real authorizer: every lambda-guard cell of three fixed configurations
 * and of the first generated ones (testing/access-configs.ts, the seed the Cedar twin's equality test
 * uses, so twin, matrix and handler agree wherever the handler decides) is
 * replayed with real credentials (RS256 tokens verified against a local JWKS server, Basic
 * sign-ins against cognito-local, grants read from dynalite) through `createHandler`, and the
 * handler's answer must be the cell's: Allow (200), a policy that denies the method (403), or
 * `Error("Unauthorized")` (401), with the same reason code. Every request goes through the model of
 * API Gateway (testing/api-gateway.ts) with the synthesized stack's identity sources and result
 * cache: each cell is asked twice, for two ids, and the second answer (from the cache when the first
 * was a policy) must be the cell's too.
 */
import { loadAuthorizerConfig } from "../../functions/authorizer/config";
import { clientPrincipal, userPrincipal } from "../../core/grant-item";
import { createHandler, type AuthorizerHandler } from "../../functions/authorizer/handler";
import { computeAccessMatrix } from "../../matrix/compute";
import { expandCell } from "../../matrix/cells";
import type { AccessMatrix, MatrixCaller, MatrixCell, MatrixRoute } from "../../matrix/model";
import type { ScopegateConfig } from "../../stacks/config/model";
import { startAuthorizerFixture, type AuthorizerFixture } from "../../testing/authorizer-fixture";
import { createApiGatewayModel, readLambdaAuthorizer, type ApiGatewayModel, type ModelAnswer } from "../../testing/api-gateway";
import { createSigningKey, signIdToken, signMachineAccessToken, signUserAccessToken } from "../../testing/keys";
import { synthStack } from "../../testing/synth";
import { generatedAccessConfigs } from "../../testing/access-configs";
import { emailConfig, exampleConfig, variedConfig } from "./configs";

const PASSWORD = "Matrix-Pass-1";
const STAGE = "arn:aws:execute-api:eu-west-1:123456789012:api123/v1";
const poolKey = createSigningKey("matrix-key-1");

/** The generated configurations replayed here: those of the first 40 that have a route on the lambda guard. */
const generated = generatedAccessConfigs(40).filter((config) => config.api.routes.some((route) => route.guard === "lambda"));
const configs: readonly ScopegateConfig[] = [exampleConfig(), variedConfig(), emailConfig(), ...generated];
const matrices: readonly AccessMatrix[] = configs.map((config) => computeAccessMatrix(config));

/** Ids the test assigns to what exists only after apply: app client ids, and subs for e-mail sign-in. */
const clientId = (name: string) => `${name.replace(/-/g, "")}Client1`;
const subOf = (username: string) => `sub-${username.replace(/[^A-Za-z0-9]/g, "-")}`;
const tokenUsername = (config: ScopegateConfig, username: string) => (config.userPool.signInWith === "email" ? subOf(username) : username);

let fixture: AuthorizerFixture;
const handlers = new Map<string, { handler: AuthorizerHandler; logs: string[]; model: ApiGatewayModel }>();

beforeAll(async () => {
  fixture = await startAuthorizerFixture({ cognito: true, keys: [poolKey], tables: configs.map((config) => `${config.name}-grants`) });

  // Users who may sign in with Basic: those of configurations with a legacy client.
  const basicUsers = new Set(
    configs.filter((c) => c.appClients.some((client) => client.kind === "legacy")).flatMap((c) => c.users.map((u) => u.username)),
  );
  await fixture.createUsers([...basicUsers].map((username) => [username, PASSWORD] as const));

  for (const config of configs) {
    const table = `${config.name}-grants`;
    // Seeded as the stack seeds the table: users by their token username, machine clients by app client id.
    await fixture.putGrants(
      config.authorizationTable.grants.map((grant) => [
        "user" in grant.principal
          ? userPrincipal(tokenUsername(config, grant.principal.user))
          : clientPrincipal(clientId(grant.principal.client)),
        grant.routes,
      ]),
      table,
    );
    const lambdaRoutes = config.api.routes.filter((route) => route.guard === "lambda");
    const hasLegacy = config.appClients.some((client) => client.kind === "legacy");
    // The environment the stack gives the authorizer (scopegate-stack.ts), with local endpoints.
    const env = fixture.env({
      APP_CLIENT_IDS: config.appClients
        .filter((client) => client.kind !== "legacy")
        .map((client) => clientId(client.name))
        .join(","),
      AUTHZ_TABLE_NAME: table,
      ROUTE_SCOPES: JSON.stringify(Object.fromEntries(lambdaRoutes.map((route) => [`${route.method} ${route.path}`, route.scopes]))),
      BASIC_AUTH_CLIENT_ID: hasLegacy ? fixture.basicClientId : undefined,
      BASIC_USERS: hasLegacy ? config.appClients.flatMap((client) => client.basicUsers).join(",") : undefined,
    });
    const logs: string[] = [];
    const handler = createHandler(loadAuthorizerConfig(env), {
      dynamoDb: fixture.dynamoDb,
      cognito: fixture.cognito!,
      log: (line) => logs.push(line),
    });
    const model = createApiGatewayModel({
      ...readLambdaAuthorizer(synthStack(config).tf),
      routes: lambdaRoutes.map((route) => `${route.method} ${route.path}`),
      invoke: handler,
      now: Date.now,
      stage: STAGE,
    });
    handlers.set(config.name, { handler, logs, model });
  }
}, 120_000);

afterAll(async () => {
  await fixture?.close();
});

const headers = new Map<string, string>();

/** The Authorization header a caller sends: one per caller, so that a second request can come from the cache. */
function authorization(config: ScopegateConfig, caller: MatrixCaller): string {
  const key = `${config.name} ${caller.id}`;
  if (!headers.has(key)) headers.set(key, newAuthorization(config, caller));
  return headers.get(key)!;
}

function newAuthorization(config: ScopegateConfig, caller: MatrixCaller): string {
  const basic = (username: string) => `Basic ${Buffer.from(`${username}:${PASSWORD}`, "utf8").toString("base64")}`;
  const client = config.appClients.find((c) => c.name === caller.client);
  switch (caller.kind) {
    case "browser-user":
      return `Bearer ${signUserAccessToken(poolKey, {
        issuer: fixture.jwks.issuer,
        clientId: clientId(client!.name),
        username: tokenUsername(config, caller.username!),
        scope: client!.scopes.join(" "),
        // With e-mail sign-in, Cognito's username claim is the user's sub.
        ...(config.userPool.signInWith === "email" ? { claims: { sub: subOf(caller.username!) } } : {}),
      })}`;
    case "id-token":
      return `Bearer ${signIdToken(poolKey, { issuer: fixture.jwks.issuer, clientId: clientId(client!.name), username: config.users[0]?.username ?? "someone" })}`;
    case "machine":
      return `Bearer ${signMachineAccessToken(poolKey, { issuer: fixture.jwks.issuer, clientId: clientId(client!.name), scope: client!.scopes.join(" ") })}`;
    case "basic-user":
      return basic(caller.username!);
    case "basic-disabled":
      return basic(config.users[0]?.username ?? "someone");
  }
}

/** A concrete request path for a resource path template. */
function requestPath(route: MatrixRoute, id: string): string {
  return route.path.replace(/\{[^}]+\+\}/g, `${id}/b`).replace(/\{[^}]+\}/g, id);
}

/** What API Gateway answers, through the model, in the matrix's terms. */
async function answer(
  config: ScopegateConfig,
  caller: MatrixCaller,
  route: MatrixRoute,
  id: string,
): Promise<{ status: number; reason: string; by: ModelAnswer["by"] }> {
  const { model, logs } = handlers.get(config.name)!;
  logs.length = 0;
  const reply: ModelAnswer = await model.send({
    method: route.method,
    path: requestPath(route, id),
    headers: [["Authorization", authorization(config, caller)]],
  });
  // A policy carries its reason; a 401 or 500 has only the function's log line.
  const reason = reply.reason ?? String((JSON.parse(logs[logs.length - 1] ?? "{}") as { reason?: unknown }).reason);
  return { status: reply.status, reason, by: reply.by };
}

// Every caller (not only one per profile) on every lambda route.
const rows = matrices.flatMap((matrix, index) =>
  matrix.callers.flatMap((caller) =>
    matrix.routes
      .filter((route) => route.guard === "lambda")
      .map((route) => {
        const cell = expandCell(matrix, caller.id, route.key)!;
        return {
          config: configs[index]!,
          matrix,
          caller,
          cell,
          title: `${matrix.stack}: ${caller.id} → ${route.key}`,
          expected: expectation(cell),
        };
      }),
  ),
);

function expectation(cell: MatrixCell): string {
  return cell.allowed ? "allowed" : `refused ${cell.httpStatus} ${cell.reason}`;
}

describe("the matrix agrees with the authorizer (createHandler, real tokens, dynalite, cognito-local)", () => {
  test("every configuration contributes allowed and refused lambda cells of each kind", () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    // The generated configurations add their own cells of each kind.
    const generatedRows = rows.filter((row) => generated.includes(row.config));
    expect(generatedRows.length).toBeGreaterThanOrEqual(200);
    expect(new Set(generatedRows.map((row) => row.cell.reason)).size).toBeGreaterThanOrEqual(5);
    const reasons = new Set(rows.map((row) => row.cell.reason));
    expect([...reasons].sort()).toEqual([
      "ALLOWED",
      "BASIC_DISABLED",
      "BASIC_USER_NOT_DESIGNATED",
      "GRANT_MISSING",
      "SCOPE_MISSING",
      "TOKEN_USE_NOT_ACCESS",
    ]);
  });

  test.each(rows)("$title is $expected", async ({ config, matrix, caller, cell }) => {
    const route = matrix.routes.find((r) => r.key === cell.route)!;
    const expected = { status: cell.httpStatus, reason: cell.reason };
    const first = await answer(config, caller, route, "x1");
    expect(first).toEqual({ ...expected, by: "function" });
    // AND for another id of the route, from the cache when the first answer was a policy
    expect(await answer(config, caller, route, "x2")).toEqual({ ...expected, by: cell.httpStatus === 401 ? "function" : "cache" });
  });
});
