/**
 * The authorizer under API Gateway's result cache: the identity sources the stack writes are the
 * ones the function decides on, and a cached answer equals a fresh one (regressions of issues seen
 * with the previous policy), but for a repeated Authorization header, which gets at most the answer
 * of its last value alone. The property over generated configurations is in
 * `stress/result-cache.property.test.ts`.
 */
import { lambdaIdentitySourceAttribute, lambdaIdentitySources } from "../../../contracts/result-cache";
import type { AuthorizerResponse } from "../../../functions/authorizer/policy";
import { createApiGatewayModel, readLambdaAuthorizer, type LambdaAuthorizerSettings } from "../../../testing/api-gateway";
import { MODEL_NOW_MS, startModelledAuthorizerBench, type ModelledAuthorizerBench } from "../../../testing/modelled-authorizer";
import { synthStack } from "../../../testing/synth";

const READ = "api.example.com/read";
const settings: LambdaAuthorizerSettings = readLambdaAuthorizer(synthStack().tf);

describe("the identity sources", () => {
  test("GIVEN the synthesized example THEN its authorizer keys the cache on exactly the shared module's identity sources", () => {
    expect(settings.identitySources).toEqual(lambdaIdentitySources());
    expect(settings.identitySources).toEqual(["method.request.header.Authorization", "context.httpMethod", "context.resourcePath"]);
    expect(settings.resultTtlSeconds).toBe(300);
  });

  test("the caller's address joins the key only on request, last", () => {
    expect(lambdaIdentitySources({ sourceIp: true })).toEqual([...lambdaIdentitySources(), "context.identity.sourceIp"]);
    expect(lambdaIdentitySourceAttribute()).toBe("method.request.header.Authorization,context.httpMethod,context.resourcePath");
  });
});

describe("the API Gateway model", () => {
  const allow = (resource: string): AuthorizerResponse => ({
    principalId: "p",
    policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: [resource] }] },
    context: { principal: "p", authType: "bearer", clientId: "c", scopes: "", reason: "ALLOWED" },
  });
  const events: { resource: string; methodArn: string; headers: unknown }[] = [];
  const model = (response: (resource: string) => AuthorizerResponse, ttlSeconds = 300) =>
    createApiGatewayModel({
      ...settings,
      resultTtlSeconds: ttlSeconds,
      routes: ["GET /items/{id}", "GET /items/special", "GET /files/{proxy+}", "GET /files/{id}/meta"],
      invoke: async (event) => {
        events.push({ resource: event.resource, methodArn: event.methodArn, headers: event.headers });
        return response(event.resource);
      },
      now: () => 0,
    });
  beforeEach(() => void events.splice(0));

  test("GIVEN no Authorization header THEN 401 without invoking the function", async () => {
    const m = model(() => allow("*"));
    expect(await m.send({ method: "GET", path: "/items/1" })).toEqual({ status: 401, by: "identity-source", resource: "/items/{id}" });
    expect(m.invocations).toBe(0);
  });

  test("routing prefers a literal, then a parameter, then a greedy parameter; an unknown method or path is 403 before the authorizer", async () => {
    const m = model(() => allow("*"));
    const headers = [["Authorization", "Bearer t"]] as const;
    expect((await m.send({ method: "GET", path: "/items/special", headers })).resource).toBe("/items/special");
    expect((await m.send({ method: "GET", path: "/items/other", headers })).resource).toBe("/items/{id}");
    expect((await m.send({ method: "GET", path: "/files/a/meta", headers })).resource).toBe("/files/{id}/meta");
    expect((await m.send({ method: "GET", path: "/files/a/b/meta", headers })).resource).toBe("/files/{proxy+}");
    expect(await m.send({ method: "POST", path: "/items/1", headers })).toEqual({ status: 403, by: "routing" });
    expect(await m.send({ method: "GET", path: "/items/1/", headers })).toEqual({ status: 403, by: "routing" });
  });

  test("GIVEN a cached policy THEN a request with the same key is evaluated against it without invoking; another route invokes", async () => {
    const m = model(() => allow("arn:aws:execute-api:eu-west-1:123456789012:api123/v1/GET/items/1"));
    const headers = [["Authorization", "Bearer t"]] as const;
    expect(await m.send({ method: "GET", path: "/items/1", headers })).toMatchObject({ status: 200, by: "function" });
    expect(await m.send({ method: "GET", path: "/items/2", headers })).toMatchObject({ status: 403, by: "cache" });
    expect(await m.send({ method: "GET", path: "/items/special", headers })).toMatchObject({ status: 403, by: "function" });
    expect(m.invocations).toBe(2);
  });

  test("GIVEN a repeated header THEN the function and the key see its last value", async () => {
    const m = model(() => allow("*"));
    await m.send({
      method: "GET",
      path: "/items/1",
      headers: [
        ["authorization", "Bearer a"],
        ["Authorization", "Bearer b"],
      ],
    });
    expect(events[0]!.headers).toEqual({ Authorization: "Bearer b" });
    await m.send({ method: "GET", path: "/items/1", headers: [["Authorization", "Bearer b"]] });
    expect(m.invocations).toBe(1);
  });

  test("GIVEN an Allow and a Deny matching the request THEN the Deny wins", async () => {
    const m = model(() => ({
      ...allow("*"),
      policyDocument: {
        Version: "2012-10-17",
        Statement: [
          { Action: "execute-api:Invoke", Effect: "Allow", Resource: ["*"] },
          { Action: "execute-api:Invoke", Effect: "Deny", Resource: ["*/GET/items/?"] },
        ],
      },
    }));
    expect((await m.send({ method: "GET", path: "/items/1", headers: [["Authorization", "x"]] })).status).toBe(403);
    expect((await m.send({ method: "GET", path: "/items/12", headers: [["Authorization", "x"]] })).status).toBe(200);
  });
});

