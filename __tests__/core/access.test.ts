import { coveringGrant, scopesHeld } from "../../core/access";

describe("access", () => {
  test("GIVEN a token's scopes THEN the route's scopes it holds come back in the route's order, compared exactly", () => {
    expect(scopesHeld(["api/write", "api/read"], ["openid", "api/read", "api/write"])).toEqual(["api/write", "api/read"]);
    expect(scopesHeld(["api/read"], ["API/read", "api/readonly"])).toEqual([]);
  });

  test("GIVEN grants THEN the first one covering the route is named, and none when no grant covers it", () => {
    expect(coveringGrant(["GET /a", "* /b/{id}", "GET /b/{id}"], "GET /b/{id}")).toBe("* /b/{id}");
    expect(coveringGrant(["GET /b", "POST /b/{id}"], "GET /b/{id}")).toBeUndefined();
  });
});
