/**
 * Property: the handler's caches change how fast it answers, never what it answers. One handler lives
 * through a fuzzed sequence of requests, clock moves and grants changes (its verified-token cache
 * keyed by the exact `Authorization` value, its grants and Basic sign-in caches, its decision memo);
 * each request is also answered by a handler created for that request alone, whose caches are cold.
 * Both must give byte-identical responses (policy, context) or the same 401/500, and the same decision
 * log line but for `fromCache`, which the warm handler must set exactly when the same value was
 * verified or signed in before and is still within its cache lifetime.
 *
 * The sequences mix principals with several tokens (scopes, short lifetimes that expire during the
 * run, one not yet valid at the start), spellings of the Bearer scheme, Basic accounts, routes that
 * share a template with other methods, two stages, malformed headers and method ARNs, and grants
 * that change (each change followed by the grants cache's TTL, so a fresh read is what either
 * handler is entitled to).
 */
import fc from "fast-check";
import type { CognitoApi } from "../../../../functions/authorizer/aws/cognito";
import type { DynamoDbApi } from "../../../../functions/authorizer/aws/dynamodb";
import { loadAuthorizerConfig } from "../../../../functions/authorizer/config";
import { createHandler, type ApiGatewayRequestAuthorizerEvent, type AuthorizerHandler } from "../../../../functions/authorizer/handler";
import { basic, bearer, FC_SEED, invoke, restEvent, STAGE, type Outcome } from "../../../../testing/authorizer-harness";
import { PRINCIPAL_ATTRIBUTE, ROUTES_ATTRIBUTE } from "../../../../core/grant-item";
import { createSigningKey, jwksOf, signMachineAccessToken, signUserAccessToken } from "../../../../testing/keys";

const REGION = "eu-west-1";
const USER_POOL_ID = `${REGION}_Memo1`;
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`;
const WEB_CLIENT = "web1";
const MACHINE_CLIENT = "machine1";
const BASIC_CLIENT = "basic1";
const READ = "api.example.com/read";
const WRITE = "api.example.com/write";
const ADMIN = "api.example.com/admin";
const GRANT_TTL_MS = 30_000;
const BASIC_TTL_MS = 60_000;
const START_MS = 1_800_000_000_000;
const START_S = START_MS / 1000;

/** Configured routes; several methods share a template, so a memo keyed without the method would mix them. */
const ROUTE_SCOPES: Readonly<Record<string, readonly string[]>> = {
  "GET /items": [READ],
  "POST /items": [WRITE],
  "GET /items/{id}": [READ],
  "PUT /items/{id}": [],
  "DELETE /items/{id}": [ADMIN],
  "GET /files/{proxy+}": [READ],
};
/** What a request may call: every configured route, and a method the template does not have. */
const CALLS = [...Object.keys(ROUTE_SCOPES), "PATCH /items/{id}", "DELETE /items"] as const;
const GRANT_CANDIDATES = [...Object.keys(ROUTE_SCOPES), "* /items/{id}", "* /items", "GET /unconfigured"];
const PRINCIPALS = ["user#alice", "user#bob", `client#${MACHINE_CLIENT}`, "user#svc1", "user#svc2"] as const;
const BASIC_PASSWORDS: Readonly<Record<string, string>> = { svc1: "Pass-word-1", svc2: "Pass-word-2" };

const key = createSigningKey("memo-key-1");
const config = loadAuthorizerConfig({
  AWS_REGION: REGION,
  USER_POOL_ID,
  APP_CLIENT_IDS: `${WEB_CLIENT},${MACHINE_CLIENT}`,
  AUTHZ_TABLE_NAME: "memo-grants",
  ROUTE_SCOPES: JSON.stringify(ROUTE_SCOPES),
  JWKS_SNAPSHOT: JSON.stringify(jwksOf(key)),
  BASIC_AUTH_CLIENT_ID: BASIC_CLIENT,
  BASIC_USERS: "svc1,svc2",
  GRANT_CACHE_TTL_SECONDS: String(GRANT_TTL_MS / 1000),
  BASIC_AUTH_CACHE_TTL_SECONDS: String(BASIC_TTL_MS / 1000),
});

const user = (username: string, scope: string, options: { lifetimeSeconds?: number; nowSeconds?: number } = {}) =>
  signUserAccessToken(key, { issuer: ISSUER, clientId: WEB_CLIENT, username, scope, nowSeconds: START_S - 10, ...options });

/** Bearer tokens: `[token, cache lifetime end in ms]` (`min(exp, iat + max age)`). */
const TOKENS: readonly string[] = [
  user("alice", READ),
  user("alice", `${READ} ${WRITE} ${ADMIN}`, { lifetimeSeconds: 300 }),
  user("alice", "aws.cognito.signin.user.admin"),
  user("bob", `${READ} ${WRITE}`, { lifetimeSeconds: 120 }),
  // Not yet valid at the start: refused until the clock reaches its `iat` (minus the tolerance).
  user("bob", ADMIN, { nowSeconds: START_S + 90 }),
  signMachineAccessToken(key, { issuer: ISSUER, clientId: MACHINE_CLIENT, scope: `${READ} ${WRITE}`, nowSeconds: START_S - 10 }),
];
const cacheEndMs = (token: string): number => {
  const { iat, exp } = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as { iat: number; exp: number };
  return Math.min(exp, iat + config.maxTokenAgeSeconds) * 1000;
};

