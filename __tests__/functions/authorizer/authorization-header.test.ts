import { parseAuthorizationHeader } from "../../../functions/authorizer/authorization-header";

const once = (value: string | undefined) => ({ value, occurrences: value === undefined ? 0 : 1 });
const basicValue = (userPass: string) => `Basic ${Buffer.from(userPass).toString("base64")}`;

describe("parseAuthorizationHeader", () => {
  test.each([
    ["Bearer", "Bearer abc.def.ghi", { scheme: "bearer", token: "abc.def.ghi" }],
    ["bearer in lower case", "bearer abc.def.ghi", { scheme: "bearer", token: "abc.def.ghi" }],
    ["Basic", basicValue("alice:pw"), { scheme: "basic", credentials: { username: "alice", password: "pw" } }],
  ])("reads %s", (_title, value, parsed) => {
    expect(parseAuthorizationHeader(once(value))).toEqual(parsed);
  });

  test.each([
    ["no value", undefined, "HEADER_MISSING"],
    ["an empty value", "", "HEADER_MISSING"],
    ["a token without scheme", "abc.def.ghi", "HEADER_MALFORMED"],
    ["Bearer without token", "Bearer", "HEADER_MALFORMED"],
    ["Bearer with two spaces", "Bearer  abc.def.ghi", "HEADER_MALFORMED"],
    ["two tokens", "Bearer a.b.c, Bearer d.e.f", "HEADER_MALFORMED"],
    // One value holding a comma-joined list (RFC 9110 §5.3 lets a proxy fold repeated fields so): one credential only.
    ["a Bearer and a Basic joined by a comma", `Bearer a.b.c, ${basicValue("legacy:pw")}`, "HEADER_MALFORMED"],
    ["a Basic and a Bearer joined by a comma", `${basicValue("legacy:pw")}, Bearer a.b.c`, "HEADER_MALFORMED"],
    ["two Basic joined by a comma", `${basicValue("legacy:pw")}, ${basicValue("legacy:pw")}`, "HEADER_MALFORMED"],
    ["characters outside b64token", 'Bearer a.b.c"x', "HEADER_MALFORMED"],
    ["another scheme", "Token abc", "HEADER_MALFORMED"],
    ["a malformed Basic", "Basic !!!", "HEADER_MALFORMED"],
  ])("refuses %s", (_title, value, reason) => {
    expect(parseAuthorizationHeader(once(value))).toEqual({ scheme: "invalid", reason });
  });

  test.each([
    ["two well-formed values", "Bearer a.b.c", 2],
    ["a Basic value sent three times", basicValue("legacy:pw"), 3],
    ["an empty value sent twice", "", 2],
    ["no value in `headers` but two occurrences", undefined, 2],
  ])("fails when the header occurs more than once, whatever the values (%s): HEADER_REPEATED", (_title, value, occurrences) => {
    expect(parseAuthorizationHeader({ value, occurrences })).toEqual({ scheme: "invalid", reason: "HEADER_REPEATED" });
  });
});
