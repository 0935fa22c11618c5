import { clientPrincipal, decodeGrantItem, encodeGrantItem, userPrincipal } from "../../core/grant-item";

describe("encodeGrantItem", () => {
  test("GIVEN a principal and routes WHEN encoded and decoded THEN the same grants come back", () => {
    const item = encodeGrantItem({ principal: userPrincipal("alice"), routes: ["GET /resource", "* /resource/{id}"] });
    expect(item).toEqual({ principal: { S: "user#alice" }, routes: { L: [{ S: "GET /resource" }, { S: "* /resource/{id}" }] } });
    expect(decodeGrantItem(item)).toEqual({
      principal: "user#alice",
      hasRouteList: true,
      routeKeys: ["GET /resource", "* /resource/{id}"],
      problems: [],
    });
  });

  test("names principals by kind", () => {
    expect([userPrincipal("bob"), clientPrincipal("abc123")]).toEqual(["user#bob", "client#abc123"]);
  });
});

describe("decodeGrantItem", () => {
  test("GIVEN no item THEN no grants and no problem", () => {
    expect(decodeGrantItem(undefined)).toEqual({ principal: undefined, hasRouteList: false, routeKeys: [], problems: [] });
  });

  test("GIVEN method wildcards and path parameters THEN they are kept as written", () => {
    expect(decodeGrantItem({ routes: { L: [{ S: "* /a/{id}" }, { S: "DELETE /a/{proxy+}" }] } }).routeKeys).toEqual([
      "* /a/{id}",
      "DELETE /a/{proxy+}",
    ]);
  });

  test("GIVEN no routes list THEN no grants, and the problem is named", () => {
    expect(decodeGrantItem({ principal: { S: "user#a" } })).toEqual({
      principal: "user#a",
      hasRouteList: false,
      routeKeys: [],
      problems: ['no "routes" attribute'],
    });
    expect(decodeGrantItem({ principal: { S: "user#a" }, routes: { S: "GET /a" } }).problems).toEqual(['"routes" is not a list (L)']);
  });

  test.each([
    ["a lower-case method", "get /a"],
    ["a path wildcard", "GET /a/*"],
    ["no path", "GET"],
    ["two spaces", "GET  /a"],
    ["a relative path", "GET a"],
  ])("ignores an entry with %s", (_title, route) => {
    const reading = decodeGrantItem({ routes: { L: [{ S: route }] } });
    expect(reading.routeKeys).toEqual([]);
    expect(reading.problems).toHaveLength(1);
  });

  test("ignores an entry that is not a string", () => {
    const reading = decodeGrantItem({ routes: { L: [{ L: [] }, { S: "GET /a" }] } });
    expect(reading).toMatchObject({ routeKeys: ["GET /a"], problems: ["routes[0] is not a string (S)"] });
  });
});
