import { scopeIdentifier, splitScopeIdentifier } from "../../core/scopes";

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
