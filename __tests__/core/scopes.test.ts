import { isScopeToken, scopeIdentifier, splitScopeIdentifier } from "../../core/scopes";

describe("scopes", () => {
  test("GIVEN an identifier with slashes of its own WHEN built and split THEN the parts come back", () => {
    const scope = scopeIdentifier("https://api.example.com/v1", "read");
    expect(scope).toBe("https://api.example.com/v1/read");
    expect(splitScopeIdentifier(scope)).toEqual({ identifier: "https://api.example.com/v1", name: "read" });
  });

  test.each(["openid", "/read", "api/"])("%s is not a custom scope", (scope) => {
    expect(splitScopeIdentifier(scope)).toBeUndefined();
  });
});

describe("isScopeToken (RFC 6749 scope-token)", () => {
  test.each(["api.example.com/read", "https://api.example.com/v1/read", "openid", "a!#[]~"])("accepts %p", (scope) => {
    expect(isScopeToken(scope)).toBe(true);
  });

  test.each(["", "api read", 'say"', "back\\slash", "tab\t", "é", "x".repeat(257)])("refuses %p", (scope) => {
    expect(isScopeToken(scope)).toBe(false);
  });
});
