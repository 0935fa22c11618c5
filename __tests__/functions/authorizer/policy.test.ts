import { decide, type Identity } from "../../../functions/authorizer/decide";
import { buildAuthorizerResponse, parseMethodArn, routeResourceArn } from "../../../functions/authorizer/policy";
import { evaluatePolicy } from "../../support/iam-policy";

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
    configuredRouteKeys: routeKeys,
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

  test.each(["", "not-an-arn", "arn:aws:lambda:eu-west-1:123456789012:function:f", `${STAGE}/get/resource`, `${STAGE}`])(
    "fails when the ARN is %j",
    (arn) => {
      expect(() => parseMethodArn(arn)).toThrow("event.methodArn is not an execute-api method ARN");
    },
  );
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
  test("GIVEN an Allow THEN one resource per allowed route, a flat string context and the principal", () => {
    const response = respond(["GET /resource", "GET /resource/{id}", "POST /resource"], ["GET /resource", "GET /resource/{id}"], {
      routeKey: "GET /resource",
      path: "/resource",
    });
    expect(response).toEqual({
      principalId: "user#alice",
      policyDocument: {
        Version: "2012-10-17",
        Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${STAGE}/GET/resource`, `${STAGE}/GET/resource/*`] }],
      },
      context: { principal: "user#alice", authType: "bearer", clientId: "web1", scopes: "api.example.com/read x", reason: "ALLOWED" },
    });
    for (const value of Object.values(response.context)) expect(typeof value).toBe("string");
  });

  test("GIVEN a Deny and nothing allowed THEN only a Deny of the called method", () => {
    const response = respond(["GET /resource"], [], { routeKey: "GET /resource", path: "/resource" });
    expect(response.policyDocument.Statement).toEqual([
      { Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${STAGE}/GET/resource`] },
    ]);
    expect(response.context.reason).toBe("GRANT_MISSING");
  });

  test("GIVEN an allowed /items/{id} and a forbidden /items/{id}/secret THEN GET/items/* is never granted (IAM's * spans /)", () => {
    const routes = ["GET /items/{id}", "GET /items/{id}/secret"];
    const response = respond(routes, ["GET /items/{id}"], { routeKey: "GET /items/{id}", path: "/items/1" });
    expect(response.policyDocument.Statement).toEqual([
      { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${STAGE}/GET/items/1`] },
    ]);
    expect(evaluatePolicy(response.policyDocument, `${STAGE}/GET/items/1`)).toBe("Allow");
    expect(evaluatePolicy(response.policyDocument, `${STAGE}/GET/items/1/secret`)).toBe("Deny");
  });

  test("GIVEN an allowed /files/{id}/meta and a forbidden sibling /files/{id}/{proxy+} THEN GET/files/*/meta is never granted", () => {
    const routes = ["GET /files/{id}/meta", "GET /files/{id}/{proxy+}"];
    const response = respond(routes, ["GET /files/{id}/meta"], { routeKey: "GET /files/{id}/meta", path: "/files/a/meta" });
    expect(evaluatePolicy(response.policyDocument, `${STAGE}/GET/files/a/meta`)).toBe("Allow");
    // /files/a/b/meta is routed to {proxy+} = "b/meta"
    expect(evaluatePolicy(response.policyDocument, `${STAGE}/GET/files/a/b/meta`)).toBe("Deny");
  });

  test("GIVEN routes that differ by method or are literal THEN nothing is narrowed", () => {
    const routes = ["GET /items/{id}", "DELETE /items/{id}", "GET /items/special", "GET /items"];
    const response = respond(routes, ["GET /items/{id}", "GET /items/special"], { routeKey: "GET /items/{id}", path: "/items/1" });
    expect(response.policyDocument.Statement[0]!.Resource).toEqual([`${STAGE}/GET/items/*`, `${STAGE}/GET/items/special`]);
  });

  describe("property: a policy reused from API Gateway's cache never allows a route the identity may not call", () => {
    // Concrete request paths that API Gateway routes to each route (path values never equal a literal).
    const instances: Record<string, readonly string[]> = {
      "GET /items": ["/items"],
      "POST /items": ["/items"],
      "GET /items/{id}": ["/items/p1"],
      "GET /items/{id}/secret": ["/items/p1/secret"],
      "GET /{id}": ["/p1"],
      "GET /files/{id}/meta": ["/files/p1/meta"],
      "GET /files/{id}/{proxy+}": ["/files/p1/p2", "/files/p1/p2/meta", "/files/p1/meta/p2"],
    };
    const routes = Object.keys(instances);
    const subsets = Array.from({ length: 2 ** routes.length }, (_, mask) => routes.filter((_, bit) => (mask & (1 << bit)) !== 0));

    test(`GIVEN every one of ${subsets.length} grant sets and every called route THEN forbidden instances are denied and the called allowed one is allowed`, () => {
      const basicIdentity: Identity = { principal: "user#p", authType: "basic", clientId: "c", scopes: [] };
      for (const grants of subsets) {
        for (const called of routes) {
          const response = respond(routes, grants, { routeKey: called, path: instances[called]![0]! }, basicIdentity);
          const allowed = new Set(grants);
          for (const route of routes) {
            const method = route.split(" ")[0]!;
            for (const path of instances[route]!) {
              const verdict = evaluatePolicy(response.policyDocument, `${STAGE}/${method}${path}`);
              if (!allowed.has(route))
                expect({ grants, called, route, path, verdict }).toEqual({ grants, called, route, path, verdict: "Deny" });
            }
          }
          if (allowed.has(called)) {
            expect(evaluatePolicy(response.policyDocument, `${STAGE}/${called.split(" ")[0]}${instances[called]![0]}`)).toBe("Allow");
          }
        }
      }
    });
  });
});
