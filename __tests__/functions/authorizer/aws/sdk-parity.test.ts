/**
 * The authorizer's AWS transport sends what the AWS SDK sends for the same call: both are captured
 * at one local server and compared (method, path, the headers that matter, the JSON body), and both
 * signatures are checked by an independent SigV4 implementation.
 */
import { createHash } from "node:crypto";
import { AdminInitiateAuthCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { createCognitoClient } from "../../../../functions/authorizer/aws/cognito";
import { createDynamoDbClient } from "../../../../functions/authorizer/aws/dynamodb";
import { startAwsJsonStub, type AwsJsonStub, type RawRequest } from "../../../../testing/aws-json-stub";
import { expectedSignature, parseAuthorization } from "../../../../testing/sigv4";

// The SDK warns once per test file that it will need Node 22 from 2027: true, but noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const REGION = "eu-west-1";
const CREDENTIALS = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: "session-token-1",
};
/** Headers only the SDK sends (its telemetry and retry bookkeeping): signed by it, absent from the transport's requests. */
const SDK_ONLY_HEADERS = new Set(["amz-sdk-invocation-id", "amz-sdk-request", "x-amz-user-agent", "user-agent"]);

let stub: AwsJsonStub;

beforeAll(async () => {
  stub = await startAwsJsonStub(() => ({ status: 200, body: {} }));
});

afterAll(async () => {
  await stub.close();
});

beforeEach(() => {
  stub.answerWith(() => ({ status: 200, body: {} }));
});

/** The last request the stub received. */
const lastRequest = (): RawRequest => stub.rawRequests.at(-1)!;

function compare(sdk: RawRequest, transport: RawRequest): void {
  const sdkAuthorization = parseAuthorization(sdk.headers.authorization);
  const transportAuthorization = parseAuthorization(transport.headers.authorization);
  // THEN the request line and the headers that route, authenticate and describe the call are the same
  expect(transport.method).toBe(sdk.method);
  expect(transport.path).toBe(sdk.path);
  for (const name of ["host", "content-type", "x-amz-target", "x-amz-security-token"]) {
    expect([name, transport.headers[name]]).toEqual([name, sdk.headers[name]]);
  }
  // AND the signature's scope, key id and signed headers match (but for the SDK's own telemetry headers)
  expect(transportAuthorization.accessKeyId).toBe(sdkAuthorization.accessKeyId);
  expect(transportAuthorization.region).toBe(sdkAuthorization.region);
  expect(transportAuthorization.service).toBe(sdkAuthorization.service);
  expect(transportAuthorization.signedHeaders).toEqual(sdkAuthorization.signedHeaders.filter((name) => !SDK_ONLY_HEADERS.has(name)));
  // AND the bodies are the same JSON (the key order may differ), with a matching payload hash
  expect(JSON.parse(transport.rawBody)).toEqual(JSON.parse(sdk.rawBody));
  expect(transport.headers["x-amz-content-sha256"]).toBe(createHash("sha256").update(transport.rawBody).digest("hex"));
  // AND both signatures verify with an independent SigV4 implementation
  expect(transportAuthorization.signature).toBe(expectedSignature(transport, CREDENTIALS.secretAccessKey));
  expect(sdkAuthorization.signature).toBe(expectedSignature(sdk, CREDENTIALS.secretAccessKey));
}

