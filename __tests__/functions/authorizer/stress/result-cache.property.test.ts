/**
 * Property: through API Gateway's authorizer result cache, every answer equals the answer of a fresh
 * decision, with one written exception (`testing/api-gateway.ts`, `result-cache.ts`): a request that
 * carries the `Authorization` header more than once is refused fresh (401), but the cache key holds
 * one value (the model: the last), so it may be answered from the cache entry of that value sent
 * alone, and then gets exactly that value's answer: no more than that credential already had.
 *
 * Generated configurations (literal, parameter and greedy path parts, siblings such as
 * `/items/{p1}` next to `/items/special`, API routes the authorizer does not know), principals with
 * scopes and grants, and requests whose ids hold `*`, `?`, `%2F`, line terminators, with one
 * credential or a repeated header; each request is sent to two models of API Gateway in front of the
 * real handler: one caching with the synthesized stack's identity sources and TTL, one with caching
 * off.
 */
import fc from "fast-check";
import { readLambdaAuthorizer, type ModelAnswer, type ModelRequest } from "../../../../testing/api-gateway";
import { FC_SEED } from "../../../../testing/authorizer-harness";
import { startModelledAuthorizerBench, type ModelledAuthorizerBench } from "../../../../testing/modelled-authorizer";
import { synthStack } from "../../../../testing/synth";

const RUNS = 100;
const REQUESTS_PER_RUN = 100;
const SCOPES = ["api.example.com/read", "api.example.com/write"] as const;
const LITERALS = ["items", "special", "files", "meta"] as const;
const METHODS = ["GET", "POST", "DELETE"] as const;
const IDS = ["1", "2", "special", "meta", "*", "?", "a%2Fb", "x*y", "a%0Ab", "a?b", "%2A"] as const;

const settings = readLambdaAuthorizer(synthStack().tf);

/** A resource path template: literal parts, `{p<depth>}` parameters, a final `{proxy+}`. */
const templateArb = fc
  .array(
    fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...LITERALS) }, { weight: 2, arbitrary: fc.constant("{p}") }, fc.constant("{proxy+}")),
    {
      maxLength: 3,
    },
  )
  .map((parts) => {
    const greedyAt = parts.indexOf("{proxy+}");
    const kept = greedyAt === -1 ? parts : parts.slice(0, greedyAt + 1);
    return `/${kept.map((part, depth) => (part === "{p}" ? `{p${depth + 1}}` : part)).join("/")}`;
  });

/** Drops greedy parts that sit beside a `{p<n>}` sibling (one variable child per resource). */
function consistent(routeKeys: readonly string[]): string[] {
  const parameterParents = new Set(
    routeKeys.flatMap((key) => {
      const parts = key.split(" ")[1]!.split("/");
      return parts.flatMap((part, index) => (/^\{p\d\}$/.test(part) ? [parts.slice(0, index).join("/")] : []));
    }),
  );
  return routeKeys.filter((key) => {
    const path = key.split(" ")[1]!;
    return !(path.endsWith("/{proxy+}") && parameterParents.has(path.slice(0, -"/{proxy+}".length)));
  });
}

interface Principal {
  readonly scopes: readonly string[];
  readonly grants: readonly string[];
}

const scopesArb = fc.subarray([...SCOPES]);

