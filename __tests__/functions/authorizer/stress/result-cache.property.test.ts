/**
 * Property: through API Gateway's authorizer result cache, every answer equals the answer of a fresh
 * decision. Generated configurations (literal, parameter and greedy path parts, siblings such as
 * `/items/{p1}` next to `/items/special`, API routes the authorizer does not know), principals with
 * scopes and grants, and requests whose ids hold `*`, `?`, `%2F`, line terminators; each request is
 * sent to two models of API Gateway in front of the real handler: one caching with the synthesized
 * stack's identity sources and TTL, one with caching off.
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

type Credential =
  | { kind: "principal"; index: number }
  | { kind: "none" }
  | { kind: "garbage" }
  | { kind: "basic" }
  | { kind: "two"; first: number; last: number };

const requestArb = (apiRoutes: readonly string[], principals: number) =>
  fc.record({
    credential: fc.oneof(
      { weight: 12, arbitrary: fc.nat(principals - 1).map((index): Credential => ({ kind: "principal", index })) },
      fc.constant<Credential>({ kind: "none" }),
      fc.constant<Credential>({ kind: "garbage" }),
      fc.constant<Credential>({ kind: "basic" }),
      fc.tuple(fc.nat(principals - 1), fc.nat(principals - 1)).map(([first, last]): Credential => ({ kind: "two", first, last })),
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
  if (credential.kind === "principal") headers.push(["Authorization", `Bearer ${tokens[credential.index]}`]);
  if (credential.kind === "garbage") headers.push(["Authorization", "Bearer not.a.token"]);
  if (credential.kind === "basic") headers.push(["Authorization", `Basic ${Buffer.from("u:p").toString("base64")}`]);
  if (credential.kind === "two") {
    headers.push(["authorization", `Bearer ${tokens[credential.first]}`], ["Authorization", `Bearer ${tokens[credential.last]}`]);
  }
  return { method, path, headers };
}

const comparable = (answer: ModelAnswer) => ({ status: answer.status, resource: answer.resource, reason: answer.reason });

let bench: ModelledAuthorizerBench;
beforeAll(async () => {
  bench = await startModelledAuthorizerBench();
});
afterAll(async () => bench?.close());

test(`every answer through the result cache equals a fresh decision (${RUNS} configurations × ${REQUESTS_PER_RUN} requests)`, async () => {
  let run = 0;
  const seen = { cacheHits: 0, allowed: 0, denied: 0, unauthorized: 0, routing: 0 };
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
          expect({ request, answer: comparable(throughCache) }).toEqual({ request, answer: comparable(decidedFresh) });
          expect(decidedFresh.by).not.toBe("cache");
        }
      },
    ),
    { seed: FC_SEED, numRuns: RUNS, endOnFailure: true },
  );
  // The generated traffic exercised what the property is about.
  expect(run * REQUESTS_PER_RUN).toBeGreaterThanOrEqual(10_000);
  expect(seen.cacheHits).toBeGreaterThan(2_000);
  for (const count of [seen.allowed, seen.denied, seen.unauthorized, seen.routing]) expect(count).toBeGreaterThan(100);
}, 300_000);
