/**
 * The authorizer's real dependencies for benchmarks, all on 127.0.0.1: the JWKS server (counts
 * fetches), dynalite behind a counting proxy, and optionally cognito-local behind another; plus the
 * authorizer environment that points at them, and request events.
 */
import { BatchWriteItemCommand, type WriteRequest } from "@aws-sdk/client-dynamodb";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoApi } from "../functions/authorizer/aws/cognito";
import type { DynamoDbApi } from "../functions/authorizer/aws/dynamodb";
import type { ApiGatewayRequestAuthorizerEvent } from "../functions/authorizer/handler";
import {
  createBasicSignInPool,
  createCognitoClient,
  createSignInCognito,
  createUser,
  startCognitoLocal,
  type CognitoLocal,
} from "./cognito-local";
import { createAuthorizationTable, createDynamoDbClient, createGrantsDynamoDb, startDynalite, type Dynalite } from "./dynalite";
import { startJwksServer, type JwksServer } from "./jwks-server";
import { createSigningKey, jwksOf, type TestSigningKey } from "./keys";
import { startCountingProxy, type CountingProxy } from "./counting-proxy";

/** The read scope (GET routes). */
export const READ_SCOPE = "api.example.com/read";
/** The write scope (POST). */
export const WRITE_SCOPE = "api.example.com/write";
/** The routes every benchmark's authorizer guards (those of the handler tests). */
export const ROUTE_SCOPES = {
  "GET /resource": [READ_SCOPE],
  "POST /resource": [WRITE_SCOPE],
  "GET /resource/{id}": [READ_SCOPE],
  "DELETE /resource/{id}": ["api.example.com/admin"],
} as const;
/** The browser app client whose user tokens are accepted. */
export const WEB_CLIENT_ID = "webclient1";
/** The grants table. */
export const TABLE_NAME = "scopegate-bench-grants";
/** The stage of every method ARN. */
export const STAGE_ARN = "arn:aws:execute-api:eu-west-1:123456789012:api123/v1";

/** The running dependencies. */
export interface AuthorizerFixture {
  /** The pool's signing key (its public half is served by {@link AuthorizerFixture.jwks}). */
  readonly key: TestSigningKey;
  /** The JWKS server: `issuer`, `fetchCount`. */
  readonly jwks: JwksServer;
  /** Counts DynamoDB calls at the server side of the client. */
  readonly dynamoDbProxy: CountingProxy;
  /** The authorizer's DynamoDB client (`functions/authorizer/aws/`) through the proxy, 3 attempts. */
  readonly dynamoDb: DynamoDbApi;
  /** Counts Cognito calls (when started with `cognito`). */
  readonly cognitoProxy: CountingProxy | undefined;
  /** The authorizer's Cognito client through the proxy, 3 attempts (when started with `cognito`). */
  readonly cognito: CognitoApi | undefined;
  /** The Basic sign-in client id in cognito-local (when started with `cognito`). */
  readonly basicClientId: string | undefined;
  /** The user pool id (cognito-local's when started with `cognito`). */
  readonly userPoolId: string;
  /** The endpoint of dynalite itself (not the proxy). */
  readonly dynaliteEndpoint: string;
  /** Writes grants items: `principal` → routes. */
  putGrants(grants: ReadonlyArray<readonly [string, readonly string[]]>): Promise<void>;
  /** Creates Basic users in cognito-local (only when started with `cognito`); {@link env} designates them. */
  createBasicUsers(users: ReadonlyArray<readonly [string, string]>): Promise<void>;
  /** The authorizer environment (see README "Environment"), without JWKS_SNAPSHOT. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Stops everything started. */
  close(): Promise<void>;
}

/** Options of {@link startAuthorizerFixture}. */
export interface AuthorizerFixtureOptions {
  /** Start cognito-local for Basic sign-in. */
  readonly cognito: boolean;
  /**
   * Stamps the calls the proxies count.
   *
   * @default Date.now
   */
  readonly clock?: () => number;
}