const scenarioArb = fc
  .uniqueArray(
    fc.tuple(fc.constantFrom(...METHODS), templateArb).map(([method, path]) => `${method} ${path}`),
    { minLength: 1, maxLength: 7 },
  )
  .map(consistent)
  .filter((routes) => routes.length > 0)
  .chain((apiRoutes) =>
    fc.record({
      apiRoutes: fc.constant(apiRoutes),
      // Each API route is known to the authorizer (with its scopes) or not.
      known: fc.tuple(...apiRoutes.map(() => fc.option(scopesArb, { freq: 5 }))),
      principals: fc.array(
        fc.record({
          scopes: scopesArb,
          grants: fc.subarray([...apiRoutes, ...apiRoutes.map((key) => `* ${key.split(" ")[1]}`), "GET /unconfigured/{p1}"]),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      methodArnPath: fc.constantFrom("raw" as const, "decoded" as const),
    }),
  )
  .filter(({ known }) => known.some((scopes) => scopes !== null));

/** One credential: a principal's token, a garbage token, a Basic value (Basic is off here). */
type Single = { kind: "principal"; index: number } | { kind: "garbage" } | { kind: "basic" };

type Credential =
  | Single
  | { kind: "none" }
  /** The header sent several times: the same spelling of its name, or `authorization` then `Authorization`. */
  | { kind: "repeated"; values: Single[]; spelling: "same" | "mixed" };

const singleArb = (principals: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.nat(principals - 1).map((index): Single => ({ kind: "principal", index })) },
    fc.constant<Single>({ kind: "garbage" }),
    fc.constant<Single>({ kind: "basic" }),
  );

const requestArb = (apiRoutes: readonly string[], principals: number) =>
  fc.record({
    credential: fc.oneof(
      { weight: 12, arbitrary: fc.nat(principals - 1).map((index): Credential => ({ kind: "principal", index })) },
      fc.constant<Credential>({ kind: "none" }),
      fc.constant<Credential>({ kind: "garbage" }),
      fc.constant<Credential>({ kind: "basic" }),
      {
        weight: 3,
        arbitrary: fc
          .record({ values: fc.array(singleArb(principals), { minLength: 2, maxLength: 3 }), spelling: fc.constantFrom("same", "mixed") })
          .map((repeated): Credential => ({ kind: "repeated", ...repeated })),
      },
    ),
    target: fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({
          route: fc.constantFrom(...apiRoutes),
          ids: fc.array(fc.constantFrom(...IDS), { minLength: 3, maxLength: 3 }),
          greedy: fc.array(fc.constantFrom(...IDS), { minLength: 1, maxLength: 3 }),
          method: fc.option(fc.constantFrom(...METHODS), { freq: 4 }),
        }),
      },
      fc.record({
        parts: fc.array(fc.constantFrom(...LITERALS, ...IDS, ""), { maxLength: 4 }),
        method: fc.constantFrom(...METHODS),
      }),
    ),
  });

function toRequest(request: { credential: Credential; target: any }, tokens: readonly string[]): ModelRequest {
  const { credential, target } = request;
  let path: string;
  let method: string;
  if ("route" in target) {
    const [routeMethod, template] = (target.route as string).split(" ") as [string, string];
    method = target.method ?? routeMethod;
    path = template.replace(/\{p(\d)\}/g, (_, depth: string) => target.ids[Number(depth) - 1]).replace("{proxy+}", target.greedy.join("/"));
  } else {
    method = target.method;
    path = `/${(target.parts as string[]).join("/")}`;
  }
  const headers: (readonly [string, string])[] = [];
  if (credential.kind === "repeated") {
    credential.values.forEach((single, index) => {
      const name = credential.spelling === "mixed" && index % 2 === 0 ? "authorization" : "Authorization";
      headers.push([name, headerValue(single, tokens)]);
    });
  } else if (credential.kind !== "none") {
    headers.push(["Authorization", headerValue(credential, tokens)]);
  }
  return { method, path, headers };
}

function headerValue(single: Single, tokens: readonly string[]): string {
  if (single.kind === "principal") return `Bearer ${tokens[single.index]}`;
  if (single.kind === "garbage") return "Bearer not.a.token";
  return `Basic ${Buffer.from("u:p").toString("base64")}`;
}

/** The request with only the last `Authorization` value: what the cache key of a repeated request holds. */
function lastValueAlone(request: ModelRequest): ModelRequest {
  const last = request.headers!.at(-1)!;
  return { ...request, headers: [["Authorization", last[1]]] };
}

const comparable = (answer: ModelAnswer) => ({ status: answer.status, resource: answer.resource, reason: answer.reason });

/**
 * `expect({ request, answer: comparable(actual) }).toEqual({ request, answer: expected })`, asked of
 * jest only when the two differ field by field (`Object.is`): 20,000 answers are compared, and each
 * `expect` call builds an error with its stack up front, which cost more than the requests.
 */
function expectAnswer(request: ModelRequest, actual: ModelAnswer, expected: ReturnType<typeof comparable>): void {
  const answer = comparable(actual);
  if (
    !Object.is(answer.status, expected.status) ||
    !Object.is(answer.resource, expected.resource) ||
    !Object.is(answer.reason, expected.reason)
  )
    expect({ request, answer }).toEqual({ request, answer: expected });
}

