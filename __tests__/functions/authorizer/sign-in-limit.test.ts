import { decodeSignInLimitItem, judgeSignInLimit, signInLimitKeyOf, sourceAddressKey } from "../../../functions/authorizer/sign-in-limit";
import { SIGN_IN_LIMIT_KEY_PREFIX } from "../../../core/grant-item";

// The sign-in limit's pure parts; the limiter against dynalite and the handler are in sign-in-limit.local.test.ts.

const START_MS = 1_800_000_000_000;
const WINDOW_SECONDS = 900;
const LIMIT = 3;
const ADDRESS_A = "203.0.113.7";

describe("sourceAddressKey: what counts as one place", () => {
  test.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002:ffff::1", "2001:db8:1:2::/64"],
    ["2001:DB8:1::", "2001:db8:1:0::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("GIVEN %s THEN %s (an IPv6 address counts by its /64, which one subscriber holds)", (ip, key) => {
    expect(sourceAddressKey(ip)).toBe(key);
  });

  test("GIVEN two addresses of one IPv6 /64 THEN one counter; of two /64s THEN two", () => {
    expect(sourceAddressKey("2001:db8:1:2::1")).toBe(sourceAddressKey("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    expect(sourceAddressKey("2001:db8:1:2::1")).not.toBe(sourceAddressKey("2001:db8:1:3::1"));
  });

  test.each([[undefined], [""], ["not-an-address"], ["203.0.113.7#svc"]])("GIVEN %p THEN the shared `unknown` counter", (ip) => {
    expect(sourceAddressKey(ip)).toBe("unknown");
  });
});
describe("signInLimitKeyOf", () => {
  test("GIVEN one account in two cases THEN one key (the pool compares usernames case-insensitively), under the counter prefix", () => {
    expect(signInLimitKeyOf("Svc-Reports", ADDRESS_A)).toBe(signInLimitKeyOf("svc-reports", ADDRESS_A));
    expect(signInLimitKeyOf("svc-reports", ADDRESS_A)).toBe(`${SIGN_IN_LIMIT_KEY_PREFIX}${ADDRESS_A}#svc-reports`);
  });

  test("a key never has a grant's form (user#… or client#…)", () => {
    for (const name of ["user", "client", "user#alice", "client#x"]) {
      expect(signInLimitKeyOf(name, ADDRESS_A)).not.toMatch(/^(user|client)#/);
    }
  });
});
describe("judgeSignInLimit (pure, fake clock)", () => {
  const settings = { maxFailures: LIMIT, windowSeconds: WINDOW_SECONDS };
  const windowMs = WINDOW_SECONDS * 1000;

  test("GIVEN no counter THEN a new window", () => {
    expect(judgeSignInLimit(undefined, START_MS, settings)).toEqual({ state: "expired" });
  });

  test("GIVEN fewer attempts than the limit in the window THEN open", () => {
    expect(judgeSignInLimit({ attempts: LIMIT - 1, windowStartMs: START_MS }, START_MS + windowMs - 1, settings)).toEqual({
      state: "open",
    });
  });

  test("GIVEN the limit reached THEN limited until the window's end, decided from the item's own start", () => {
    expect(judgeSignInLimit({ attempts: LIMIT, windowStartMs: START_MS }, START_MS + 5_000, settings)).toEqual({
      state: "limited",
      untilMs: START_MS + windowMs,
    });
  });

  test("GIVEN the window's end reached THEN a new window, whatever the attempts", () => {
    expect(judgeSignInLimit({ attempts: 99, windowStartMs: START_MS }, START_MS + windowMs, settings)).toEqual({ state: "expired" });
  });
});
describe("decodeSignInLimitItem", () => {
  test("reads attempts and window start; anything else is no counter", () => {
    expect(decodeSignInLimitItem({ attempts: { N: "2" }, windowStartMs: { N: String(START_MS) } })).toEqual({
      attempts: 2,
      windowStartMs: START_MS,
    });
    expect(decodeSignInLimitItem(undefined)).toBeUndefined();
    expect(decodeSignInLimitItem({ attempts: { S: "2" }, windowStartMs: { N: String(START_MS) } })).toBeUndefined();
    expect(decodeSignInLimitItem({ routes: { L: [] } })).toBeUndefined();
  });
});