/** Starts the dependencies and creates the grants table (and, with `cognito`, a pool and client). */
export async function startAuthorizerFixture(options: AuthorizerFixtureOptions): Promise<AuthorizerFixture> {
  const key = createSigningKey("bench-key-1");
  const started: Array<{ close(): Promise<void> }> = [];
  const clients: Array<{ destroy(): void }> = [];
  const close = async () => {
    for (const client of clients) client.destroy();
    await Promise.all(started.map((service) => service.close()));
  };
  try {
    const dynalite: Dynalite = await startDynalite();
    started.push(dynalite);
    const dynamoDbProxy = await startCountingProxy(dynalite.endpoint, options.clock);
    started.push(dynamoDbProxy);
    const dynamoDbAdmin = createDynamoDbClient(dynamoDbProxy.endpoint, { maxAttempts: 3 });
    const dynamoDb = createGrantsDynamoDb(dynamoDbProxy.endpoint, { maxAttempts: 3 });
    clients.push(dynamoDbAdmin, dynamoDb);
    await createAuthorizationTable(dynamoDbAdmin, TABLE_NAME);

    let cognitoProxy: CountingProxy | undefined;
    let cognitoAdmin: CognitoIdentityProviderClient | undefined;
    let cognito: CognitoApi | undefined;
    let basicClientId: string | undefined;
    const basicUsernames: string[] = [];
    let userPoolId = "eu-west-1_BenchPool1";
    if (options.cognito) {
      const cognitoLocal: CognitoLocal = await startCognitoLocal({ startTimeoutMs: 30_000 });
      started.push(cognitoLocal);
      cognitoProxy = await startCountingProxy(cognitoLocal.endpoint, options.clock);
      started.push(cognitoProxy);
      cognitoAdmin = createCognitoClient(cognitoProxy.endpoint, { maxAttempts: 3 });
      cognito = createSignInCognito(cognitoProxy.endpoint, { maxAttempts: 3 });
      clients.push(cognitoAdmin, cognito);
      const pool = await createBasicSignInPool(cognitoAdmin);
      userPoolId = pool.userPoolId;
      basicClientId = pool.clientId;
    }
    const jwks = await startJwksServer({ jwks: jwksOf(key), poolId: userPoolId });
    started.push(jwks);
    dynamoDbProxy.reset();
    cognitoProxy?.reset();

    return {
      key,
      jwks,
      dynamoDbProxy,
      dynamoDb,
      cognitoProxy,
      cognito,
      basicClientId,
      userPoolId,
      dynaliteEndpoint: dynalite.endpoint,
      async putGrants(grants) {
        for (let index = 0; index < grants.length; index += 25) {
          let requests: WriteRequest[] = grants.slice(index, index + 25).map(([principal, routes]) => ({
            PutRequest: { Item: { principal: { S: principal }, routes: { L: routes.map((route) => ({ S: route })) } } },
          }));
          for (let attempt = 0; requests.length > 0 && attempt < 10; attempt += 1) {
            const output = await dynamoDbAdmin.send(new BatchWriteItemCommand({ RequestItems: { [TABLE_NAME]: requests } }));
            requests = output.UnprocessedItems?.[TABLE_NAME] ?? [];
          }
        }
        dynamoDbProxy.reset();
      },
      async createBasicUsers(users) {
        if (cognitoAdmin === undefined) throw new Error("createBasicUsers needs the fixture started with cognito");
        for (const [username, password] of users) {
          await createUser(cognitoAdmin, userPoolId, username, { permanentPassword: password });
          basicUsernames.push(username);
        }
        cognitoProxy?.reset();
      },
      env(extra = {}) {
        return {
          AWS_REGION: userPoolId.slice(0, userPoolId.indexOf("_")),
          USER_POOL_ID: userPoolId,
          TOKEN_ISSUER: jwks.issuer,
          APP_CLIENT_IDS: WEB_CLIENT_ID,
          AUTHZ_TABLE_NAME: TABLE_NAME,
          ROUTE_SCOPES: JSON.stringify(ROUTE_SCOPES),
          ...(basicClientId === undefined ? {} : { BASIC_AUTH_CLIENT_ID: basicClientId, BASIC_USERS: basicUsernames.join(",") }),
          ...extra,
        };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A REQUEST authorizer event for `METHOD resource` called on `path` with one Authorization header. */
export function requestEvent(method: string, resource: string, path: string, authorization: string): ApiGatewayRequestAuthorizerEvent {
  return {
    type: "REQUEST",
    methodArn: `${STAGE_ARN}/${method}${path}`,
    resource,
    httpMethod: method,
    headers: { Host: "api.example.com", Authorization: authorization },
    multiValueHeaders: { Host: ["api.example.com"], Authorization: [authorization] },
  };
}

/** `Bearer <token>`. */
export const bearer = (token: string): string => `Bearer ${token}`;

/** `Basic base64(user:password)`. */
export const basic = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
