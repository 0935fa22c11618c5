import { startAwsJsonStub, type AwsJsonStub } from "../../testing/aws-json-stub";
import { startCognitoStandIn } from "../../testing/cognito-stand-in";
import { startCountingProxy } from "../../testing/counting-proxy";

/** An AWS JSON 1.1 call of `operation` to `endpoint`: its status and parsed body. */
async function call(endpoint: string, operation: string, input: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: await response.json() };
}

/** The stub behind the proxies: a pool as cognito-local describes it, an error for anything else. */
let emulator: AwsJsonStub;
beforeEach(async () => {
  emulator = await startAwsJsonStub(({ operation }) =>
    operation === "DescribeUserPool"
      ? { status: 200, body: { UserPool: { Id: "local_pool1", Arn: "arn:aws:cognito-idp:local:local:userpool/local_pool1" } } }
      : { status: 400, body: { __type: "ResourceNotFoundException", message: `no ${operation}` } },
  );
});
afterEach(async () => {
  await emulator.close();
});

describe("the counting proxy", () => {
  test("forwards every call as it came and counts it by operation, with its body", async () => {
    const proxy = await startCountingProxy(emulator.endpoint, () => 7);
    try {
      expect(await call(proxy.endpoint, "DescribeUserPool", { UserPoolId: "local_pool1" })).toEqual({
        status: 200,
        body: { UserPool: { Id: "local_pool1", Arn: "arn:aws:cognito-idp:local:local:userpool/local_pool1" } },
      });
      expect(await call(proxy.endpoint, "GetGroup", { GroupName: "g" })).toEqual({
        status: 400,
        body: { __type: "ResourceNotFoundException", message: "no GetGroup" },
      });
      expect(proxy.calls).toEqual([
        { operation: "DescribeUserPool", body: { UserPoolId: "local_pool1" }, atMs: 7 },
        { operation: "GetGroup", body: { GroupName: "g" }, atMs: 7 },
      ]);
      expect([proxy.count(), proxy.count("GetGroup")]).toEqual([2, 1]);
      expect(emulator.requests.map((request) => request.body)).toEqual([{ UserPoolId: "local_pool1" }, { GroupName: "g" }]);
    } finally {
      await proxy.close();
    }
  });
});

describe("the Cognito stand-in", () => {
  test("answers the two reads cognito-local lacks itself, mends the pool's ARN and forwards the rest", async () => {
    const standIn = await startCognitoStandIn(emulator.endpoint, "eu-west-1");
    try {
      const resourceServer = { UserPoolId: "local_pool1", Identifier: "api", Name: "API", Scopes: [] };
      standIn.addResourceServer(resourceServer);
      standIn.addDomain("example-auth", "local_pool1");

      expect(await call(standIn.endpoint, "DescribeResourceServer", { UserPoolId: "local_pool1", Identifier: "api" })).toEqual({
        status: 200,
        body: { ResourceServer: resourceServer },
      });
      expect((await call(standIn.endpoint, "DescribeResourceServer", { UserPoolId: "local_pool1", Identifier: "other" })).status).toBe(400);
      expect(await call(standIn.endpoint, "DescribeUserPoolDomain", { Domain: "example-auth" })).toMatchObject({
        status: 200,
        body: { DomainDescription: { UserPoolId: "local_pool1", Domain: "example-auth", Status: "ACTIVE" } },
      });
      expect(await call(standIn.endpoint, "DescribeUserPoolDomain", { Domain: "unknown" })).toEqual({
        status: 200,
        body: { DomainDescription: {} },
      });
      expect(await call(standIn.endpoint, "DescribeUserPool", { UserPoolId: "local_pool1" })).toEqual({
        status: 200,
        body: { UserPool: { Id: "local_pool1", Arn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/local_pool1" } },
      });
      expect(await call(standIn.endpoint, "GetGroup", { GroupName: "g" })).toEqual({
        status: 400,
        body: { __type: "ResourceNotFoundException", message: "no GetGroup" },
      });

      expect(emulator.requests.map((request) => request.operation)).toEqual(["DescribeUserPool", "GetGroup"]);
      expect(standIn.operations).toEqual([
        "DescribeResourceServer",
        "DescribeResourceServer",
        "DescribeUserPoolDomain",
        "DescribeUserPoolDomain",
        "DescribeUserPool",
        "GetGroup",
      ]);
    } finally {
      await standIn.close();
    }
  });
});
