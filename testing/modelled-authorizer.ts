/**
 * The real authorizer (`createHandler`) behind the API Gateway model (`api-gateway.ts`): real RS256
 * tokens verified against a JWKS snapshot, grants read from dynalite, a frozen clock. One dynalite
 * and one table per test file; each scenario names its own principals.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { loadAuthorizerConfig } from "../functions/authorizer/config";
import { createHandler } from "../functions/authorizer/handler";
import { createApiGatewayModel, type ApiGatewayModel, type LambdaAuthorizerSettings } from "./api-gateway";
import { captureLog, type CapturedLog } from "./authorizer-harness";
import { createAuthorizationTable, createDynamoDbClient, createGrantsDynamoDb, putGrants, startDynalite, type Dynalite } from "./dynalite";
import { createSigningKey, jwksOf, signUserAccessToken } from "./keys";

const REGION = "eu-west-1";
const USER_POOL_ID = `${REGION}_Model1`;
/** The issuer of every token here. */
export const MODEL_ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`;
/** The app client of every token here. */
export const MODEL_CLIENT_ID = "web1";
const TABLE = "model-grants";
/** The frozen time of every scenario, milliseconds. */
export const MODEL_NOW_MS = Date.UTC(2026, 5, 1, 12);
const key = createSigningKey("model-key-1");

/** One scenario: the authorizer's routes and scopes, the API's routes, principals' grants. */
export interface Scenario {
  /** ROUTE_SCOPES: what the authorizer knows. */
  readonly routeScopes: Readonly<Record<string, readonly string[]>>;
  /** Every method of the API; defaults to the keys of `routeScopes`. */
  readonly apiRoutes?: readonly string[];
  /** Grants by username (the principal is `user#<username>`). */
  readonly grants: Readonly<Record<string, readonly string[]>>;
}

/** A scenario running: the model in front of a fresh handler. */
export interface RunningScenario {
  readonly model: ApiGatewayModel;
  readonly log: CapturedLog;
  /** Advances the frozen clock. */
  advance(ms: number): void;
}

/** The local services the scenarios share. */
export interface ModelledAuthorizerBench {
  /**
   * Starts a scenario behind the model.
   *
   * @param scenario - routes and grants
   * @param settings - identity sources and TTL (from a synthesized stack)
   * @param options - how `methodArn` carries the path
   */
  start(scenario: Scenario, settings: LambdaAuthorizerSettings, options?: { methodArnPath?: "raw" | "decoded" }): Promise<RunningScenario>;
  /** Rewrites a user's grants item (a revocation, as an operator would make it). */
  setGrants(username: string, routes: readonly string[]): Promise<void>;
  /** A user access token carrying `scopes`. */
  token(username: string, scopes: readonly string[]): string;
  close(): Promise<void>;
}

/** Starts dynalite and the grants table. */
export async function startModelledAuthorizerBench(): Promise<ModelledAuthorizerBench> {
  const dynalite: Dynalite = await startDynalite();
  const dynamoDb: DynamoDBClient = createDynamoDbClient(dynalite.endpoint);
  // The authorizer reads through its own transport, as in Lambda.
  const grantsDynamoDb = createGrantsDynamoDb(dynalite.endpoint);
  await createAuthorizationTable(dynamoDb, TABLE);
  const written = new Map<string, string>();
  return {
    async start(scenario, settings, options = {}) {
      for (const [username, routes] of Object.entries(scenario.grants)) {
        const principal = `user#${username}`;
        const item = JSON.stringify(routes);
        if (written.has(principal) && written.get(principal) !== item) throw new Error(`${principal} was written with other grants`);
        if (!written.has(principal)) await putGrants(dynamoDb, TABLE, principal, routes);
        written.set(principal, item);
      }
      let nowMs = MODEL_NOW_MS;
      const now = () => nowMs;
      const log = captureLog();
      const config = loadAuthorizerConfig({
        AWS_REGION: REGION,
        USER_POOL_ID,
        APP_CLIENT_IDS: MODEL_CLIENT_ID,
        AUTHZ_TABLE_NAME: TABLE,
        ROUTE_SCOPES: JSON.stringify(scenario.routeScopes),
        JWKS_SNAPSHOT: JSON.stringify(jwksOf(key)),
      });
      const handler = createHandler(config, { now, log: log.log, dynamoDb: grantsDynamoDb });
      const model = createApiGatewayModel({
        ...settings,
        routes: scenario.apiRoutes ?? Object.keys(scenario.routeScopes),
        invoke: handler,
        now,
        ...(options.methodArnPath === undefined ? {} : { methodArnPath: options.methodArnPath }),
      });
      return { model, log, advance: (ms) => void (nowMs += ms) };
    },
    async setGrants(username, routes) {
      await putGrants(dynamoDb, TABLE, `user#${username}`, routes);
      written.set(`user#${username}`, JSON.stringify(routes));
    },
    token: (username, scopes) =>
      signUserAccessToken(key, {
        issuer: MODEL_ISSUER,
        clientId: MODEL_CLIENT_ID,
        username,
        scope: scopes.join(" "),
        nowSeconds: Math.floor(MODEL_NOW_MS / 1000) - 60,
      }),
    async close() {
      dynamoDb.destroy();
      grantsDynamoDb.destroy();
      await dynalite.close();
    },
  };
}
