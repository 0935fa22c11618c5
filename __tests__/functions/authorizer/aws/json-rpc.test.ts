import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DYNAMODB_SERVICE, createDynamoDbClient } from "../../../../functions/authorizer/aws/dynamodb";
import { COGNITO_SERVICE } from "../../../../functions/authorizer/aws/cognito";
import { AwsServiceError, awsErrorType } from "../../../../functions/authorizer/aws/errors";
import { createAwsJsonClient, credentialsFromEnvironment, resolveEndpoint } from "../../../../functions/authorizer/aws/json-rpc";
import { RETRY_BUDGET_TOKENS, RETRY_COST_TOKENS } from "../../../../functions/authorizer/aws/retry";
import { startAwsJsonStub, type AwsJsonStub, type StubAnswer } from "../../../../testing/aws-json-stub";
import { closedEndpoint } from "../../../../testing/network";
import { parseAuthorization } from "../../../../testing/sigv4";

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
const INPUT = { TableName: "t", Key: { principal: { S: "user#alice" } } };
const ok: StubAnswer = { status: 200, body: { Item: { routes: { L: [] } } } };
const error = (status: number, type: string, headers?: Record<string, string>): StubAnswer => ({
  status,
  body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: "scripted" },
  ...(headers === undefined ? {} : { headers }),
});

let stub: AwsJsonStub;
beforeEach(async () => {
  stub = await startAwsJsonStub(() => ok);
});
afterEach(async () => {
  await stub.close();
});

