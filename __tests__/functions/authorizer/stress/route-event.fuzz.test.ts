/**
 * Property-based fuzzing of the route and event shape through `createHandler`: odd `httpMethod`,
 * `resource` and `methodArn` values, arbitrary scopes and grants. The returned policy is evaluated
 * the way API Gateway evaluates a cached one (testing/iam-policy.ts) against every request that
 * shares the event's cache key (the same method and resource template: `result-cache.ts`); the
 * cache itself is modelled in `result-cache.property.test.ts`.
 */
import fc from "fast-check";
import { loadAuthorizerConfig } from "../../../../functions/authorizer/config";
import { createHandler, type ApiGatewayRequestAuthorizerEvent, type AuthorizerHandler } from "../../../../functions/authorizer/handler";
import { bearer, captureLog, FC_SEED, invoke, STAGE, type CapturedLog } from "../../../../testing/authorizer-harness";
import { evaluatePolicy, type PolicyDocumentLike } from "../../../../testing/iam-policy";
import { startJwksServer, type JwksServer } from "../../../../testing/jwks-server";
import { createSigningKey, jwksOf, signUserAccessToken } from "../../../../testing/keys";

const READ = "api.example.com/read";
const WRITE = "api.example.com/write";
const ADMIN = "api.example.com/admin";
const SCOPES = [READ, WRITE, ADMIN] as const;
const WEB_CLIENT = "webclient1";
const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;

/**
 * Configured routes (with overlapping templates: IAM's `*` spans `/`), their scopes, and concrete
 * request paths that API Gateway routes to each (never to a more specific sibling).
 */
const ROUTES: Readonly<Record<string, { readonly scopes: readonly string[]; readonly instances: readonly string[] }>> = {
  "GET /": { scopes: [], instances: ["/"] },
  "GET /items": { scopes: [READ], instances: ["/items"] },
  "POST /items": { scopes: [WRITE], instances: ["/items"] },
  "GET /items/{id}": { scopes: [READ], instances: ["/items/p1", "/items/secret", "/items/a.b"] },
  "DELETE /items/{id}": { scopes: [ADMIN], instances: ["/items/p1"] },
  "GET /items/{id}/secret": { scopes: [ADMIN], instances: ["/items/p1/secret"] },
  "GET /files/{id}/meta": { scopes: [READ], instances: ["/files/p1/meta"] },
  "GET /files/{id}/{proxy+}": { scopes: [READ], instances: ["/files/p1/p2", "/files/p1/p2/meta", "/files/p1/meta/p2"] },
};
const ROUTE_KEYS = Object.keys(ROUTES);
/** Grants a principal may hold: every route, and method wildcards. */
const GRANT_CANDIDATES = [...ROUTE_KEYS, "* /items/{id}", "* /files/{id}/{proxy+}"];

const poolKey = createSigningKey("pool-key-1");

let jwks: JwksServer;
let handler: AuthorizerHandler;
let captured: CapturedLog;
/** The grants the scripted table answers with for the current run. */
let currentGrants: readonly string[] = [];
/** One token per subset of SCOPES (bit i set: SCOPES[i] held). */
let tokens: string[];

beforeAll(async () => {
  jwks = await startJwksServer({ jwks: jwksOf(poolKey) });
  // An in-process table (the grant store's DynamoDB use is covered against dynalite elsewhere): a
  // thousand HTTP round trips would dominate this file's run time.
  const dynamoDb = {
    getItem: async () => ({ Item: { routes: { L: currentGrants.map((grant) => ({ S: grant })) } } }),
    // Basic is off here: the failed sign-in counters are never written.
    updateItem: async () => {
      throw new Error("no UpdateItem without Basic");
    },
  };
  captured = captureLog();
  const config = loadAuthorizerConfig({
    AWS_REGION: "local",
    USER_POOL_ID: jwks.poolId,
    TOKEN_ISSUER: jwks.issuer,
    APP_CLIENT_IDS: WEB_CLIENT,
    AUTHZ_TABLE_NAME: "scopegate-grants",
    ROUTE_SCOPES: JSON.stringify(Object.fromEntries(Object.entries(ROUTES).map(([route, { scopes }]) => [route, scopes]))),
    // Grants change between runs: read them every time.
    GRANT_CACHE_TTL_SECONDS: "0",
  });
  handler = createHandler(config, { now: () => NOW_MS, log: captured.log, dynamoDb, jwksTimeoutMs: 1_000 });
  tokens = Array.from({ length: 2 ** SCOPES.length }, (_, mask) =>
    signUserAccessToken(poolKey, {
      issuer: jwks.issuer,
      clientId: WEB_CLIENT,
      username: "alice",
      scope: SCOPES.filter((_, bit) => mask & (1 << bit)).join(" "),
      nowSeconds: NOW,
    }),
  );
});

