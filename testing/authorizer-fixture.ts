/**
 * The authorizer's real dependencies, all on 127.0.0.1, for tests and benchmarks: the JWKS server,
 * dynalite with the grants table, and optionally cognito-local with a Basic sign-in pool and client;
 * optionally a proxy (counting, or fault-injecting) between the authorizer's clients and each
 * emulator. Plus the authorizer environment that points at them.
 */
import { BatchWriteItemCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from "@aws-sdk/client-dynamodb";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoApi } from "../functions/authorizer/aws/cognito";
import type { DynamoDbApi } from "../functions/authorizer/aws/dynamodb";
import { loadAuthorizerConfig } from "../functions/authorizer/config";
import { createHandler, type AuthorizerHandler } from "../functions/authorizer/handler";
import { captureLog, type CapturedLog } from "./authorizer-harness";
import { createBasicSignInPool, createCognitoClient, createSignInCognito, createUser, startCognitoLocal } from "./cognito-local";
import { createAuthorizationTable, createDynamoDbClient, createGrantsDynamoDb, grantsItem, startDynalite } from "./dynalite";
import { startJwksServer, type JwksServer } from "./jwks-server";
import { createSigningKey, jwksOf, type TestSigningKey } from "./keys";
import type { LocalClientOptions } from "./local-aws";

/** The read scope (GET routes). */
export const READ_SCOPE = "api.example.com/read";
/** The write scope (POST). */
export const WRITE_SCOPE = "api.example.com/write";
/** The admin scope (DELETE). */
export const ADMIN_SCOPE = "api.example.com/admin";
/** The routes the authorizer guards unless a test says otherwise (`ROUTE_SCOPES`). */
export const ROUTE_SCOPES = {
  "GET /resource": [READ_SCOPE],
  "POST /resource": [WRITE_SCOPE],
  "GET /resource/{id}": [READ_SCOPE],
  "DELETE /resource/{id}": [ADMIN_SCOPE],
} as const;
/** The browser app client whose user tokens are accepted (`APP_CLIENT_IDS`). */
export const WEB_CLIENT_ID = "webclient1";
/** A machine app client (client credentials), for tests that add it to `APP_CLIENT_IDS`. */
export const MACHINE_CLIENT_ID = "machineclient1";
/** The grants table. */
export const TABLE_NAME = "scopegate-grants";

/** A proxy between the authorizer's clients and an emulator (testing/counting-proxy.ts, testing/fault-proxy.ts). */
export interface LocalProxy {
  /** `http://127.0.0.1:<port>`: what the authorizer's clients call. */
  readonly endpoint: string;
  /** Stops the proxy. */
  close(): Promise<void>;
}

/** A grants item: the principal, and its routes (strings; an AttributeValue for a malformed item; none). */
export type GrantsEntry = readonly [principal: string, routes: readonly string[] | AttributeValue | undefined];

/** A cold Lambda container: its own clients, caches, clock and log, over the fixture's servers. */
export interface AuthorizerContainer {
  /** The handler, from {@link AuthorizerFixture.env} with the container's overrides. */
  readonly handler: AuthorizerHandler;
  /** The handler's clock: set `ms` to move time. */
  readonly clock: { ms: number };
  /** The handler's log lines. */
  readonly captured: CapturedLog;
  /** The container's DynamoDB client (through the proxy when there is one). */
  readonly dynamoDb: DynamoDbApi;
  /** The container's Cognito client (with `cognito`). */
  readonly cognito: CognitoApi | undefined;
}

/** Options of {@link AuthorizerFixture.startContainer}. */
export interface AuthorizerContainerOptions {
  /** The time the clock starts at, in milliseconds since the epoch. */
  readonly nowMs: number;
  /** Environment overrides (see {@link AuthorizerFixture.env}). */
  readonly env?: Record<string, string | undefined>;
  /** The JWKS fetch timeout (the handler's default when undefined). */
  readonly jwksTimeoutMs?: number;
}

/** Options of {@link startAuthorizerFixture}. */
export interface AuthorizerFixtureOptions<P extends LocalProxy> {
  /**
   * Start cognito-local, with a user pool and an app client for Basic sign-in.
   *
   * @default false
   */
  readonly cognito?: boolean;
  /**
   * The pool's signing keys, published by the JWKS server; the first is {@link AuthorizerFixture.key}.
   *
   * @default one new key, `pool-key-1`
   */
  readonly keys?: readonly TestSigningKey[];
  /** Delay of the JWKS server's `slow` fault (see testing/jwks-server.ts). */
  readonly jwksSlowDelayMs?: number;
  /**
   * Starts a proxy in front of an emulator: the authorizer's clients then go through it (set-up
   * clients never do, so nothing of the set-up is counted).
   *
   * @default none: the clients call the emulators
   */
  readonly proxy?: (emulatorEndpoint: string) => Promise<P>;
  /**
   * Attempts per call of the authorizer's clients.
   *
   * @default 1 (keeps failure tests fast)
   */
  readonly maxAttempts?: number;
  /**
   * The grants tables to create.
   *
   * @default [TABLE_NAME]
   */
  readonly tables?: readonly string[];
}

