import { createBasicAuthenticator } from "../../../../functions/authorizer/basic-auth";
import { createGrantStore } from "../../../../functions/authorizer/grants";
import { TABLE_NAME } from "../../../../testing/authorizer-fixture";
import { base64url } from "../../../../testing/keys";

// The bounded caches of the grant store and the Basic authenticator, with stand-in clients; the
// handler's caches under load, against the local servers, are in load.local.test.ts.

const START_MS = 1_800_000_000_000;

describe("memory: caches stay within their configured maxima", () => {
  test("GIVEN a grant cache of 50 entries WHEN 20,000 principals are read THEN only the 50 most recent are served without a GetItem", async () => {
    let sends = 0;
    const dynamoDb = { getItem: async () => (sends++, { Item: { routes: { L: [{ S: "GET /resource" }] } } }) };
    const store = createGrantStore(
      { tableName: TABLE_NAME, cacheTtlSeconds: 30, maxCacheEntries: 50 },
      { dynamoDb, now: () => START_MS, log: () => undefined },
    );
    const principals = Array.from({ length: 20_000 }, (_, index) => `user#p${index}`);
    for (const principal of principals) await store.getGrants(principal);
    expect(sends).toBe(20_000);
    for (const principal of principals.slice(-50)) expect(await store.getGrants(principal)).toMatchObject({ ok: true, fromCache: true });
    expect(sends).toBe(20_000);
    expect(await store.getGrants(principals[20_000 - 51]!)).toMatchObject({ ok: true, fromCache: false });
    expect(sends).toBe(20_001);
  });

  test("GIVEN a Basic sign-in cache of 100 entries WHEN 20,000 distinct credentials sign in THEN only the 100 most recent are reused", async () => {
    let sends = 0;
    const accessToken = (user: string) => `${base64url({ alg: "RS256" })}.${base64url({ username: user })}.c2ln`;
    const cognito = {
      adminInitiateAuth: async (input: { AuthParameters?: Readonly<Record<string, string>> }) => (
        sends++,
        { AuthenticationResult: { AccessToken: accessToken(input.AuthParameters!.USERNAME!) } }
      ),
    };
    const credentials = Array.from({ length: 20_000 }, (_, index) => ({ username: `user${index}`, password: `pw-${index}` }));
    const authenticator = createBasicAuthenticator(
      {
        userPoolId: "us-east-1_LoadTest1",
        clientId: "c",
        cacheTtlSeconds: 60,
        maxCacheEntries: 100,
        designatedUsers: credentials.map((each) => each.username),
      },
      { cognito, now: () => START_MS, failedSignInLimit: null },
    );
    for (const each of credentials) await authenticator.signIn(each);
    for (const each of credentials.slice(-100)) expect(await authenticator.signIn(each)).toMatchObject({ ok: true, fromCache: true });
    expect(sends).toBe(20_000);
    expect(await authenticator.signIn(credentials[20_000 - 101]!)).toMatchObject({ ok: true, fromCache: false });
    expect(sends).toBe(20_001);
  });
});
