import { decide, type Identity } from "../../../functions/authorizer/decide";
import { buildAuthorizerResponse, parseMethodArn, routeResourceArn } from "../../../functions/authorizer/policy";
import { evaluatePolicy } from "../../../testing/iam-policy";

const STAGE = "arn:aws:execute-api:eu-west-1:123456789012:api123/v1";
const alice: Identity = { principal: "user#alice", authType: "bearer", clientId: "web1", scopes: ["api.example.com/read", "x"] };

function respond(
  routeKeys: readonly string[],
  grants: readonly string[],
  called: { routeKey: string; path: string },
  identity: Identity = alice,
) {
  const routeScopes = new Map(routeKeys.map((key) => [key, [] as string[]]));
  const decision = decide({ identity, routeKey: called.routeKey, routeScopes, grants });
  const method = called.routeKey.split(" ")[0]!;
  return buildAuthorizerResponse({
    methodArn: `${STAGE}/${method}${called.path}`,
    routeKey: called.routeKey,
    identity,
    decision,
  });
}

describe("parseMethodArn", () => {
  test.each([
    [`${STAGE}/GET/resource/42`, { stagePrefix: STAGE, method: "GET", path: "/resource/42" }],
    [`${STAGE}/GET/`, { stagePrefix: STAGE, method: "GET", path: "/" }],
    [
      "arn:aws-cn:execute-api:cn-north-1:123456789012:api123/prod/POST/a",
      { stagePrefix: "arn:aws-cn:execute-api:cn-north-1:123456789012:api123/prod", method: "POST", path: "/a" },
    ],
  ])("splits %s", (arn, parts) => {
    expect(parseMethodArn(arn)).toEqual(parts);
  });

  test("GIVEN a request path holding line terminators and IAM wildcards THEN it still splits (the path is the client's)", () => {
    expect(parseMethodArn(`${STAGE}/GET/items/a\nb\u2028c*?`)).toEqual({ stagePrefix: STAGE, method: "GET", path: "/items/a\nb\u2028c*?" });
  });

  test.each([
    "",
    "not-an-arn",
    "arn:aws:lambda:eu-west-1:123456789012:function:f",
    `${STAGE}/get/resource`,
    `${STAGE}`,
    "arn:aws:execute-api:eu-west-1:123456789012:api*/v1/GET/x",
    "arn:aws:execute-api:eu-west-1:123456789012:api123/v?/GET/x",
    "arn:aws:execute-api:eu-west-1:*:api123/v1/GET/x",
  ])("fails when the ARN is %j", (arn) => {
    expect(() => parseMethodArn(arn)).toThrow("event.methodArn is not an execute-api method ARN");
  });
});

describe("routeResourceArn", () => {
  test.each([
    ["GET /", `${STAGE}/GET/`],
    ["GET /resource", `${STAGE}/GET/resource`],
    ["DELETE /resource/{id}", `${STAGE}/DELETE/resource/*`],
    ["GET /a/{x}/b/{proxy+}", `${STAGE}/GET/a/*/b/*`],
  ])("turns %s into %s", (routeKey, arn) => {
    expect(routeResourceArn(STAGE, routeKey)).toBe(arn);
  });
});

describe("buildAuthorizerResponse", () => {
  test("GIVEN an Allow THEN one statement allowing the called route's pattern only, a flat string context and the principal", () => {
    const response = respond(["GET /resource", "GET /resource/{id}", "POST /resource"], ["GET /resource", "GET /resource/{id}"], {
      routeKey: "GET /resource",
      path: "/resource",
    });
    expect(response).toEqual({
      principalId: "user#alice",
      policyDocument: {
        Version: "2012-10-17",
        Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${STAGE}/GET/resource`] }],
      },
      context: { principal: "user#alice", authType: "bearer", clientId: "web1", scopes: "api.example.com/read x", reason: "ALLOWED" },
    });
    for (const value of Object.values(response.context)) expect(typeof value).toBe("string");
  });

  test("GIVEN a Deny THEN an explicit Deny only, whatever else the principal may call", () => {
    const response = respond(["GET /resource", "POST /resource"], ["POST /resource"], { routeKey: "GET /resource", path: "/resource" });
    expect(response.policyDocument.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${STAGE}/*`] }]);
    expect(response.context.reason).toBe("GRANT_MISSING");
  });

  test("GIVEN a route the configuration does not know THEN an explicit Deny only, no Allow of the caller's other routes", () => {
    const response = respond(["GET /items/{id}"], ["GET /items/{id}"], { routeKey: "GET /items/{id}/secret", path: "/items/1/secret" });
    expect(response.policyDocument.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${STAGE}/*`] }]);
    expect(response.context.reason).toBe("ROUTE_NOT_CONFIGURED");
  });

  test("GIVEN an allowed /items/{id} THEN the Allow covers every id of that route, so a cached answer serves /items/2 as it served /items/1", () => {
    const routes = ["GET /items/{id}", "GET /items/{id}/secret"];
    const response = respond(routes, ["GET /items/{id}"], { routeKey: "GET /items/{id}", path: "/items/1" });
    expect(response.policyDocument.Statement).toEqual([
      { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${STAGE}/GET/items/*`] },
    ]);
    for (const path of ["/items/1", "/items/2", "/items/a%2Fb", "/items/*"]) {
      expect(evaluatePolicy(response.policyDocument, `${STAGE}/GET${path}`)).toBe("Allow");
    }
  });

  test("GIVEN a request path holding IAM wildcards THEN the Allow is still built from the configured template, never from the path", () => {
    const response = respond(["GET /items/{id}"], ["GET /items/{id}"], { routeKey: "GET /items/{id}", path: "/items/*" });
    expect(response.policyDocument.Statement).toEqual([
      { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${STAGE}/GET/items/*`] },
    ]);
    expect(response.context.reason).toBe("ALLOWED");
  });

  test("GIVEN a method ARN with a line terminator in the path THEN a policy, not an error", () => {
    const response = respond(["GET /items/{id}"], ["GET /items/{id}"], { routeKey: "GET /items/{id}", path: "/items/a\nb" });
    expect(response.policyDocument.Statement[0]).toMatchObject({ Effect: "Allow", Resource: [`${STAGE}/GET/items/*`] });
  });
});