test("GIVEN the same GetItem WHEN sent by the SDK's DynamoDBClient and by the transport THEN the requests agree and both signatures verify", async () => {
  const input = {
    TableName: "scopegate-grants",
    Key: { principal: { S: "user#alice" } },
    ProjectionExpression: "#routes",
    ExpressionAttributeNames: { "#routes": "routes" },
    ConsistentRead: false,
  };
  const sdkClient = new DynamoDBClient({ endpoint: stub.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  const transport = createDynamoDbClient({ endpoint: stub.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  try {
    stub.answerWith(() => ({ status: 200, body: { Item: { routes: { L: [{ S: "GET /resource" }] } } } }));
    const fromSdk = await sdkClient.send(new GetItemCommand(input));
    const sdkRequest = lastRequest();
    const fromTransport = await transport.getItem(input);
    compare(sdkRequest, lastRequest());
    // AND both read the same answer
    expect(fromTransport.Item).toEqual(fromSdk.Item);
    expect(lastRequest().headers["x-amz-target"]).toBe("DynamoDB_20120810.GetItem");
  } finally {
    sdkClient.destroy();
    transport.destroy();
  }
});

test("GIVEN the same conditional UpdateItem (a failed sign-in counter) WHEN sent by the SDK and by the transport THEN the requests agree and both signatures verify", async () => {
  const input = {
    TableName: "scopegate-grants",
    Key: { principal: { S: "lockout#203.0.113.7#svc-reports" } },
    UpdateExpression: "ADD #attempts :one SET #windowStart = if_not_exists(#windowStart, :now)",
    ConditionExpression: "attribute_not_exists(#key) OR #attempts < :limit",
    ExpressionAttributeNames: { "#key": "principal", "#attempts": "attempts", "#windowStart": "windowStartMs" },
    ExpressionAttributeValues: { ":one": { N: "1" }, ":now": { N: "1800000000000" }, ":limit": { N: "3" } },
    ReturnValues: "ALL_NEW" as const,
  };
  const sdkClient = new DynamoDBClient({ endpoint: stub.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  const transport = createDynamoDbClient({ endpoint: stub.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  try {
    stub.answerWith(() => ({ status: 200, body: { Attributes: { attempts: { N: "1" }, windowStartMs: { N: "1800000000000" } } } }));
    const fromSdk = await sdkClient.send(new UpdateItemCommand(input));
    const sdkRequest = lastRequest();
    const fromTransport = await transport.updateItem(input);
    compare(sdkRequest, lastRequest());
    // AND both read the same answer
    expect(fromTransport.Attributes).toEqual(fromSdk.Attributes);
    expect(lastRequest().headers["x-amz-target"]).toBe("DynamoDB_20120810.UpdateItem");
  } finally {
    sdkClient.destroy();
    transport.destroy();
  }
});

test("GIVEN the same AdminInitiateAuth (with ContextData) WHEN sent by the SDK and by the transport THEN the requests agree and both signatures verify", async () => {
  const input = {
    UserPoolId: "eu-west-1_AbC123xyZ",
    ClientId: "basicclient1",
    AuthFlow: "ADMIN_USER_PASSWORD_AUTH" as const,
    AuthParameters: { USERNAME: "alice", PASSWORD: "correct horse:battery" },
    ContextData: {
      IpAddress: "203.0.113.7",
      ServerName: "api.example.com",
      ServerPath: "/v1/resource",
      HttpHeaders: [{ headerName: "user-agent", headerValue: "curl/8" }],
    },
  };
  const sdkClient = new CognitoIdentityProviderClient({
    endpoint: stub.endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
  const transport = createCognitoClient({ endpoint: stub.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  try {
    stub.answerWith(() => ({
      status: 200,
      body: { AuthenticationResult: { AccessToken: "a.b.c", ExpiresIn: 3600, TokenType: "Bearer" } },
    }));
    const fromSdk = await sdkClient.send(new AdminInitiateAuthCommand(input));
    const sdkRequest = lastRequest();
    const fromTransport = await transport.adminInitiateAuth(input);
    compare(sdkRequest, lastRequest());
    expect(fromTransport.AuthenticationResult).toEqual(fromSdk.AuthenticationResult);
    expect(lastRequest().headers["content-type"]).toBe("application/x-amz-json-1.1");
  } finally {
    sdkClient.destroy();
    transport.destroy();
  }
});

test("GIVEN the same error answer WHEN the SDK and the transport read it THEN both errors have the same name and HTTP status", async () => {
  stub.answerWith(() => ({
    status: 400,
    body: { __type: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", message: "Requested resource not found" },
  }));
  const input = { TableName: "missing", Key: { principal: { S: "user#alice" } } };
  const sdkClient = new DynamoDBClient({ endpoint: stub.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  const transport = createDynamoDbClient({ endpoint: stub.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  try {
    const sdkError = (await sdkClient.send(new GetItemCommand(input)).catch((error: unknown) => error)) as {
      name: string;
      $metadata: { httpStatusCode: number };
    };
    const transportError = (await transport.getItem(input).catch((error: unknown) => error)) as {
      name: string;
      $metadata: { httpStatusCode: number };
    };
    expect(transportError.name).toBe("ResourceNotFoundException");
    expect([transportError.name, transportError.$metadata.httpStatusCode]).toEqual([sdkError.name, sdkError.$metadata.httpStatusCode]);
  } finally {
    sdkClient.destroy();
    transport.destroy();
  }
});