afterAll(async () => {
  await jwks?.close();
});

/** The oracle: may a principal with these scopes and grants call this configured route? */
function permitted(routeKey: string, scopes: readonly string[], grants: readonly string[]): boolean {
  const required = ROUTES[routeKey]!.scopes;
  if (required.length > 0 && !required.some((scope) => scopes.includes(scope))) return false;
  const [method, path] = routeKey.split(" ") as [string, string];
  return grants.includes(`${method} ${path}`) || grants.includes(`* ${path}`);
}

/** Path parameter values a client may send, wildcard characters of IAM included. */
const parameterValue = fc.constantFrom("p1", "42", "*", "?", "a*", "*b", "%2A", "%2F", "..", "-", "x?y", "~");
const proxyValue = fc.constantFrom("a/b", "x", "*", "a/*", "*/*", "?/?", "p2/meta", "%2F");

/** A path API Gateway would route to `routeKey`, with client-chosen parameter values. */
function instanceOf(routeKey: string): fc.Arbitrary<string> {
  const template = routeKey.split(" ")[1]!;
  if (template === "/") return fc.constant("/");
  const segments = template.slice(1).split("/");
  return (
    fc
      .tuple(
        ...segments.map((segment) =>
          segment.endsWith("+}") ? proxyValue : segment.startsWith("{") ? parameterValue : fc.constant(segment),
        ),
      )
      .map((values) => `/${values.join("/")}`)
      // A value equal to a sibling's literal routes to the sibling instead.
      .filter((path) => !(routeKey === "GET /files/{id}/{proxy+}" && /^\/files\/[^/]+\/meta$/.test(path)))
  );
}

const methodText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("GET", "POST", "DELETE", "PUT", "HEAD", "OPTIONS", "PATCH") },
  { weight: 1, arbitrary: fc.constantFrom("get", "GET ", " GET", "", "*", "ANY", "G ET", "GET\t", "GET /items") },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const resourceText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ROUTE_KEYS.map((key) => key.split(" ")[1]!)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "/items/",
      "/ITEMS",
      "/items/{ID}",
      "/items/*",
      "/items/{id+}",
      "",
      "items",
      "/items/{id}/",
      "/items /x",
      "/files/{id}/{proxy}",
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
);
const arnPath = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ROUTE_KEYS).chain(instanceOf) },
  { weight: 1, arbitrary: fc.constantFrom("/items/*", "/*", "/items/p1/*", "/files/*/meta", "/items/?", "/", "//", "/items//secret") },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }).map((text) => `/${text}`) },
);

/** An event API Gateway can send: method, resource and methodArn agree, parameters hold what the client sent. */
const consistentEvent = fc
  .constantFrom(...ROUTE_KEYS)
  .chain((routeKey) => fc.tuple(fc.constant(routeKey), instanceOf(routeKey)))
  .map(([routeKey, path]): ApiGatewayRequestAuthorizerEvent => {
    const [method, resource] = routeKey.split(" ") as [string, string];
    return { type: "REQUEST", httpMethod: method, resource, methodArn: `${STAGE}/${method}${path}`, headers: {}, multiValueHeaders: {} };
  });
/** One way to make an event's parts disagree. */
type Perturbation =
  | { readonly part: "httpMethod" | "arnMethod" | "resource" | "arnPath"; readonly value: string }
  | { readonly part: "siblingPath"; readonly pick: number }
  | { readonly part: "arnShape"; readonly value: "wildcard-stage" | "wildcard-api" | "garbage" | "empty" | "lower-verb" };

