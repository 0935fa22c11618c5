/**
 * DynamoDB `GetItem` and `UpdateItem` over the authorizer's AWS transport (`json-rpc.ts`), in the
 * DynamoDB JSON wire format: the input and output objects have the field names of the API reference
 * (and of the SDK's `GetItemCommandInput` / `GetItemCommandOutput`, `UpdateItemCommandInput` /
 * `UpdateItemCommandOutput`).
 *
 * @packageDocumentation
 */
import { createAwsJsonClient, type AwsJsonClientOptions, type AwsJsonService } from "./json-rpc";

/**
 * One attribute value in DynamoDB JSON: exactly one member is set.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
 */
export interface AttributeValue {
  readonly S?: string;
  readonly N?: string;
  /** Base64. */
  readonly B?: string;
  readonly SS?: readonly string[];
  readonly NS?: readonly string[];
  readonly BS?: readonly string[];
  readonly M?: Readonly<Record<string, AttributeValue>>;
  readonly L?: readonly AttributeValue[];
  readonly NULL?: boolean;
  readonly BOOL?: boolean;
}

/**
 * The `GetItem` request.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#API_GetItem_RequestSyntax
 */
export interface GetItemInput {
  readonly TableName: string;
  readonly Key: Readonly<Record<string, AttributeValue>>;
  /** @default false (eventually consistent) */
  readonly ConsistentRead?: boolean;
  /** @default every attribute */
  readonly ProjectionExpression?: string;
  /** @default none */
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
  /** @default NONE */
  readonly ReturnConsumedCapacity?: "INDEXES" | "TOTAL" | "NONE";
}

/**
 * The `GetItem` answer.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#API_GetItem_ResponseSyntax
 */
export interface GetItemOutput {
  /** The item; absent when there is none. */
  readonly Item?: Readonly<Record<string, AttributeValue>>;
  readonly ConsumedCapacity?: unknown;
}

/**
 * The `UpdateItem` request (the authorizer writes only its failed sign-in counters with it).
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#API_UpdateItem_RequestSyntax
 */
export interface UpdateItemInput {
  readonly TableName: string;
  readonly Key: Readonly<Record<string, AttributeValue>>;
  readonly UpdateExpression: string;
  /** @default none: the update applies whatever the item holds */
  readonly ConditionExpression?: string;
  /** @default none */
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
  /** @default none */
  readonly ExpressionAttributeValues?: Readonly<Record<string, AttributeValue>>;
  /** @default NONE */
  readonly ReturnValues?: "NONE" | "ALL_OLD" | "UPDATED_OLD" | "ALL_NEW" | "UPDATED_NEW";
}

/**
 * The `UpdateItem` answer.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#API_UpdateItem_ResponseSyntax
 */
export interface UpdateItemOutput {
  /** The attributes `ReturnValues` asked for; absent with `NONE`. */
  readonly Attributes?: Readonly<Record<string, AttributeValue>>;
  readonly ConsumedCapacity?: unknown;
}

/** The DynamoDB operations the authorizer calls. */
export interface DynamoDbApi {
  /**
   * Reads one item.
   *
   * @param input - the request
   * @returns the answer
   * @throws an `AwsServiceError` named by the DynamoDB error type, a `TimeoutError` or a network error
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
   */
  getItem(input: GetItemInput): Promise<GetItemOutput>;
  /**
   * Creates or changes one item; with a `ConditionExpression` that does not hold, nothing is written.
   *
   * @param input - the request
   * @returns the answer
   * @throws an `AwsServiceError` named by the DynamoDB error type (`ConditionalCheckFailedException`
   * when the condition does not hold), a `TimeoutError` or a network error
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
   */
  updateItem(input: UpdateItemInput): Promise<UpdateItemOutput>;
  /** Closes the kept-alive connections. */
  destroy(): void;
}

/**
 * DynamoDB's AWS JSON 1.0 protocol and the SDK client's retry defaults (4 attempts, 25 ms base).
 *
 * @see https://docs.aws.amazon.com/general/latest/gr/ddb.html
 */
export const DYNAMODB_SERVICE: AwsJsonService = {
  endpointPrefix: "dynamodb",
  signingName: "dynamodb",
  targetPrefix: "DynamoDB_20120810",
  jsonVersion: "1.0",
  endpointVariable: "AWS_ENDPOINT_URL_DYNAMODB",
  defaultMaxAttempts: 4,
  retryDelayBaseMs: 25,
};

/**
 * Creates a DynamoDB client. Once per container.
 *
 * @param options - region, endpoint, credentials, timeouts, retries (see {@link AwsJsonClientOptions})
 * @returns the client
 */
export function createDynamoDbClient(options: AwsJsonClientOptions): DynamoDbApi {
  const client = createAwsJsonClient(DYNAMODB_SERVICE, options);
  return {
    getItem: (input) => client.call<GetItemOutput>("GetItem", input),
    updateItem: (input) => client.call<UpdateItemOutput>("UpdateItem", input),
    destroy: () => client.destroy(),
  };
}