let bench: ModelledAuthorizerBench;
beforeAll(async () => {
  bench = await startModelledAuthorizerBench();
});
afterAll(async () => bench?.close());

test(`every answer through the result cache equals a fresh decision, but for a repeated header answered as its last value alone (${RUNS} configurations × ${REQUESTS_PER_RUN} requests)`, async () => {
  let run = 0;
  const seen = {
    cacheHits: 0,
    allowed: 0,
    denied: 0,
    unauthorized: 0,
    routing: 0,
    repeated: 0,
    repeatedFromCache: 0,
    repeatedAllowedFromCache: 0,
  };
  await fc.assert(
    fc.asyncProperty(
      scenarioArb.chain((scenario) =>
        fc.tuple(
          fc.constant(scenario),
          fc.array(requestArb(scenario.apiRoutes, scenario.principals.length), {
            minLength: REQUESTS_PER_RUN,
            maxLength: REQUESTS_PER_RUN,
          }),
        ),
      ),
      async ([scenario, requests]) => {
        run += 1;
        const names = scenario.principals.map((_, index) => `prop-${run}-u${index}`);
        const routeScopes = Object.fromEntries(
          scenario.apiRoutes.flatMap((key, index) => (scenario.known[index] === null ? [] : [[key, scenario.known[index]!]])),
        );
        const grants = Object.fromEntries(scenario.principals.map((principal: Principal, index) => [names[index]!, principal.grants]));
        const common = { routeScopes, apiRoutes: scenario.apiRoutes, grants };
        const cached = await bench.start(common, settings, { methodArnPath: scenario.methodArnPath });
        const fresh = await bench.start(common, { ...settings, resultTtlSeconds: 0 }, { methodArnPath: scenario.methodArnPath });
        const tokens = scenario.principals.map((principal: Principal, index) => bench.token(names[index]!, principal.scopes));
        for (const generated of requests) {
          const request = toRequest(generated, tokens);
          const [throughCache, decidedFresh] = [await cached.model.send(request), await fresh.model.send(request)];
          if (throughCache.by === "cache") seen.cacheHits += 1;
          if (throughCache.status === 200) seen.allowed += 1;
          if (throughCache.status === 403 && throughCache.by !== "routing") seen.denied += 1;
          if (throughCache.status === 401) seen.unauthorized += 1;
          if (throughCache.by === "routing") seen.routing += 1;
          if (decidedFresh.by === "cache") expect(decidedFresh.by).not.toBe("cache");
          if (generated.credential.kind === "repeated" && decidedFresh.by !== "routing") {
            // The one exception: refused fresh; through the cache, either that refusal or, from the
            // entry of its last value sent alone, exactly that value's answer.
            seen.repeated += 1;
            expect({ request, fresh: decidedFresh }).toEqual({
              request,
              fresh: { status: 401, by: "function", resource: decidedFresh.resource },
            });
            const alone = await fresh.model.send(lastValueAlone(request));
            const expected = throughCache.by === "cache" ? comparable(alone) : comparable(decidedFresh);
            expectAnswer(request, throughCache, expected);
            if (throughCache.by === "cache") seen.repeatedFromCache += 1;
            if (throughCache.by === "cache" && throughCache.status === 200) seen.repeatedAllowedFromCache += 1;
          } else {
            expectAnswer(request, throughCache, comparable(decidedFresh));
          }
        }
      },
    ),
    { seed: FC_SEED, numRuns: RUNS, endOnFailure: true },
  );
  // The generated traffic exercised what the property is about.
  expect(run * REQUESTS_PER_RUN).toBeGreaterThanOrEqual(10_000);
  expect(seen.cacheHits).toBeGreaterThan(2_000);
  for (const count of [seen.allowed, seen.denied, seen.unauthorized, seen.routing]) expect(count).toBeGreaterThan(100);
  // The exception was exercised both ways: repeated headers refused fresh, and answered from a cached entry.
  expect(seen.repeated - seen.repeatedFromCache).toBeGreaterThan(100);
  expect(seen.repeatedAllowedFromCache).toBeGreaterThan(20);
}, 300_000);
