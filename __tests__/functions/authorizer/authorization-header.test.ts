import { parseAuthorizationHeader } from "../../../functions/authorizer/authorization-header";

describe("parseAuthorizationHeader", () => {
  test.each([
    ["Bearer", ["Bearer abc.def.ghi"], { scheme: "bearer", token: "abc.def.ghi" }],
    ["bearer in lower case", ["bearer abc.def.ghi"], { scheme: "bearer", token: "abc.def.ghi" }],
    [
      "Basic",
      [`Basic ${Buffer.from("alice:pw").toString("base64")}`],
      { scheme: "basic", credentials: { username: "alice", password: "pw" } },
    ],
  ])("reads %s", (_title, values, parsed) => {
    expect(parseAuthorizationHeader(values)).toEqual(parsed);
  });

  test.each([
    ["no value", [], "HEADER_MISSING"],
    ["an empty value", [""], "HEADER_MISSING"],
    ["two values", ["Bearer a.b.c", "Bearer a.b.c"], "HEADER_MALFORMED"],
    ["a token without scheme", ["abc.def.ghi"], "HEADER_MALFORMED"],
    ["Bearer without token", ["Bearer"], "HEADER_MALFORMED"],
    ["Bearer with two spaces", ["Bearer  abc.def.ghi"], "HEADER_MALFORMED"],
    ["two tokens", ["Bearer a.b.c, Bearer d.e.f"], "HEADER_MALFORMED"],
    ["characters outside b64token", ['Bearer a.b.c"x'], "HEADER_MALFORMED"],
    ["another scheme", ["Token abc"], "HEADER_MALFORMED"],
    ["a malformed Basic", ["Basic !!!"], "HEADER_MALFORMED"],
  ])("refuses %s", (_title, values, reason) => {
    expect(parseAuthorizationHeader(values)).toEqual({ scheme: "invalid", reason });
  });
});