/** How a credential is written in the `Authorization` header(s). */
type Credential =
  | { readonly kind: "bearer"; readonly token: number; readonly scheme: "Bearer" | "bearer" | "BEARER" | "Bearer " }
  | { readonly kind: "basic"; readonly username: "svc1" | "svc2" | "carol"; readonly right: boolean }
  | { readonly kind: "tampered"; readonly token: number }
  | { readonly kind: "none" }
  | { readonly kind: "repeated"; readonly token: number };

type Step =
  | {
      readonly kind: "request";
      readonly credential: Credential;
      readonly call: string;
      readonly id: string;
      readonly stage: "v1" | "v2" | "broken";
    }
  | { readonly kind: "advance"; readonly ms: number }
  | { readonly kind: "regrant"; readonly principal: number; readonly grants: readonly string[]; readonly extraMs: number };

const tokenIndex = fc.nat(TOKENS.length - 1);
const credentialArb: fc.Arbitrary<Credential> = fc.oneof(
  {
    weight: 24,
    arbitrary: fc.record({
      kind: fc.constant("bearer" as const),
      token: tokenIndex,
      scheme: fc.oneof(
        { weight: 6, arbitrary: fc.constant("Bearer" as const) },
        fc.constantFrom("bearer" as const, "BEARER" as const, "Bearer " as const),
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("basic" as const),
      username: fc.constantFrom("svc1" as const, "svc2" as const, "carol" as const),
      right: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constant("tampered" as const), token: tokenIndex }),
  fc.constant({ kind: "none" as const }),
  fc.record({ kind: fc.constant("repeated" as const), token: tokenIndex }),
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 16,
    arbitrary: fc.record({
      kind: fc.constant("request" as const),
      credential: credentialArb,
      call: fc.constantFrom(...CALLS),
      id: fc.constantFrom("1", "2", "a/b"),
      stage: fc.oneof({ weight: 12, arbitrary: fc.constantFrom("v1" as const, "v2" as const) }, fc.constant("broken" as const)),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 2_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 45_000 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("regrant" as const),
      principal: fc.nat(PRINCIPALS.length - 1),
      grants: fc.subarray(GRANT_CANDIDATES),
      extraMs: fc.integer({ min: 0, max: 5_000 }),
    }),
  },
);
const scenarioArb = fc.record({
  grants: fc.tuple(...PRINCIPALS.map(() => fc.subarray(GRANT_CANDIDATES))),
  steps: fc.array(stepArb, { minLength: 20, maxLength: 60 }),
});

/** The header values of a credential (one per occurrence), and the value the caches may key on. */
function headerValues(credential: Credential): readonly string[] {
  switch (credential.kind) {
    case "bearer":
      return [`${credential.scheme} ${TOKENS[credential.token]!}`];
    case "basic":
      return [basic(`${credential.username}:${credential.right ? (BASIC_PASSWORDS[credential.username] ?? "x") : "wrong"}`)];
    case "tampered": {
      const token = TOKENS[credential.token]!;
      return [bearer(`${token.slice(0, -4)}${token.endsWith("AAAA") ? "BBBB" : "AAAA"}`)];
    }
    case "none":
      return [];
    case "repeated":
      return [bearer(TOKENS[credential.token]!), bearer(TOKENS[credential.token]!)];
  }
}

/** One in-process world: the grants table, Cognito, the clock. */
function createWorld(initialGrants: readonly (readonly string[])[]) {
  const table = new Map<string, readonly string[]>(PRINCIPALS.map((principal, index) => [principal, initialGrants[index]!]));
  const clock = { ms: START_MS };
  const dynamoDb: Pick<DynamoDbApi, "getItem" | "updateItem"> = {
    getItem: async (input) => {
      const routes = table.get(input.Key[PRINCIPAL_ATTRIBUTE]?.S ?? "");
      return routes === undefined ? {} : { Item: { [ROUTES_ATTRIBUTE]: { L: routes.map((route) => ({ S: route })) } } };
    },
    // The failed sign-in counters: every attempt may be counted (no limit is reached here).
    updateItem: async () => ({}),
  };
  const cognito: Pick<CognitoApi, "adminInitiateAuth"> = {
    adminInitiateAuth: async (input) => {
      const username = input.AuthParameters?.USERNAME ?? "";
      if (BASIC_PASSWORDS[username] === undefined || BASIC_PASSWORDS[username] !== input.AuthParameters?.PASSWORD) {
        throw Object.assign(new Error("Incorrect username or password."), {
          name: "NotAuthorizedException",
          $metadata: { httpStatusCode: 400 },
        });
      }
      const accessToken = signUserAccessToken(key, {
        issuer: ISSUER,
        clientId: BASIC_CLIENT,
        username,
        nowSeconds: Math.floor(clock.ms / 1000),
      });
      return { AuthenticationResult: { AccessToken: accessToken } } as Awaited<ReturnType<CognitoApi["adminInitiateAuth"]>>;
    },
  };
  const handlerWith = (log: (line: string) => void): AuthorizerHandler =>
    createHandler(config, { now: () => clock.ms, log, dynamoDb, cognito });
  return { table, clock, handlerWith };
}

/** An outcome as bytes: the response's JSON, or the error API Gateway would answer. */
function outcomeText(outcome: Outcome): string {
  switch (outcome.kind) {
    case "response":
      return JSON.stringify(outcome.response);
    case "dependency":
      return `500 ${outcome.reason}`;
    case "other":
      return `other ${String(outcome.error)}`;
    default:
      return outcome.kind;
  }
}

const authTypeOf = (credential: Credential): string => (credential.kind === "basic" ? "basic" : "bearer");

/** Whether a cold handler authenticates the event's credential: asked with a well-formed method ARN. */
async function authenticates(
  world: ReturnType<typeof createWorld>,
  event: () => ApiGatewayRequestAuthorizerEvent,
  method: string,
  path: string,
): Promise<boolean> {
  const lines: string[] = [];
  await invoke(
    world.handlerWith((line) => void lines.push(line)),
    { ...event(), methodArn: `${STAGE}/${method}${path}` },
  );
  return FROM_CACHE.test(lines[0] ?? "");
}

const FROM_CACHE = /,"fromCache":(true|false)/;

describe("the decision memo and the caches (warm handler) against a cold handler per request", () => {
  test("GIVEN fuzzed sequences of requests, clock moves and grants changes THEN every answer and log line equals the cold handler's", async () => {
    let requests = 0;
    let fromCacheAnswers = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ grants, steps }) => {
        const world = createWorld(grants);
        const warmLines: string[] = [];
        const warm = world.handlerWith((line) => void warmLines.push(line));
        // What the warm handler's caches hold: exact header value → end of its cache lifetime.
        const remembered = new Map<string, number>();
        for (const step of steps) {
          if (step.kind === "advance") {
            world.clock.ms += step.ms;
            continue;
          }
          if (step.kind === "regrant") {
            world.table.set(PRINCIPALS[step.principal]!, step.grants);
            // Until the grants cache's TTL has passed, the warm handler may answer from the old grants.
            world.clock.ms += GRANT_TTL_MS + step.extraMs;
            continue;
          }
          const [method, template] = step.call.split(" ") as [string, string];
          const path = template.replace("{id}", step.id).replace("{proxy+}", step.id);
          const values = headerValues(step.credential);
          const event = () =>
            restEvent({
              method,
              resource: template,
              path,
              ...(values.length === 0 ? {} : { authorization: values }),
              ...(step.stage === "broken"
                ? { methodArn: `arn:broken/${method}${path}` }
                : { methodArn: `${STAGE.replace("/v1", `/${step.stage}`)}/${method}${path}` }),
            });
          const coldLines: string[] = [];
          const warmBefore = warmLines.length;
          const warmOutcome = await invoke(warm, event());
          const coldOutcome = await invoke(
            world.handlerWith((line) => void coldLines.push(line)),
            event(),
          );
          requests += 1;
          expect(outcomeText(warmOutcome)).toBe(outcomeText(coldOutcome));
          expect(warmLines.length - warmBefore).toBe(1);
          expect(coldLines).toHaveLength(1);
          const warmLine = warmLines[warmLines.length - 1]!;
          const coldLine = coldLines[0]!;
          // Byte for byte but `fromCache` (the clock does not move within a request: latencyMs is 0 in both).
          expect(warmLine.replace(FROM_CACHE, "")).toBe(coldLine.replace(FROM_CACHE, ""));
          // `fromCache`: set exactly when this very value was verified or signed in before, within its lifetime.
          const { fromCache, authType } = JSON.parse(warmLine) as { fromCache?: boolean; authType?: string };
          if (fromCache === undefined) expect(coldLine).not.toMatch(FROM_CACHE);
          const value = values[0]!;
          const expected = (remembered.get(value) ?? -Infinity) > world.clock.ms;
          if (fromCache !== undefined) expect({ value, fromCache }).toEqual({ value, fromCache: expected });
          if (fromCache === true) fromCacheAnswers += 1;
          // A value authenticated afresh is remembered, also when the answer then failed (a broken method ARN).
          if (!expected && (fromCache === false || (step.stage === "broken" && (await authenticates(world, event, method, path))))) {
            const endMs =
              (authType ?? authTypeOf(step.credential)) === "basic" ? world.clock.ms + BASIC_TTL_MS : cacheEndMs(value.slice(7));
            if (endMs > world.clock.ms) remembered.set(value, endMs);
          }
        }
      }),
      { numRuns: 60, seed: FC_SEED },
    );
    // The sequences reach the caches and the memo, not only first sightings.
    console.log(`${requests} requests, ${fromCacheAnswers} answered from the caches`);
    expect(fromCacheAnswers).toBeGreaterThan(requests / 5);
  });
});
