/**
 * dynalite (an in-memory DynamoDB) in the test process on 127.0.0.1 and a random port, plus helpers
 * for the authorization table.
 */
import { CreateTableCommand, DynamoDBClient, PutItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import type { Server } from "node:http";
import { createDynamoDbClient as createAuthorizerDynamoDbClient, type DynamoDbApi } from "../functions/authorizer/aws/dynamodb";
import { serveOnLoopback } from "./network";
import { authorizerClientOptions, sdkClientConfig, type LocalClientOptions } from "./local-aws";

// dynalite ships no types.
const dynalite = require("dynalite") as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

/** A running dynalite. */
export interface Dynalite {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Stops the server (clients must be destroyed first or their sockets are dropped). */
  close(): Promise<void>;
}

/** Starts dynalite in memory. */
export async function startDynalite(): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return serveOnLoopback(server);
}

/** A DynamoDB client (the SDK's) for `endpoint`, for setting up tables and items. */
export function createDynamoDbClient(endpoint: string, options: LocalClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient(sdkClientConfig(endpoint, options));
}

/**
 * The authorizer's own DynamoDB client (`functions/authorizer/aws/dynamodb.ts`) for `endpoint`. Use
 * {@link createDynamoDbClient} (the SDK) to set up tables and items.
 */
export function createGrantsDynamoDb(endpoint: string, options: LocalClientOptions = {}): DynamoDbApi {
  return createAuthorizerDynamoDbClient(authorizerClientOptions(endpoint, options));
}

/** Creates the authorization table (partition key `principal`, S; on demand). */
export async function createAuthorizationTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: "principal", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "principal", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

/** Writes one grants item (see {@link grantsItem}). */
export async function putGrants(
  client: DynamoDBClient,
  tableName: string,
  principal: string,
  routes: readonly string[] | AttributeValue | undefined,
): Promise<void> {
  await client.send(new PutItemCommand({ TableName: tableName, Item: grantsItem(principal, routes) }));
}

/**
 * A grants item. `routes` as strings becomes a list of S; an AttributeValue is stored as is (for
 * malformed items); `undefined` gives an item without `routes`.
 */
export function grantsItem(principal: string, routes: readonly string[] | AttributeValue | undefined): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = { principal: { S: principal } };
  if (Array.isArray(routes)) item.routes = { L: routes.map((route) => ({ S: route })) };
  else if (routes !== undefined) item.routes = routes as AttributeValue;
  return item;
}
