import { decide, type Identity } from "../../../functions/authorizer/decide";

const READ = "api.example.com/read";
const WRITE = "api.example.com/write";

// GIVEN a configuration of four routes: scoped reads and writes, one route needing no scope, one nested.
const routeScopes = new Map<string, readonly string[]>([
  ["GET /resource", [READ]],
  ["POST /resource", [WRITE]],
  ["GET /resource/{id}", [READ, "api.example.com/admin"]],
  ["GET /health", []],
]);

const alice = (scopes: readonly string[]): Identity => ({ principal: "user#alice", authType: "bearer", clientId: "web", scopes });
const basicAlice: Identity = { principal: "user#alice", authType: "basic", clientId: "legacy", scopes: [] };

describe("decide", () => {
  describe("the decision table", () => {
    test.each([
      // [title, identity, routeKey, grants, effect, reason]
      ["bearer with the scope and a grant", alice([READ]), "GET /resource", ["GET /resource"], "Allow", "ALLOWED"],
      ["bearer with a wildcard-method grant", alice([READ]), "GET /resource", ["* /resource"], "Allow", "ALLOWED"],
      [
        "bearer with one of two accepted scopes",
        alice(["api.example.com/admin"]),
        "GET /resource/{id}",
        ["GET /resource/{id}"],
        "Allow",
        "ALLOWED",
      ],
      ["bearer on a route needing no scope, with a grant", alice([]), "GET /health", ["GET /health"], "Allow", "ALLOWED"],
      ["basic with a grant (no scope rule)", basicAlice, "POST /resource", ["POST /resource"], "Allow", "ALLOWED"],
      ["fails when the route is not configured", alice([READ]), "DELETE /resource", ["* /resource"], "Deny", "ROUTE_NOT_CONFIGURED"],
      ["fails when the bearer token lacks the scope", alice([WRITE]), "GET /resource", ["GET /resource"], "Deny", "SCOPE_MISSING"],
      ["fails when the scope is there but no grant", alice([READ]), "GET /resource", [], "Deny", "GRANT_MISSING"],
      ["fails when the grant names another method", alice([READ, WRITE]), "POST /resource", ["GET /resource"], "Deny", "GRANT_MISSING"],
      ["fails when the grant names a parent path only", alice([READ]), "GET /resource/{id}", ["GET /resource"], "Deny", "GRANT_MISSING"],
      [
        "fails when the grant names a differently named parameter",
        alice([READ]),
        "GET /resource/{id}",
        ["GET /resource/{key}"],
        "Deny",
        "GRANT_MISSING",
      ],
      ["fails when a route needing no scope has no grant", alice([]), "GET /health", [], "Deny", "GRANT_MISSING"],
      ["fails when basic has no grant", basicAlice, "GET /resource", [], "Deny", "GRANT_MISSING"],
      [
        "fails when a grant is malformed (never widened)",
        alice([READ]),
        "GET /resource",
        ["get /resource", "GET /resource/"],
        "Deny",
        "GRANT_MISSING",
      ],
    ] as const)("%s", (_title, identity, routeKey, grants, effect, reason) => {
      // WHEN deciding
      const decision = decide({ identity, routeKey, routeScopes, grants });
      // THEN the effect and reason are those of the table
      expect(decision.effect).toBe(effect);
      expect(decision.reason).toBe(reason);
    });
  });

  describe("scopes are compared as exact space-separated tokens", () => {
    test.each([
      ["a longer scope with the same prefix", ["api.example.com/read-all"]],
      ["a scope differing in case", ["API.EXAMPLE.COM/READ"]],
      ["the resource server identifier alone", ["api.example.com"]],
      ["comma-joined scopes as one token", [`${READ},${WRITE}`]],
    ])("refuses %s", (_title, scopes) => {
      expect(decide({ identity: alice(scopes), routeKey: "GET /resource", routeScopes, grants: ["GET /resource"] }).reason).toBe(
        "SCOPE_MISSING",
      );
    });
  });

  describe("cost", () => {
    test("GIVEN a route unknown to the configuration THEN ROUTE_NOT_CONFIGURED, without reading any other route", () => {
      // A Map whose iteration throws: decide may look up the called route, never walk the others.
      const lookupOnly = new Map(routeScopes);
      lookupOnly[Symbol.iterator] = () => {
        throw new Error("decide walked the configured routes");
      };
      lookupOnly.entries = lookupOnly.keys = lookupOnly.values = lookupOnly[Symbol.iterator] as never;
      expect(decide({ identity: basicAlice, routeKey: "GET /admin", routeScopes: lookupOnly, grants: ["GET /admin"] })).toEqual({
        effect: "Deny",
        reason: "ROUTE_NOT_CONFIGURED",
      });
      expect(decide({ identity: basicAlice, routeKey: "GET /resource", routeScopes: lookupOnly, grants: ["GET /resource"] })).toEqual({
        effect: "Allow",
        reason: "ALLOWED",
      });
    });
  });
});