/** The running dependencies. */
export interface AuthorizerFixture<P extends LocalProxy = never> {
  /** The pool's (first) signing key. */
  readonly key: TestSigningKey;
  /** The JWKS server: `issuer`, `fetchCount`, faults, key rotation. */
  readonly jwks: JwksServer;
  /** The user pool id: cognito-local's with `cognito`, else the JWKS server's. */
  readonly userPoolId: string;
  /** The Basic sign-in app client id (with `cognito`). */
  readonly basicClientId: string | undefined;
  /** dynalite itself (not the proxy). */
  readonly dynaliteEndpoint: string;
  /** cognito-local itself (with `cognito`). */
  readonly cognitoLocalEndpoint: string | undefined;
  /** The proxy in front of dynalite (with `proxy`). */
  readonly dynamoDbProxy: [P] extends [never] ? undefined : P;
  /** The proxy in front of cognito-local (with `proxy` and `cognito`). */
  readonly cognitoProxy: P | undefined;
  /** An SDK client of dynalite, for set-up and inspection. */
  readonly dynamoDbAdmin: DynamoDBClient;
  /** An SDK client of cognito-local (with `cognito`). */
  readonly cognitoAdmin: CognitoIdentityProviderClient | undefined;
  /** The authorizer's DynamoDB client, through the proxy when there is one. */
  readonly dynamoDb: DynamoDbApi;
  /** The authorizer's Cognito client, through the proxy when there is one (with `cognito`). */
  readonly cognito: CognitoApi | undefined;
  /** New authorizer clients (a cold container's), through the proxies; destroyed by {@link close} at the latest. */
  authorizerClients(): { readonly dynamoDb: DynamoDbApi; readonly cognito: CognitoApi | undefined };
  /** Starts a cold container; {@link stopContainers} destroys its clients. */
  startContainer(options: AuthorizerContainerOptions): AuthorizerContainer;
  /** Destroys the clients of every container started so far (call after each test: no connection outlives it). */
  stopContainers(): void;
  /** Writes grants items into `tableName` (default {@link TABLE_NAME}). */
  putGrants(grants: Iterable<GrantsEntry>, tableName?: string): Promise<void>;
  /** Creates confirmed users in cognito-local (with `cognito`): `[username, password]`. */
  createUsers(users: Iterable<readonly [string, string]>): Promise<void>;
  /**
   * The authorizer environment (docs/authorizer.md "Environment (the bundle's contract)"): this pool, issuer, {@link WEB_CLIENT_ID},
   * {@link TABLE_NAME}, {@link ROUTE_SCOPES} and, with `cognito`, the Basic client and every user
   * created as its `BASIC_USERS`; `extra` overrides (`undefined` leaves a variable out).
   */
  env(extra?: Record<string, string | undefined>): Record<string, string>;
  /** Destroys the clients and stops everything started. */
  close(): Promise<void>;
}