/** A client of the stub whose waits are recorded instead of slept. */
function client(options: { maxAttempts?: number; now?: () => number; random?: () => number } = {}) {
  const waitsMs: number[] = [];
  const dynamoDb = createAwsJsonClient(DYNAMODB_SERVICE, {
    endpoint: stub.endpoint,
    region: "eu-west-1",
    credentials: CREDENTIALS,
    sleep: async (ms) => void waitsMs.push(ms),
    random: options.random ?? (() => 0.5),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return { dynamoDb, waitsMs };
}

/** Answers with `answers` in order, then with the last one. */
function script(...answers: StubAnswer[]) {
  let index = 0;
  stub.answerWith(() => answers[Math.min(index++, answers.length - 1)]!);
}

describe("retries (the SDK's standard strategy)", () => {
  test.each([
    ["500", error(500, "InternalServerError")],
    ["503", error(503, "ServiceUnavailable")],
    ["throttling (ProvisionedThroughputExceededException)", error(400, "ProvisionedThroughputExceededException")],
    ["429", error(429, "SomethingNew")],
  ])("GIVEN %s twice THEN the call is retried and succeeds on the third attempt", async (_title, failure) => {
    script(failure, failure, ok);
    const { dynamoDb, waitsMs } = client();
    try {
      await expect(dynamoDb.call("GetItem", INPUT)).resolves.toEqual(ok.body);
      expect(stub.requests).toHaveLength(3);
      expect(waitsMs).toHaveLength(2);
    } finally {
      dynamoDb.destroy();
    }
  });

  test("GIVEN DynamoDB's defaults WHEN every attempt fails with a 500 THEN 4 attempts are made, with full-jitter waits from a 25 ms base", async () => {
    script(error(500, "InternalServerError"));
    const { dynamoDb, waitsMs } = client({ random: () => 0.999 });
    try {
      const failure = await dynamoDb.call("GetItem", INPUT).catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(AwsServiceError);
      expect(failure).toMatchObject({ name: "InternalServerError", $metadata: { httpStatusCode: 500, attempts: 4 } });
      expect(stub.requests).toHaveLength(4);
      // random() × 25 ms × 2^retry, floored
      expect(waitsMs).toEqual([24, 49, 99]);
    } finally {
      dynamoDb.destroy();
    }
  });

  test("GIVEN throttling THEN the waits start from the 1 s throttling base", async () => {
    script(error(400, "ThrottlingException"));
    const { dynamoDb, waitsMs } = client({ maxAttempts: 3, random: () => 0.5 });
    try {
      await expect(dynamoDb.call("GetItem", INPUT)).rejects.toMatchObject({ name: "ThrottlingException" });
      expect(waitsMs).toEqual([500, 1000]);
    } finally {
      dynamoDb.destroy();
    }
  });

  test.each([
    ["ResourceNotFoundException", error(400, "ResourceNotFoundException")],
    ["ValidationException", error(400, "ValidationException")],
    ["AccessDeniedException without a clock skew", error(400, "AccessDeniedException")],
  ])("fails at once (no retry) on %s", async (_title, failure) => {
    script(failure);
    const { dynamoDb, waitsMs } = client();
    try {
      await expect(dynamoDb.call("GetItem", INPUT)).rejects.toMatchObject({ $metadata: { attempts: 1 } });
      expect(stub.requests).toHaveLength(1);
      expect(waitsMs).toEqual([]);
    } finally {
      dynamoDb.destroy();
    }
  });

  test("GIVEN a dependency that always fails THEN retries stop when the retry budget is spent, and successes refill it", async () => {
    script(error(500, "InternalServerError"));
    const { dynamoDb } = client({ maxAttempts: 2 });
    const affordableRetries = Math.floor(RETRY_BUDGET_TOKENS / RETRY_COST_TOKENS);
    try {
      for (let call = 0; call < affordableRetries + 10; call++) await dynamoDb.call("GetItem", INPUT).catch(() => undefined);
      // every call made one attempt, and only the first `affordableRetries` could retry
      expect(stub.requests).toHaveLength(affordableRetries + 10 + affordableRetries);
      script(ok);
      const before = stub.requests.length;
      for (let call = 0; call < RETRY_COST_TOKENS; call++) await dynamoDb.call("GetItem", INPUT);
      script(error(500, "InternalServerError"));
      await dynamoDb.call("GetItem", INPUT).catch(() => undefined);
      // AND after enough successes one retry is affordable again
      expect(stub.requests.length - before).toBe(RETRY_COST_TOKENS + 2);
    } finally {
      dynamoDb.destroy();
    }
  });

  test("GIVEN a refused connection THEN it is retried, and the error keeps its network code", async () => {
    const waitsMs: number[] = [];
    const dynamoDb = createAwsJsonClient(DYNAMODB_SERVICE, {
      endpoint: await closedEndpoint(),
      region: "eu-west-1",
      credentials: CREDENTIALS,
      sleep: async (ms) => void waitsMs.push(ms),
    });
    try {
      await expect(dynamoDb.call("GetItem", INPUT)).rejects.toMatchObject({ code: "ECONNREFUSED" });
      // 4 attempts: 3 waits between them
      expect(waitsMs).toHaveLength(3);
    } finally {
      dynamoDb.destroy();
    }
  });
});

describe("clock-skew correction", () => {
  test("GIVEN a local clock 1 hour slow WHEN the service refuses the signature with its Date THEN the request is signed again with the service's time and succeeds", async () => {
    const localMs = Date.UTC(2030, 0, 1, 12, 0, 0);
    const serverMs = localMs + 3_600_000;
    const serverDate = new Date(serverMs).toUTCString();
    script(error(400, "InvalidSignatureException", { date: serverDate }), { ...ok, headers: { date: serverDate } });
    const { dynamoDb } = client({ now: () => localMs });
    try {
      await expect(dynamoDb.call("GetItem", INPUT)).resolves.toEqual(ok.body);
      const dates = stub.rawRequests.map((request) => request.headers["x-amz-date"]);
      expect(dates).toEqual(["20300101T120000Z", "20300101T130000Z"]);
      expect(dynamoDb.clockOffsetMs).toBe(3_600_000);
    } finally {
      dynamoDb.destroy();
    }
  });

  test("GIVEN a Date within 4 minutes of the local clock THEN a signature error is not retried", async () => {
    const localMs = Date.UTC(2030, 0, 1, 12, 0, 0);
    script(error(400, "InvalidSignatureException", { date: new Date(localMs + 60_000).toUTCString() }));
    const { dynamoDb } = client({ now: () => localMs });
    try {
      await expect(dynamoDb.call("GetItem", INPUT)).rejects.toMatchObject({ name: "InvalidSignatureException" });
      expect(stub.requests).toHaveLength(1);
    } finally {
      dynamoDb.destroy();
    }
  });
});

describe("credentials, endpoint, connections, timeouts", () => {
  test("GIVEN Lambda's credential variables THEN the request is signed with the key id and carries the session token", async () => {
    const dynamoDb = createDynamoDbClient({
      region: "eu-west-1",
      maxAttempts: 1,
      env: {
        AWS_ENDPOINT_URL_DYNAMODB: stub.endpoint,
        AWS_ACCESS_KEY_ID: "ASIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "secret",
        AWS_SESSION_TOKEN: "lambda-session",
      },
    });
    try {
      await dynamoDb.getItem(INPUT);
      const [request] = stub.rawRequests;
      expect(request!.headers["x-amz-security-token"]).toBe("lambda-session");
      const authorization = parseAuthorization(request!.headers.authorization);
      expect(authorization).toMatchObject({ accessKeyId: "ASIAEXAMPLE", region: "eu-west-1", service: "dynamodb" });
      expect(authorization.signedHeaders).toContain("x-amz-security-token");
    } finally {
      dynamoDb.destroy();
    }
  });

  test("fails when the environment has no credentials: CredentialsProviderError, and nothing is sent", async () => {
    expect(() => credentialsFromEnvironment({ AWS_ACCESS_KEY_ID: "ASIAEXAMPLE" })).toThrow(
      "no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set",
    );
    const dynamoDb = createDynamoDbClient({ region: "eu-west-1", env: { AWS_ENDPOINT_URL_DYNAMODB: stub.endpoint } });
    try {
      await expect(dynamoDb.getItem(INPUT)).rejects.toMatchObject({ name: "CredentialsProviderError" });
      expect(stub.requests).toHaveLength(0);
    } finally {
      dynamoDb.destroy();
    }
  });

  test("GIVEN no override THEN the endpoint is the regional HTTPS one; an override variable or option wins", () => {
    expect(resolveEndpoint(DYNAMODB_SERVICE, "eu-west-1", {}).href).toBe("https://dynamodb.eu-west-1.amazonaws.com/");
    expect(resolveEndpoint(COGNITO_SERVICE, "us-east-2", {}).href).toBe("https://cognito-idp.us-east-2.amazonaws.com/");
    expect(
      resolveEndpoint(COGNITO_SERVICE, "us-east-2", { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: "http://127.0.0.1:9229" }).href,
    ).toBe("http://127.0.0.1:9229/");
    expect(
      resolveEndpoint(DYNAMODB_SERVICE, "eu-west-1", { AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:1" }, "http://127.0.0.1:2").port,
    ).toBe("2");
  });

  test("fails when the override is not an http(s) URL, naming the variable and the value", () => {
    expect(() => resolveEndpoint(DYNAMODB_SERVICE, "eu-west-1", { AWS_ENDPOINT_URL_DYNAMODB: "localhost:8000" })).toThrow(
      'AWS_ENDPOINT_URL_DYNAMODB: must give an http(s) URL such as https://dynamodb.eu-west-1.amazonaws.com, got "localhost:8000"',
    );
  });

  test("GIVEN several calls in sequence THEN they share one kept-alive connection", async () => {
    const { dynamoDb } = client();
    try {
      for (let call = 0; call < 5; call++) await dynamoDb.call("GetItem", INPUT);
      expect(stub.requests).toHaveLength(5);
      expect(stub.connectionCount).toBe(1);
    } finally {
      dynamoDb.destroy();
    }
  });

  test("GIVEN the event loop blocked past the connect timeout while the connection was made THEN the call succeeds (no false TimeoutError)", async () => {
    const dynamoDb = createAwsJsonClient(DYNAMODB_SERVICE, {
      endpoint: stub.endpoint,
      region: "eu-west-1",
      credentials: CREDENTIALS,
      connectTimeoutMs: 20,
      maxAttempts: 1,
    });
    try {
      // Busy for 200 ms just after the request's socket starts connecting (the next tick after the request is created):
      // the connect timer expires before the event loop can see that the connection was made.
      const block = () =>
        process.nextTick(() => {
          const untilMs = Date.now() + 200;
          while (Date.now() < untilMs);
        });
      subscribe("http.client.request.start", block);
      const pending = dynamoDb.call("GetItem", INPUT).finally(() => unsubscribe("http.client.request.start", block));
      await expect(pending).resolves.toEqual(ok.body);
    } finally {
      dynamoDb.destroy();
    }
  });

  test("fails with a TimeoutError when the service accepts the request but does not answer within the request timeout", async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const dynamoDb = createAwsJsonClient(DYNAMODB_SERVICE, {
      endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      region: "eu-west-1",
      credentials: CREDENTIALS,
      requestTimeoutMs: 100,
      maxAttempts: 1,
    });
    try {
      await expect(dynamoDb.call("GetItem", INPUT)).rejects.toMatchObject({ name: "TimeoutError" });
    } finally {
      dynamoDb.destroy();
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe("awsErrorType", () => {
  test.each([
    [
      "the x-amzn-errortype header, without its URI",
      "ThrottlingException:http://internal.amazon.com/coral/",
      { __type: "Other" },
      "ThrottlingException",
    ],
    [
      "the body's __type, without its namespace",
      undefined,
      { __type: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" },
      "ResourceNotFoundException",
    ],
    ["the body's code", undefined, { code: "NotAuthorizedException" }, "NotAuthorizedException"],
    ["nothing: UnknownError with the status", undefined, "<html>", "UnknownError502"],
  ])("reads %s", (_title, header, body, expected) => {
    expect(awsErrorType(header, body, 502)).toBe(expected);
  });
});
