import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoApi } from "../../../functions/authorizer/aws/cognito";
import { createBasicAuthenticator, type BasicCredentials, type BasicSignInCaller } from "../../../functions/authorizer/basic-auth";
import { reasonKind } from "../../../functions/authorizer/reasons";
import {
  createBasicSignInPool,
  createCognitoClient,
  createSignInCognito,
  createUser,
  startCognitoLocal,
  type BasicSignInPool,
  type CognitoLocal,
} from "../../../testing/cognito-local";
import { closedEndpoint } from "../../../testing/network";
import { countCalls } from "../../../testing/aws-calls";

// The Basic authenticator against cognito-local; its parsing, and the answers only a scripted
// endpoint gives, are in basic-auth.test.ts.

describe("createBasicAuthenticator (against cognito-local)", () => {
  const ALICE_PASSWORD = "correct:horse:battery-Staple1";
  let cognitoLocal: CognitoLocal;
  let admin: CognitoIdentityProviderClient;
  let pool: BasicSignInPool;
  const clients: CognitoApi[] = [];

  beforeAll(async () => {
    cognitoLocal = await startCognitoLocal();
    admin = createCognitoClient(cognitoLocal.endpoint);
    pool = await createBasicSignInPool(admin);
    await createUser(admin, pool.userPoolId, "alice", { permanentPassword: ALICE_PASSWORD });
  });

  afterAll(async () => {
    admin?.destroy();
    await cognitoLocal?.close();
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  function authenticator(
    options: {
      endpoint?: string;
      cacheTtlSeconds?: number;
      clientId?: string;
      designatedUsers?: string[];
      sourceIpInCacheKey?: boolean;
    } = {},
  ) {
    const { client: cognito, calls } = countCalls(createSignInCognito(options.endpoint ?? cognitoLocal.endpoint));
    clients.push(cognito);
    const clock = { ms: 1_800_000_000_000 };
    const basic = createBasicAuthenticator(
      {
        userPoolId: pool.userPoolId,
        clientId: options.clientId ?? pool.clientId,
        cacheTtlSeconds: options.cacheTtlSeconds ?? 60,
        designatedUsers: options.designatedUsers ?? ["alice", "bob"],
        sourceIpInCacheKey: options.sourceIpInCacheKey ?? false,
      },
      // The limit is tested in sign-in-limit.local.test.ts and, wired in, in handler.local.test.ts.
      { cognito, now: () => clock.ms, failedSignInLimit: null },
    );
    return { basic, calls, clock };
  }

  const alice: BasicCredentials = { username: "alice", password: ALICE_PASSWORD };

  test("GIVEN a user with a permanent password WHEN it signs in THEN the identity is user#<username claim>", async () => {
    const { basic } = authenticator();
    expect(await basic.signIn(alice)).toEqual({
      ok: true,
      fromCache: false,
      identity: { principal: "user#alice", authType: "basic", clientId: pool.clientId, scopes: [], username: "alice" },
    });
  });

  test("fails when the password is wrong or the user unknown, with the same reason (401)", async () => {
    const { basic } = authenticator();
    const wrongPassword = await basic.signIn({ username: "alice", password: "wrong-Password1" });
    const unknownUser = await basic.signIn({ username: "bob", password: ALICE_PASSWORD });
    expect(wrongPassword).toMatchObject({ ok: false, reason: "BASIC_SIGN_IN_FAILED" });
    expect(unknownUser).toMatchObject({ ok: false, reason: "BASIC_SIGN_IN_FAILED" });
    expect(reasonKind("BASIC_SIGN_IN_FAILED")).toBe("authentication");
  });

  test("fails when the user is not designated, with the right password, without asking Cognito: BASIC_USER_NOT_DESIGNATED (401)", async () => {
    const { basic, calls } = authenticator({ designatedUsers: ["bob"] });
    expect(await basic.signIn(alice)).toEqual({ ok: false, reason: "BASIC_USER_NOT_DESIGNATED", detail: undefined });
    expect(calls.count()).toBe(0);
    expect(reasonKind("BASIC_USER_NOT_DESIGNATED")).toBe("authentication");
  });

  test("GIVEN a designated name in another case WHEN compared THEN it is designated (the pool's usernames are case-insensitive)", async () => {
    const { basic, calls } = authenticator({ designatedUsers: ["ALICE"] });
    expect(await basic.signIn(alice)).toMatchObject({ ok: true, identity: { principal: "user#alice" } });
    expect(calls.count("adminInitiateAuth")).toBe(1);
  });

  test("fails when the password is empty, without asking Cognito", async () => {
    const { basic, calls } = authenticator();
    expect(await basic.signIn({ username: "alice", password: "" })).toMatchObject({ ok: false, reason: "BASIC_SIGN_IN_FAILED" });
    expect(calls.count()).toBe(0);
  });

  describe("the sign-in cache", () => {
    test("GIVEN a successful sign-in WHEN the same credentials come again within the TTL THEN Cognito is not called; after it, it is", async () => {
      const { basic, calls, clock } = authenticator({ cacheTtlSeconds: 60 });
      await basic.signIn(alice);
      clock.ms += 59_999;
      expect(await basic.signIn(alice)).toMatchObject({ ok: true, fromCache: true });
      expect(calls.count("adminInitiateAuth")).toBe(1);
      clock.ms += 1;
      expect(await basic.signIn(alice)).toMatchObject({ ok: true, fromCache: false });
      expect(calls.count("adminInitiateAuth")).toBe(2);
    });

    test("GIVEN a cached sign-in WHEN the same user comes with a wrong password THEN Cognito is asked and refuses", async () => {
      const { basic, calls } = authenticator();
      await basic.signIn(alice);
      expect(await basic.signIn({ username: "alice", password: `${ALICE_PASSWORD}x` })).toMatchObject({
        ok: false,
        reason: "BASIC_SIGN_IN_FAILED",
      });
      expect(calls.count("adminInitiateAuth")).toBe(2);
    });

    test("GIVEN a refused sign-in WHEN it is repeated THEN Cognito is asked again (failures are not cached)", async () => {
      const { basic, calls } = authenticator();
      await basic.signIn({ username: "alice", password: "wrong-Password1" });
      await basic.signIn({ username: "alice", password: "wrong-Password1" });
      expect(calls.count("adminInitiateAuth")).toBe(2);
    });

    test("GIVEN 10 concurrent identical sign-ins THEN one Cognito call is made (single flight)", async () => {
      const { basic, calls } = authenticator();
      const results = await Promise.all(Array.from({ length: 10 }, () => basic.signIn(alice)));
      expect(results.every((result) => result.ok)).toBe(true);
      expect(calls.count("adminInitiateAuth")).toBe(1);
    });

    const fromIp = (sourceIp: string): BasicSignInCaller => ({
      sourceIp,
      serverName: "api.example.com",
      serverPath: "/v1/resource",
      headers: {},
    });

    test("GIVEN threat protection (source IP in the key) WHEN the same credentials come from another address THEN Cognito is asked again", async () => {
      const { basic, calls } = authenticator({ sourceIpInCacheKey: true });
      await basic.signIn(alice, fromIp("203.0.113.1"));
      expect(await basic.signIn(alice, fromIp("203.0.113.1"))).toMatchObject({ ok: true, fromCache: true });
      expect(await basic.signIn(alice, fromIp("198.51.100.2"))).toMatchObject({ ok: true, fromCache: false });
      expect(calls.count("adminInitiateAuth")).toBe(2);
    });

    test("GIVEN threat protection off WHEN the same credentials come from another address THEN the sign-in is reused", async () => {
      const { basic, calls } = authenticator({ sourceIpInCacheKey: false });
      await basic.signIn(alice, fromIp("203.0.113.1"));
      expect(await basic.signIn(alice, fromIp("198.51.100.2"))).toMatchObject({ ok: true, fromCache: true });
      expect(calls.count("adminInitiateAuth")).toBe(1);
    });

    test("GIVEN a TTL of 0 THEN every sign-in calls Cognito", async () => {
      const { basic, calls } = authenticator({ cacheTtlSeconds: 0 });
      await basic.signIn(alice);
      await basic.signIn(alice);
      expect(calls.count("adminInitiateAuth")).toBe(2);
    });
  });

  describe("dependency failures: SIGN_IN_UNAVAILABLE (500), never an identity", () => {
    test("fails when Cognito is down", async () => {
      const { basic } = authenticator({ endpoint: await closedEndpoint() });
      expect(await basic.signIn(alice)).toMatchObject({ ok: false, reason: "SIGN_IN_UNAVAILABLE" });
      expect(reasonKind("SIGN_IN_UNAVAILABLE")).toBe("dependency");
    });

    test("fails when the app client does not exist (a deployment error must not look like a wrong password)", async () => {
      const { basic } = authenticator({ clientId: "nosuchclient" });
      expect(await basic.signIn(alice)).toMatchObject({ ok: false, reason: "SIGN_IN_UNAVAILABLE", detail: "ResourceNotFoundException" });
    });
  });
});
