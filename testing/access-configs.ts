/**
 * Generated configurations for the tests that prove the access renderings equal (matrix, Cedar twin,
 * authorizer handler): fast-check with a fixed seed, so every run asks the same questions. They
 * vary what decides access: literal paths, parameters and `{proxy+}`, both guards, routes with and
 * without scopes, clients allowed some, all or none of a route's scopes (and `openid`, so ID
 * tokens), machine clients, a legacy client or none, designated and undesignated Basic accounts
 * (designated in another case), grants naming a route or `*` on its path (covering other routes of
 * the path, or not), principals without grants.
 */
import fc from "fast-check";
import { HTTP_METHODS } from "../core/routes";
import type { ScopegateConfig } from "../stacks/config/model";
import { parseConfig } from "../stacks/config/parse";

/** The seed of every generated configuration. */
export const ACCESS_CONFIGS_SEED = 20_261_207;

const IDENTIFIER = "api.gen.example";
const SCOPE_NAMES = ["read", "write", "admin"] as const;
const scopeOf = (name: string) => `${IDENTIFIER}/${name}`;
/** Paths that can live side by side in one API (one parameter name per level). */
const PATHS = ["/", "/items", "/items/{id}", "/items/{id}/files/{proxy+}", "/a-b.c_d", "/items/{id}/tags", "/files/{proxy+}"] as const;
const USERS = ["carol", "dave", "Erin", "svc-batch"] as const;

const subset = <T>(values: readonly T[], minLength = 0) => fc.subarray([...values], { minLength });

const routeArb = fc.record({
  method: fc.constantFrom(...HTTP_METHODS),
  path: fc.constantFrom(...PATHS),
  guard: fc.constantFrom("lambda", "cognito"),
  scopes: subset(SCOPE_NAMES),
});

/** One configuration document (the JSON a user would write). */
export const accessDocumentArb = fc
  .record({
    routes: fc.uniqueArray(routeArb, { minLength: 1, maxLength: 6, selector: (route) => `${route.method} ${route.path}` }),
    users: subset(USERS),
    browsers: fc.array(fc.record({ scopes: subset(SCOPE_NAMES), openid: fc.boolean() }), { maxLength: 2 }),
    machines: fc.array(subset(SCOPE_NAMES, 1), { maxLength: 2 }),
    legacy: fc.boolean(),
    designatedPick: fc.array(fc.boolean(), { minLength: USERS.length, maxLength: USERS.length }),
    designatedUpperCase: fc.boolean(),
    grantPicks: fc.array(fc.array(fc.nat({ max: 99 }), { maxLength: 4 }), { minLength: USERS.length + 2, maxLength: USERS.length + 2 }),
  })
  .map((g) => {
    const routes = g.routes.map((route) => ({
      method: route.method,
      path: route.path,
      guard: route.guard,
      // A cognito route needs a scope.
      scopes: (route.guard === "cognito" && route.scopes.length === 0 ? ["read"] : route.scopes).map(scopeOf),
    }));
    const appClients: Record<string, unknown>[] = [
      ...g.browsers.map((browser, index) => ({
        name: `web${index}`,
        kind: "browser",
        scopes: [...(browser.openid || browser.scopes.length === 0 ? ["openid"] : []), ...browser.scopes.map(scopeOf)],
        callbackUrls: ["https://app.example.com/cb"],
      })),
      ...g.machines.map((scopes, index) => ({ name: `etl${index}`, kind: "machine", scopes: scopes.map(scopeOf) })),
    ];
    if (appClients.length === 0) appClients.push({ name: "etl0", kind: "machine", scopes: [scopeOf("read")] });
    const users = g.users;
    const designated = users.filter((_user, index) => g.designatedPick[index]);
    if (g.legacy && users.length > 0) {
      const basicUsers = (designated.length > 0 ? designated : [users[0]!]).map((name) =>
        g.designatedUpperCase ? name.toUpperCase() : name,
      );
      appClients.push({ name: "legacy", kind: "legacy", basicUsers });
    }
    // Grant candidates: each lambda route, and `*` on its path (the configuration refuses a grant that covers no lambda route).
    const candidates = [
      ...new Set(
        routes.filter((route) => route.guard === "lambda").flatMap((route) => [`${route.method} ${route.path}`, `* ${route.path}`]),
      ),
    ];
    const principals: Record<string, string>[] = [
      ...users.map((user) => ({ user })),
      ...appClients.filter((client) => client.kind === "machine").map((client) => ({ client: client.name as string })),
    ];
    const grants = principals
      .map((principal, index) => ({
        principal,
        routes: candidates.length === 0 ? [] : [...new Set(g.grantPicks[index]!.map((pick) => candidates[pick % candidates.length]!))],
      }))
      .filter((grant) => grant.routes.length > 0);
    return {
      name: "gen",
      userPool: { domainPrefix: "gen-auth" },
      resourceServers: [{ identifier: IDENTIFIER, scopes: SCOPE_NAMES.map((name) => ({ name, description: `${name} items` })) }],
      appClients,
      users: users.map((username) => ({ username })),
      api: { routes },
      authorizationTable: { grants },
    };
  });

/**
 * `count` generated configurations, validated (the same ones on every run).
 *
 * @throws Error when one does not validate (the generator must make valid ones only)
 */
export function generatedAccessConfigs(count: number): ScopegateConfig[] {
  return fc.sample(accessDocumentArb, { seed: ACCESS_CONFIGS_SEED, numRuns: count }).map((document, index) => {
    const config = parseConfig(
      { ...document, name: `gen-${index}`, userPool: { domainPrefix: `gen-${index}-auth` } },
      `generated configuration ${index}`,
    );
    return config;
  });
}