/** Starts the dependencies and creates the grants table (and, with `cognito`, a pool and client). */
export async function startAuthorizerFixture<P extends LocalProxy = never>(
  options: AuthorizerFixtureOptions<P> = {},
): Promise<AuthorizerFixture<P>> {
  const keys = options.keys ?? [createSigningKey("pool-key-1")];
  const clientOptions: LocalClientOptions = { maxAttempts: options.maxAttempts ?? 1 };
  const started: Array<{ close(): Promise<void> }> = [];
  const clients: Array<{ destroy(): void }> = [];
  const close = async () => {
    for (const client of clients.splice(0)) client.destroy();
    await Promise.all(started.splice(0).map((service) => service.close()));
  };
  const track = <T extends { destroy(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };
  try {
    const [dynalite, cognitoLocal] = await Promise.all([
      startDynalite(),
      options.cognito === true ? startCognitoLocal({ startTimeoutMs: 30_000 }) : undefined,
    ]);
    started.push(dynalite, ...(cognitoLocal === undefined ? [] : [cognitoLocal]));
    const [dynamoDbProxy, cognitoProxy] = await Promise.all([
      options.proxy?.(dynalite.endpoint),
      cognitoLocal === undefined ? undefined : options.proxy?.(cognitoLocal.endpoint),
    ]);
    for (const proxy of [dynamoDbProxy, cognitoProxy]) if (proxy !== undefined) started.push(proxy);

    const dynamoDbAdmin = track(createDynamoDbClient(dynalite.endpoint));
    const cognitoAdmin = cognitoLocal === undefined ? undefined : track(createCognitoClient(cognitoLocal.endpoint));
    for (const table of options.tables ?? [TABLE_NAME]) await createAuthorizationTable(dynamoDbAdmin, table);
    const pool = cognitoAdmin === undefined ? undefined : await createBasicSignInPool(cognitoAdmin);
    const jwks = await startJwksServer({
      jwks: jwksOf(...keys),
      ...(pool === undefined ? {} : { poolId: pool.userPoolId }),
      ...(options.jwksSlowDelayMs === undefined ? {} : { slowDelayMs: options.jwksSlowDelayMs }),
    });
    started.push(jwks);

    const authorizerClients = () => ({
      dynamoDb: track(createGrantsDynamoDb((dynamoDbProxy ?? dynalite).endpoint, clientOptions)),
      cognito: cognitoLocal === undefined ? undefined : track(createSignInCognito((cognitoProxy ?? cognitoLocal).endpoint, clientOptions)),
    });
    const { dynamoDb, cognito } = authorizerClients();
    const users: string[] = [];
    const containerClients: Array<{ destroy(): void }> = [];
    const env = (extra: Record<string, string | undefined> = {}): Record<string, string> => {
      const variables: Record<string, string | undefined> = {
        AWS_REGION: jwks.poolId.slice(0, jwks.poolId.indexOf("_")),
        USER_POOL_ID: jwks.poolId,
        TOKEN_ISSUER: jwks.issuer,
        APP_CLIENT_IDS: WEB_CLIENT_ID,
        AUTHZ_TABLE_NAME: TABLE_NAME,
        ROUTE_SCOPES: JSON.stringify(ROUTE_SCOPES),
        ...(pool === undefined ? {} : { BASIC_AUTH_CLIENT_ID: pool.clientId, BASIC_USERS: users.join(",") }),
        ...extra,
      };
      return Object.fromEntries(Object.entries(variables).filter((entry): entry is [string, string] => entry[1] !== undefined));
    };

    return {
      key: keys[0],
      jwks,
      userPoolId: jwks.poolId,
      basicClientId: pool?.clientId,
      dynaliteEndpoint: dynalite.endpoint,
      cognitoLocalEndpoint: cognitoLocal?.endpoint,
      dynamoDbProxy: dynamoDbProxy as [P] extends [never] ? undefined : P,
      cognitoProxy,
      dynamoDbAdmin,
      cognitoAdmin,
      dynamoDb,
      cognito,
      authorizerClients,
      async putGrants(grants, tableName = TABLE_NAME) {
        const requests: WriteRequest[] = [...grants].map(([principal, routes]) => ({
          PutRequest: { Item: grantsItem(principal, routes) },
        }));
        for (let index = 0; index < requests.length; index += 25) {
          let batch = requests.slice(index, index + 25);
          for (let attempt = 0; batch.length > 0; attempt += 1) {
            if (attempt === 10) throw new Error(`dynalite left ${batch.length} grants items unwritten after 10 attempts`);
            const output = await dynamoDbAdmin.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }));
            batch = output.UnprocessedItems?.[tableName] ?? [];
          }
        }
      },
      async createUsers(created) {
        if (cognitoAdmin === undefined || pool === undefined) throw new Error("createUsers needs the fixture started with cognito");
        for (const [username, password] of created) {
          await createUser(cognitoAdmin, pool.userPoolId, username, { permanentPassword: password });
          users.push(username);
        }
      },
      env,
      startContainer(containerOptions) {
        const clients = authorizerClients();
        containerClients.push(clients.dynamoDb, ...(clients.cognito === undefined ? [] : [clients.cognito]));
        const clock = { ms: containerOptions.nowMs };
        const captured = captureLog();
        const handler = createHandler(loadAuthorizerConfig(env(containerOptions.env)), {
          now: () => clock.ms,
          log: captured.log,
          dynamoDb: clients.dynamoDb,
          ...(clients.cognito === undefined ? {} : { cognito: clients.cognito }),
          ...(containerOptions.jwksTimeoutMs === undefined ? {} : { jwksTimeoutMs: containerOptions.jwksTimeoutMs }),
        });
        return { handler, clock, captured, ...clients };
      },
      stopContainers() {
        for (const client of containerClients.splice(0)) client.destroy();
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