describe("GIVEN the real authorizer behind the model", () => {
  let bench: ModelledAuthorizerBench;
  beforeAll(async () => {
    bench = await startModelledAuthorizerBench();
  });
  afterAll(async () => bench?.close());

  test("a route the authorizer does not know is refused for every id, from the cache too (a cached Deny never allows)", async () => {
    // GIVEN an API route missing from ROUTE_SCOPES (an edit outside Terraform, a partial apply)
    const { model, log } = await bench.start(
      {
        routeScopes: { "GET /items/{id}": [READ] },
        apiRoutes: ["GET /items/{id}", "GET /items/{id}/secret"],
        grants: { "reg-a-alice": ["GET /items/{id}"] },
      },
      settings,
    );
    const headers = [["Authorization", `Bearer ${bench.token("reg-a-alice", [READ])}`]] as const;
    // WHEN the caller asks for the unknown route with several ids
    const answers = [];
    for (const id of ["1", "2", "999"]) answers.push(await model.send({ method: "GET", path: `/items/${id}/secret`, headers }));
    // THEN every answer is 403, the first from the function and the rest from the cache
    expect(answers.map(({ status, by }) => [status, by])).toEqual([
      [403, "function"],
      [403, "cache"],
      [403, "cache"],
    ]);
    expect(log.decisions().map((line) => [line.reason, line.effect])).toEqual([["ROUTE_NOT_CONFIGURED", "Deny"]]);
    // AND the granted route still answers 200
    expect((await model.send({ method: "GET", path: "/items/1", headers })).status).toBe(200);
  });

  test("an allowed caller is allowed for every id of the route, from the cache too (no cached 403 for allowed calls)", async () => {
    // GIVEN /items/{id} granted and its sibling /items/{id}/secret configured but not granted
    const { model } = await bench.start(
      {
        routeScopes: { "GET /items/{id}": [READ], "GET /items/{id}/secret": [READ] },
        grants: { "reg-b-alice": ["GET /items/{id}"] },
      },
      settings,
    );
    const headers = [["Authorization", `Bearer ${bench.token("reg-b-alice", [READ])}`]] as const;
    const statuses = [];
    for (const id of ["1", "2", "3", "*", "a%2Fb"])
      statuses.push((await model.send({ method: "GET", path: `/items/${id}`, headers })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(model.invocations).toBe(1);
    // AND the sibling it may not call is refused, for every id
    for (const id of ["1", "2"]) expect((await model.send({ method: "GET", path: `/items/${id}/secret`, headers })).status).toBe(403);
  });

  test("a path holding IAM wildcards is answered as logged: the log's effect is the policy's", async () => {
    const { model, log } = await bench.start(
      { routeScopes: { "GET /items/{id}": [READ], "GET /items/{id}/secret": [READ] }, grants: { "reg-c-alice": ["GET /items/{id}"] } },
      settings,
    );
    const headers = [["Authorization", `Bearer ${bench.token("reg-c-alice", [READ])}`]] as const;
    const answer = await model.send({ method: "GET", path: "/items/*", headers });
    const [line] = log.decisions();
    expect({ status: answer.status, reason: line!.reason, effect: line!.effect, logged: line!.status }).toEqual({
      status: 200,
      reason: "ALLOWED",
      effect: "Allow",
      logged: 200,
    });
  });

  test("a method ARN holding a line terminator gets a policy, not a 500", async () => {
    const { model } = await bench.start(
      { routeScopes: { "GET /items/{id}": [READ] }, grants: { "reg-d-alice": ["GET /items/{id}"] } },
      settings,
      {
        methodArnPath: "decoded",
      },
    );
    const headers = [["Authorization", `Bearer ${bench.token("reg-d-alice", [READ])}`]] as const;
    expect(await model.send({ method: "GET", path: "/items/a%0Ab", headers })).toMatchObject({ status: 200, by: "function" });
  });

  test("a repeated Authorization header is refused fresh; through the cache it gets at most its last value's answer alone (the one exception)", async () => {
    const { model, log } = await bench.start(
      { routeScopes: { "GET /items/{id}": [READ] }, grants: { "rep-alice": ["GET /items/{id}"], "rep-bob": [] } },
      settings,
    );
    const alice = ["Authorization", `Bearer ${bench.token("rep-alice", [READ])}`] as const;
    const bob = ["Authorization", `Bearer ${bench.token("rep-bob", [READ])}`] as const;
    const send = (...headers: (readonly [string, string])[]) => model.send({ method: "GET", path: "/items/1", headers });
    // Nothing cached: the function refuses the repeated header, and nothing is cached for it
    expect(await send(bob, alice)).toEqual({ status: 401, by: "function", resource: "/items/{id}" });
    expect(await send(bob, alice)).toMatchObject({ status: 401, by: "function" });
    // alice alone is allowed and cached; the repeated request keyed on her value gets her answer from the cache
    expect(await send(alice)).toMatchObject({ status: 200, by: "function" });
    expect(await send(bob, alice)).toMatchObject({ status: 200, by: "cache" });
    // keyed on bob's value: refused until bob alone is decided (a Deny), then bob's Deny, never alice's Allow
    expect(await send(alice, bob)).toMatchObject({ status: 401, by: "function" });
    expect(await send(bob)).toMatchObject({ status: 403, by: "function", reason: "GRANT_MISSING" });
    expect(await send(alice, bob)).toMatchObject({ status: 403, by: "cache", reason: "GRANT_MISSING" });
    expect(log.decisions().map((line) => line.reason)).toEqual([
      "HEADER_REPEATED",
      "HEADER_REPEATED",
      "ALLOWED",
      "HEADER_REPEATED",
      "GRANT_MISSING",
    ]);
  });

  test("a revoked grant keeps working at most resultTtlSeconds + grantCacheTtlSeconds (300 + 30 s) after the revocation", async () => {
    const { model, advance } = await bench.start(
      { routeScopes: { "GET /a": [READ], "GET /b/{id}": [READ] }, grants: { "revoke-alice": ["GET /a", "GET /b/{id}"] } },
      settings,
    );
    const headers = [["Authorization", `Bearer ${bench.token("revoke-alice", [READ])}`]] as const;
    // t=0: a call fills the authorizer's grant cache (30 s)
    expect((await model.send({ method: "GET", path: "/a", headers })).status).toBe(200);
    // t=1 s: the grant is revoked in the table
    advance(1_000);
    await bench.setGrants("revoke-alice", []);
    // t=29 s: a call to another route is decided fresh, with the cached grants, and cached for 300 s
    advance(28_000);
    expect(await model.send({ method: "GET", path: "/b/1", headers })).toMatchObject({ status: 200, by: "function" });
    // THEN every later call to that route is allowed from the cache until it expires, and refused after
    let lastAllowedMs = 0;
    let elapsedMs = 29_000;
    for (let id = 2; elapsedMs <= 400_000; id += 1) {
      const { status } = await model.send({ method: "GET", path: `/b/${id}`, headers });
      if (status === 200) lastAllowedMs = elapsedMs;
      advance(5_000);
      elapsedMs += 5_000;
    }
    const revokedAtMs = 1_000;
    expect(lastAllowedMs - revokedAtMs).toBeGreaterThan(300_000);
    expect(lastAllowedMs - revokedAtMs).toBeLessThanOrEqual((300 + 30) * 1000);
    expect((await model.send({ method: "GET", path: "/b/99", headers })).status).toBe(403);
  });

  test("an expired token keeps working from the result cache at most resultTtlSeconds + clockToleranceSeconds (300 + 5 s) past its exp", async () => {
    const { model, advance } = await bench.start(
      { routeScopes: { "GET /e/{id}": [READ] }, grants: { "expiry-alice": ["GET /e/{id}"] } },
      settings,
    );
    const headers = [["Authorization", `Bearer ${bench.token("expiry-alice", [READ])}`]] as const;
    // The bench's tokens are issued 60 s before the frozen time and live 3600 s.
    const expMs = MODEL_NOW_MS - 60_000 + 3_600_000;
    // 4 s past exp (within the 5 s clock tolerance) a fresh decision still allows, and is cached for 300 s
    advance(expMs + 4_000 - MODEL_NOW_MS);
    expect(await model.send({ method: "GET", path: "/e/1", headers })).toMatchObject({ status: 200, by: "function" });
    let lastAllowedMs = 0;
    let elapsedMs = expMs + 4_000;
    for (let id = 2; elapsedMs <= expMs + 320_000; id += 1) {
      const { status } = await model.send({ method: "GET", path: `/e/${id}`, headers });
      if (status === 200) lastAllowedMs = elapsedMs;
      advance(1_000);
      elapsedMs += 1_000;
    }
    expect(lastAllowedMs - expMs).toBeGreaterThan(300_000);
    expect(lastAllowedMs - expMs).toBeLessThanOrEqual((300 + 5) * 1000);
    // THEN once the entry has expired, the function refuses the token
    expect(await model.send({ method: "GET", path: "/e/99", headers })).toEqual({ status: 401, by: "function", resource: "/e/{id}" });
  });

  test("a flushed stage cache answers fresh at once; the grant cache still bounds a revocation by grantCacheTtlSeconds", async () => {
    const { model, advance } = await bench.start({ routeScopes: { "GET /c": [READ] }, grants: { "flush-alice": ["GET /c"] } }, settings);
    const headers = [["Authorization", `Bearer ${bench.token("flush-alice", [READ])}`]] as const;
    expect((await model.send({ method: "GET", path: "/c", headers })).status).toBe(200);
    await bench.setGrants("flush-alice", []);
    model.flush();
    // within the grant cache's 30 s the function still holds the old grants
    advance(10_000);
    expect(await model.send({ method: "GET", path: "/c", headers })).toMatchObject({ status: 200, by: "function" });
    model.flush();
    advance(21_000);
    expect(await model.send({ method: "GET", path: "/c", headers })).toMatchObject({ status: 403, by: "function" });
  });
});