const perturbation: fc.Arbitrary<Perturbation> = fc.oneof(
  { weight: 3, arbitrary: fc.nat().map((pick): Perturbation => ({ part: "siblingPath", pick })) },
  { weight: 1, arbitrary: methodText.map((value): Perturbation => ({ part: "httpMethod", value })) },
  {
    weight: 1,
    arbitrary: fc.oneof(methodText, fc.constantFrom("GET", "POST", "DELETE")).map((value): Perturbation => ({ part: "arnMethod", value })),
  },
  { weight: 1, arbitrary: resourceText.map((value): Perturbation => ({ part: "resource", value })) },
  { weight: 1, arbitrary: arnPath.map((value): Perturbation => ({ part: "arnPath", value })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("wildcard-stage", "wildcard-api", "garbage", "empty", "lower-verb")
      .map((value): Perturbation => ({ part: "arnShape", value: value as "garbage" })),
  },
);

/** Configured routes whose template starts with the same segment as `routeKey`'s (near misses). */
const siblingsOf = (routeKey: string) =>
  ROUTE_KEYS.filter((other) => other.split(" ")[1]!.split("/")[1] === routeKey.split(" ")[1]!.split("/")[1]);

/**
 * An event whose parts need not agree with one another (or with any configured route): a consistent
 * event with one or two parts replaced, most often its path by a request to a sibling route, so that
 * near misses stay frequent.
 */
const oddEvent = fc
  .record({
    route: fc.constantFrom(...ROUTE_KEYS),
    perturbations: fc.oneof(
      { weight: 3, arbitrary: fc.array(perturbation, { minLength: 1, maxLength: 1 }) },
      { weight: 1, arbitrary: fc.array(perturbation, { minLength: 2, maxLength: 2 }) },
    ),
  })
  .chain(({ route, perturbations }) =>
    fc.tuple(fc.constant(route), fc.constant(perturbations), instanceOf(route), fc.tuple(...siblingsOf(route).map(instanceOf))),
  )
  .map(([route, perturbations, instancePath, siblingPaths]): ApiGatewayRequestAuthorizerEvent => {
    let [httpMethod, resource] = route.split(" ") as [string, string];
    let verb = httpMethod;
    let path = instancePath;
    let shape: Extract<Perturbation, { part: "arnShape" }>["value"] | "stage" = "stage";
    for (const change of perturbations) {
      switch (change.part) {
        case "httpMethod":
          httpMethod = change.value;
          break;
        case "arnMethod":
          verb = change.value;
          break;
        case "resource":
          resource = change.value;
          break;
        case "arnPath":
          path = change.value;
          break;
        case "siblingPath":
          path = siblingPaths[change.pick % siblingPaths.length]!;
          break;
        case "arnShape":
          shape = change.value;
          break;
      }
    }
    const methodArn = {
      stage: `${STAGE}/${verb}${path}`,
      "wildcard-stage": `arn:aws:execute-api:eu-west-1:123456789012:api123/*/${verb}${path}`,
      "wildcard-api": `arn:aws:execute-api:eu-west-1:123456789012:*/*/${verb}${path}`,
      garbage: `not-an-arn/${verb}${path}`,
      empty: "",
      "lower-verb": `${STAGE}/${verb.toLowerCase()}${path}`,
    }[shape];
    return { type: "REQUEST", httpMethod, resource, methodArn, headers: {}, multiValueHeaders: {} };
  });

const withCredentials = (event: ApiGatewayRequestAuthorizerEvent, token: string): ApiGatewayRequestAuthorizerEvent => ({
  ...event,
  headers: { Authorization: bearer(token) },
  multiValueHeaders: { Authorization: [bearer(token)] },
});

const principalArb = fc.record({
  scopeMask: fc.nat({ max: 2 ** SCOPES.length - 1 }),
  grants: fc.subarray(GRANT_CANDIDATES),
});

/** Checks the invariants of one call; returns what happened for the tally. */
async function checkCall(
  event: ApiGatewayRequestAuthorizerEvent,
  scopeMask: number,
  grants: readonly string[],
): Promise<{ readonly result: "allowed" | "denied" | "error"; readonly policy?: PolicyDocumentLike }> {
  currentGrants = grants;
  captured.clear();
  const scopes: readonly string[] = SCOPES.filter((_, bit) => scopeMask & (1 << bit));
  const outcome = await invoke(handler, withCredentials(event, tokens[scopeMask]!));
  const routeKey = `${event.httpMethod} ${event.resource}`;
  const configured = Object.hasOwn(ROUTES, routeKey);
  const onRealStage = event.methodArn.startsWith(`${STAGE}/`);

  // THEN a valid token never gets a 401, and nothing but a policy or a dependency error comes back
  if (outcome.kind !== "response") {
    expect(outcome).toEqual({ kind: "dependency", reason: "INTERNAL_ERROR" });
    expect(captured.decisions()).toEqual([expect.objectContaining({ reason: "INTERNAL_ERROR", effect: "Error" })]);
    // (only a method ARN that is not an execute-api ARN of a concrete API and stage can cause it)
    expect(/^arn:[a-z-]+:execute-api:[a-z0-9-]+:[^:/\s*?]+:[^:/\s*?]+\/[^/\s*?]+\/[A-Z]+\/.*$/s.test(event.methodArn)).toBe(false);
    return { result: "error" };
  }
  const policy = outcome.response.policyDocument;
  const [decision] = captured.decisions();
  expect(decision!.reason).toBe(outcome.response.context.reason);

  // THEN an unconfigured route is never allowed: the called method ARN evaluates to Deny
  if (!configured) {
    expect(decision!.reason).toBe("ROUTE_NOT_CONFIGURED");
    expect(evaluatePolicy(policy, event.methodArn)).toBe("Deny");
  } else {
    expect(decision!.reason).toBe(
      permitted(routeKey, scopes, grants)
        ? "ALLOWED"
        : ROUTES[routeKey]!.scopes.some((scope) => scopes.includes(scope)) || ROUTES[routeKey]!.scopes.length === 0
          ? "GRANT_MISSING"
          : "SCOPE_MISSING",
    );
  }

  // THEN, reused from API Gateway's cache for any request with this event's key (the same method and
  // resource template), the policy answers as it answered this one: Allow for every request to the
  // called route when allowed, Deny for every request otherwise; and it never allows another method.
  // (Each probe is handed to jest only when its verdict is not the expected one: every expect call
  // builds an error with its stack up front, and the probes run to tens of thousands.)
  const [method] = routeKey.split(" ") as [string];
  const allowed = configured && decision!.reason === "ALLOWED";
  const sameKeyPaths = configured ? ROUTES[routeKey]!.instances : [];
  for (const path of sameKeyPaths) {
    const probe = `${STAGE}/${method}${path}`;
    const verdict = evaluatePolicy(policy, probe);
    if (verdict !== (allowed ? "Allow" : "Deny")) expect({ probe, verdict }).toEqual({ probe, verdict: allowed ? "Allow" : "Deny" });
  }
  for (const [other, { instances }] of Object.entries(ROUTES)) {
    const otherMethod = other.split(" ")[0]!;
    if (otherMethod === method && allowed) continue;
    for (const path of instances) {
      const probe = `${STAGE}/${otherMethod}${path}`;
      const verdict = evaluatePolicy(policy, probe);
      if (verdict !== "Deny") expect({ other, probe, verdict }).toEqual({ other, probe, verdict: "Deny" });
    }
  }
  return { result: onRealStage && configured && decision!.reason === "ALLOWED" ? "allowed" : "denied", policy };
}

describe(`route and event shape under fuzzing (fast-check seed ${FC_SEED})`, () => {
  test("GIVEN events API Gateway can send (method, resource and method ARN agree; path parameters hold anything a client sends, IAM wildcards included) and arbitrary scopes and grants THEN the called route is allowed exactly when permitted, and the policy answers every request sharing the cache key alike", async () => {
    const tally = { allowed: 0, denied: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(consistentEvent, principalArb, async (event, { scopeMask, grants }) => {
        const { result, policy } = await checkCall(event, scopeMask, grants);
        tally[result] += 1;
        expect(result).not.toBe("error");
        const routeKey = `${event.httpMethod} ${event.resource}`;
        const scopes: readonly string[] = SCOPES.filter((_, bit) => scopeMask & (1 << bit));
        // AND a permitted call is let through, whatever its path parameters hold
        expect(evaluatePolicy(policy!, event.methodArn)).toBe(permitted(routeKey, scopes, grants) ? "Allow" : "Deny");
      }),
      { seed: FC_SEED, numRuns: 800 },
    );
    expect(tally.allowed).toBeGreaterThan(50);
    expect(tally.denied).toBeGreaterThan(50);
  });

  test("GIVEN events whose httpMethod, resource and methodArn are odd or disagree THEN never a 401 for a valid token, never an Allow of an unconfigured route or of another method, and only INTERNAL_ERROR for a method ARN that is not one", async () => {
    const tally = { allowed: 0, denied: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(oddEvent, principalArb, async (event, { scopeMask, grants }) => {
        tally[(await checkCall(event, scopeMask, grants)).result] += 1;
      }),
      { seed: FC_SEED, numRuns: 1_200 },
    );
    expect(tally.error).toBeGreaterThan(10);
    expect(tally.denied).toBeGreaterThan(100);
  });
});

describe("regression: the stage of an Allow is a concrete API and stage", () => {
  test.each([
    ["a wildcard stage", "arn:aws:execute-api:eu-west-1:123456789012:api123/*/GET/items/p1"],
    ["a wildcard API id", "arn:aws:execute-api:eu-west-1:123456789012:*/v1/GET/items/p1"],
    ["a single-character wildcard in the stage", "arn:aws:execute-api:eu-west-1:123456789012:api123/v?/GET/items/p1"],
  ])("GIVEN a method ARN with %s THEN INTERNAL_ERROR (500), never an Allow that spans stages", async (_title, methodArn) => {
    currentGrants = ["GET /items/{id}"];
    captured.clear();
    const event: ApiGatewayRequestAuthorizerEvent = { type: "REQUEST", httpMethod: "GET", resource: "/items/{id}", methodArn };
    expect(await invoke(handler, withCredentials(event, tokens[0b001]!))).toEqual({ kind: "dependency", reason: "INTERNAL_ERROR" });
  });
});
