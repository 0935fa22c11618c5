import {
  formatRouteKey,
  grantCovers,
  isRouteKey,
  parseRouteKey,
  readRouteScopes,
  resourcePathProblem,
  routeScopeTable,
} from "../../core/routes";

describe("parseRouteKey", () => {
  test.each([
    ["GET /", { method: "GET", resourcePath: "/" }],
    ["POST /resource", { method: "POST", resourcePath: "/resource" }],
    ["DELETE /resource/{id}", { method: "DELETE", resourcePath: "/resource/{id}" }],
    ["OPTIONS /a.b/c_d/e-f/{proxy+}", { method: "OPTIONS", resourcePath: "/a.b/c_d/e-f/{proxy+}" }],
  ])("accepts %s", (text, routeKey) => {
    expect(parseRouteKey(text)).toEqual({ ok: true, routeKey });
    expect(formatRouteKey(routeKey as never)).toBe(text);
  });

  test("accepts * as the method only when asked (grants)", () => {
    expect(isRouteKey("* /resource")).toBe(false);
    expect(parseRouteKey("* /resource", { allowAnyMethod: true })).toEqual({
      ok: true,
      routeKey: { method: "*", resourcePath: "/resource" },
    });
  });

  test.each([
    [
      "a lower-case method",
      "get /resource",
      'must be "<METHOD> <resource path>" with METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, got "get /resource"',
    ],
    ["ANY", "ANY /resource", "METHOD one of"],
    ["two spaces", "GET  /resource", 'got "GET  /resource"'],
    ["no path", "GET", 'got "GET"'],
    ["a relative path", "GET resource", "resource path must be"],
    ["a trailing slash", "GET /resource/", "resource path must be"],
    ["an empty segment", "GET /a//b", "resource path must be"],
    ["a wildcard", "GET /resource/*", "resource path must be"],
    ["a greedy parameter not last", "GET /{proxy+}/a", "resource path must be"],
    ["an unclosed parameter", "GET /{id", "resource path must be"],
    ["a query string", "GET /resource?x=1", "resource path must be"],
  ])("refuses %s, saying what is allowed", (_title, text, problem) => {
    const result = parseRouteKey(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain(problem);
  });
});

describe("resourcePathProblem", () => {
  test("names the value received", () => {
    expect(resourcePathProblem("/a/")).toMatch(/got "\/a\/"$/);
    expect(resourcePathProblem("/a/{b}")).toBeUndefined();
  });
});

describe("grantCovers", () => {
  test.each([
    ["the same method and path", "GET /resource", "GET /resource", true],
    ["the * method", "* /resource/{id}", "DELETE /resource/{id}", true],
    ["another method", "POST /resource", "GET /resource", false],
    ["a parent path", "GET /resource", "GET /resource/{id}", false],
    ["a child path", "GET /resource/{id}", "GET /resource", false],
    ["a differently named parameter", "GET /resource/{key}", "GET /resource/{id}", false],
    ["a case difference in the path", "GET /Resource", "GET /resource", false],
    ["a malformed grant", "get /resource", "GET /resource", false],
    ["a * route (not a concrete call)", "* /resource", "* /resource", false],
  ])("%s → %s", (_title, grant, route, covers) => {
    expect(grantCovers(grant, route)).toBe(covers);
  });
});

describe("routeScopeTable", () => {
  test("GIVEN routes THEN each route key maps to its scopes, in order, an empty list kept", () => {
    const table = routeScopeTable([
      { method: "GET", path: "/items/{id}", scopes: ["api/read"] },
      { method: "POST", path: "/", scopes: [] },
    ]);
    expect([...table]).toEqual([
      ["GET /items/{id}", ["api/read"]],
      ["POST /", []],
    ]);
  });
});

describe("readRouteScopes (the decoder of routeScopeTable's table)", () => {
  test("GIVEN the table routeScopeTable builds, as JSON WHEN read THEN the same routes and scopes come back, with no problem", () => {
    const table = routeScopeTable([
      { method: "GET", path: "/items/{id}", scopes: ["api/read"] },
      { method: "POST", path: "/", scopes: [] },
    ]);
    const problems: string[] = [];
    const read = readRouteScopes(JSON.stringify(Object.fromEntries(table)), (allowed) => problems.push(allowed));
    expect([...read]).toEqual([...table]);
    expect(problems).toEqual([]);
  });

  test("leaves out each entry the authorizer refuses, naming it once", () => {
    const problems: string[] = [];
    const text = JSON.stringify({ "GET /ok": ["api/read"], "GET items": ["api/read"], "GET /space": ["api read"], "GET /n": [1] });
    expect([...readRouteScopes(text, (allowed) => problems.push(allowed)).keys()]).toEqual(["GET /ok"]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('"GET items"');
  });

  test.each([
    [undefined, /must be a JSON object/],
    ["{not json", /not valid JSON/],
    ["{}", /at least one route/],
    ["[]", /at least one route/],
  ])("fails when the table is %p", (text, message) => {
    const problems: string[] = [];
    expect(readRouteScopes(text, (allowed) => problems.push(allowed)).size).toBe(0);
    expect(problems).toEqual([expect.stringMatching(message)]);
  });
});
