import { createTokenVerifier, type TokenVerifierSettings } from "../../../functions/authorizer/verify-token";
import { attackCorpus, flipUnusedBit, withSegment } from "../../../testing/token-corpus";
import { reasonKind } from "../../../functions/authorizer/reasons";
import { createSigningKey, jwksOf, signMachineAccessToken, signUserAccessToken } from "../../../testing/keys";
import { startJwksServer, type JwksServer } from "../../../testing/jwks-server";
import { JWKS_CACHE_MAX_AGE_MS, JWKS_COOLDOWN_MS, JWKS_FAILURE_COOLDOWN_MS } from "../../../functions/authorizer/jwks";

const WEB_CLIENT = "webclient1";
const MACHINE_CLIENT = "machineclient1";
const READ = "api.example.com/read";
const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;

// Keys are generated once for the whole file.
const poolKey = createSigningKey("pool-key-1");
const rotatedKey = createSigningKey("pool-key-2");
const attackerKey = createSigningKey("attacker-key");

let jwks: JwksServer;

beforeAll(async () => {
  jwks = await startJwksServer({ jwks: jwksOf(poolKey) });
});

afterAll(async () => {
  await jwks.close();
});

afterEach(() => {
  jwks.setFault("none");
  jwks.setJwks(jwksOf(poolKey));
  jest.restoreAllMocks();
});

function settings(overrides: Partial<TokenVerifierSettings> = {}): TokenVerifierSettings {
  return {
    issuer: jwks.issuer,
    jwksUri: jwks.jwksUri,
    appClientIds: [WEB_CLIENT, MACHINE_CLIENT],
    clockToleranceSeconds: 5,
    maxTokenAgeSeconds: 86_400,
    maxTokenLengthBytes: 8192,
    maxTokenLifetimeSeconds: 86_400,
    jwksSnapshot: undefined,
    verifiedTokenCacheSize: 100,
    ...overrides,
  };
}

const userToken = (
  overrides: { claims?: Record<string, unknown>; header?: Record<string, unknown>; nowSeconds?: number; lifetimeSeconds?: number } = {},
  key = poolKey,
) => signUserAccessToken(key, { issuer: jwks.issuer, clientId: WEB_CLIENT, username: "alice", scope: READ, nowSeconds: NOW, ...overrides });

describe("createTokenVerifier", () => {
  describe("GIVEN genuine Cognito access tokens", () => {
    const verifier = () => createTokenVerifier(settings(), { now: () => NOW_MS });

    test("WHEN a user's token is verified THEN the identity is user#<username> with its scopes", async () => {
      const result = await verifier().verify(userToken({ claims: { scope: `${READ} api.example.com/write` } }));
      expect(result).toEqual({
        ok: true,
        fromCache: false,
        identity: {
          principal: "user#alice",
          authType: "bearer",
          clientId: WEB_CLIENT,
          scopes: [READ, "api.example.com/write"],
          subject: "sub-alice",
          username: "alice",
          expiresAtEpochSeconds: NOW + 3600,
        },
      });
    });

    test("WHEN a client_credentials token is verified THEN the identity is client#<client_id>", async () => {
      const token = signMachineAccessToken(poolKey, {
        issuer: jwks.issuer,
        clientId: MACHINE_CLIENT,
        scope: "api.example.com/write",
        nowSeconds: NOW,
      });
      const result = await verifier().verify(token);
      expect(result.ok && result.identity.principal).toBe("client#machineclient1");
      expect(result.ok && result.identity.username).toBeUndefined();
    });

    test("WHEN a token expired less than the clock tolerance ago THEN it is accepted", async () => {
      const result = await verifier().verify(userToken({ nowSeconds: NOW - 3603, lifetimeSeconds: 3600 }));
      expect(result.ok).toBe(true);
    });

    test("WHEN the scope claim has odd spacing, commas or case THEN scopes are its exact space-separated tokens", async () => {
      const result = await verifier().verify(userToken({ claims: { scope: `  ${READ}   a,b API.EXAMPLE.COM/READ ` } }));
      expect(result.ok && result.identity.scopes).toEqual([READ, "a,b", "API.EXAMPLE.COM/READ"]);
    });

    test("WHEN the token has no scope claim THEN it has no scopes", async () => {
      const result = await verifier().verify(userToken({ claims: { scope: undefined } }));
      expect(result.ok && result.identity.scopes).toEqual([]);
    });
  });

  describe("the attack corpus (RFC 8725, OWASP JWT cheat sheet): each refused with its reason", () => {
    const corpus = attackCorpus({
      get issuer() {
        return jwks.issuer;
      },
      poolKey,
      attackerKey,
      clientId: WEB_CLIENT,
      scope: READ,
      nowSeconds: NOW,
    });

    let verifier: ReturnType<typeof createTokenVerifier>;
    let fetchesBefore: number;
    beforeAll(() => {
      verifier = createTokenVerifier(settings(), { now: () => NOW_MS });
      fetchesBefore = jwks.fetchCount;
    });

    test.each(corpus)("refuses %s", async (_title, makeToken, reason) => {
      const result = await verifier.verify(makeToken());
      expect(result).toEqual({ ok: false, reason });
      // THEN it is an authentication failure: API Gateway answers 401
      expect(reasonKind(reason as never)).toBe("authentication");
    });

    test("THEN the whole corpus cost at most one JWKS fetch (unknown kids within the cooldown do not refetch)", () => {
      expect(jwks.fetchCount - fetchesBefore).toBeLessThanOrEqual(1);
    });
  });

  describe("GIVEN MAX_TOKEN_LIFETIME_SECONDS=3600 (the longest access-token validity of the pool's clients)", () => {
    const verifier = () => createTokenVerifier(settings({ maxTokenLifetimeSeconds: 3600 }), { now: () => NOW_MS });

    test("WHEN exp - iat is exactly 3600 s THEN the token is accepted", async () => {
      expect((await verifier().verify(userToken({ lifetimeSeconds: 3600 }))).ok).toBe(true);
    });

    test("fails when exp - iat is 3601 s: TOKEN_LIFETIME_TOO_LONG, although exp and iat are each valid", async () => {
      expect(await verifier().verify(userToken({ lifetimeSeconds: 3601 }))).toEqual({ ok: false, reason: "TOKEN_LIFETIME_TOO_LONG" });
    });

    test("fails when a long-lived token was issued long ago but within MAX_TOKEN_AGE_SECONDS", async () => {
      const token = userToken({ nowSeconds: NOW - 7200, lifetimeSeconds: 4 * 3600 });
      expect(await verifier().verify(token)).toEqual({ ok: false, reason: "TOKEN_LIFETIME_TOO_LONG" });
    });
  });

  describe("GIVEN non-canonical encodings of a genuine token", () => {
    test("WHEN variants of a cached token arrive THEN each is refused before the cache, and takes no cache entry", async () => {
      const verifier = createTokenVerifier(settings({ verifiedTokenCacheSize: 2 }), { now: () => NOW_MS });
      const genuine = userToken();
      expect(await verifier.verify(genuine)).toMatchObject({ ok: true, fromCache: false });

      const variants = [withSegment(genuine, 2, flipUnusedBit), withSegment(genuine, 2, (s) => `${s}==`), `${genuine}=`];
      for (const variant of variants) {
        expect(await verifier.verify(variant)).toEqual({ ok: false, reason: "TOKEN_MALFORMED" });
      }
      // THEN the genuine token was not evicted by the variants
      expect(await verifier.verify(genuine)).toMatchObject({ ok: true, fromCache: true });
    });
  });

  describe("GIVEN a token verified under the Authorization value it came from", () => {
    test("WHEN the cache is asked THEN only that exact value is answered, until the token expires", async () => {
      let clockMs = NOW_MS;
      const verifier = createTokenVerifier(settings({ jwksSnapshot: jwksOf(poolKey) }), { now: () => clockMs });
      const token = userToken({ lifetimeSeconds: 60 });
      const value = `Bearer ${token}`;
      expect(verifier.cached(value)).toBeUndefined();
      const verified = await verifier.verify(token, value);
      expect(verified).toMatchObject({ ok: true, fromCache: false });
      expect(verifier.cached(value)).toBe((verified as { identity: unknown }).identity);
      // Another spelling of the scheme, the token alone or another space is another key.
      for (const other of [`bearer ${token}`, `BEARER ${token}`, token, `Bearer  ${token}`, `${value} `])
        expect(verifier.cached(other)).toBeUndefined();
      expect(await verifier.verify(token)).toMatchObject({ ok: true, fromCache: false });
      expect(await verifier.verify(token, value)).toMatchObject({ ok: true, fromCache: true });
      clockMs = (NOW + 60) * 1000;
      expect(verifier.cached(value)).toBeUndefined();
    });
  });

  describe("timelines", () => {
    test("GIVEN a key rotation WHEN a token of the new key arrives within the 30 s cooldown THEN it fails fast, and after the cooldown it is fetched and works", async () => {
      let clockMs = NOW_MS;
      jest.spyOn(Date, "now").mockImplementation(() => clockMs);
      const verifier = createTokenVerifier(settings(), { now: () => clockMs });
      const before = jwks.fetchCount;

      // WHEN a token of the current key is verified THEN the JWKS is fetched once
      expect((await verifier.verify(userToken())).ok).toBe(true);
      expect(jwks.fetchCount).toBe(before + 1);

      // GIVEN the pool publishes a second key 10 s later
      jwks.setJwks(jwksOf(poolKey, rotatedKey));
      clockMs += 10_000;
      const rotated = () => userToken({ nowSeconds: Math.floor(clockMs / 1000) }, rotatedKey);

      // WHEN its token arrives within the cooldown THEN it is refused at once, without a fetch
      expect(await verifier.verify(rotated())).toEqual({ ok: false, reason: "TOKEN_KEY_UNKNOWN" });
      expect(jwks.fetchCount).toBe(before + 1);

      // WHEN it arrives after the cooldown THEN the JWKS is refetched and the token accepted
      clockMs += 21_000;
      expect((await verifier.verify(rotated())).ok).toBe(true);
      expect(jwks.fetchCount).toBe(before + 2);

      // AND an attacker's unknown kid right after does not cause another fetch
      expect(await verifier.verify(userToken({ nowSeconds: Math.floor(clockMs / 1000) }, attackerKey))).toEqual({
        ok: false,
        reason: "TOKEN_KEY_UNKNOWN",
      });
      expect(jwks.fetchCount).toBe(before + 2);
    });

    test("GIVEN a JWKS snapshot WHEN a cold container verifies a token of a snapshot key THEN nothing is fetched", async () => {
      const verifier = createTokenVerifier(settings({ jwksSnapshot: jwksOf(poolKey) }), { now: () => NOW_MS });
      const before = jwks.fetchCount;
      expect((await verifier.verify(userToken())).ok).toBe(true);
      expect((await verifier.verify(userToken({ claims: { jti: "second" } }))).ok).toBe(true);
      expect(jwks.fetchCount).toBe(before);
    });

    test("GIVEN a JWKS snapshot WHEN a token's kid is not in it THEN the remote JWKS is fetched and used", async () => {
      jwks.setJwks(jwksOf(poolKey, rotatedKey));
      const verifier = createTokenVerifier(settings({ jwksSnapshot: jwksOf(poolKey) }), { now: () => NOW_MS });
      const before = jwks.fetchCount;
      expect((await verifier.verify(userToken({}, rotatedKey))).ok).toBe(true);
      expect(jwks.fetchCount).toBe(before + 1);
    });

    test("GIVEN a snapshot of keys A and B and a pool now listing B and C WHEN a token of C makes the verifier fetch the set THEN A stops verifying (TOKEN_KEY_UNKNOWN), even for a token verified before, B still verifies, and nothing more is fetched", async () => {
      const [keyA, keyB, keyC] = [createSigningKey("snap-a"), createSigningKey("snap-b"), createSigningKey("snap-c")];
      jwks.setJwks(jwksOf(keyB, keyC));
      const verifier = createTokenVerifier(settings({ jwksSnapshot: jwksOf(keyA, keyB) }), { now: () => NOW_MS });
      const before = jwks.fetchCount;
      const tokenA = userToken({}, keyA);
      // Before any fetch the snapshot answers, without fetching
      expect(await verifier.verify(tokenA)).toMatchObject({ ok: true, fromCache: false });
      expect(jwks.fetchCount).toBe(before);
      // WHEN a kid the snapshot lacks fetches the pool's set
      expect(await verifier.verify(userToken({}, keyC))).toMatchObject({ ok: true });
      expect(jwks.fetchCount).toBe(before + 1);
      // THEN A, no longer listed, is refused: a new token and the one verified before
      expect(await verifier.verify(userToken({ claims: { jti: "after" } }, keyA))).toEqual({ ok: false, reason: "TOKEN_KEY_UNKNOWN" });
      expect(await verifier.verify(tokenA)).toEqual({ ok: false, reason: "TOKEN_KEY_UNKNOWN" });
      // AND B, listed in both, still verifies
      expect(await verifier.verify(userToken({ claims: { jti: "b" } }, keyB))).toMatchObject({ ok: true });
      // AND only the one fetch happened (A is refused inside the 30 s cool-down)
      expect(jwks.fetchCount).toBe(before + 1);
    });

    test("GIVEN a snapshot key the fetched set dropped WHEN a later fetch lists it again THEN it verifies again", async () => {
      let clockMs = NOW_MS;
      const [keyA, keyC, keyD] = [createSigningKey("snap-a2"), createSigningKey("snap-c2"), createSigningKey("snap-d2")];
      jwks.setJwks(jwksOf(keyC));
      const verifier = createTokenVerifier(settings({ jwksSnapshot: jwksOf(keyA) }), { now: () => clockMs });
      expect(await verifier.verify(userToken({}, keyC))).toMatchObject({ ok: true });
      expect(await verifier.verify(userToken({ claims: { jti: "a1" } }, keyA))).toEqual({ ok: false, reason: "TOKEN_KEY_UNKNOWN" });
      jwks.setJwks(jwksOf(keyA, keyC, keyD));
      clockMs += JWKS_COOLDOWN_MS;
      // D is unknown: it refetches; the new set lists A again
      expect(await verifier.verify(userToken({ nowSeconds: clockMs / 1000 }, keyD))).toMatchObject({ ok: true });
      expect(await verifier.verify(userToken({ claims: { jti: "a2" }, nowSeconds: clockMs / 1000 }, keyA))).toMatchObject({ ok: true });
    });

    test("GIVEN a JWKS snapshot and the remote JWKS down WHEN a snapshot key's token arrives THEN it is accepted", async () => {
      jwks.setFault("down");
      const verifier = createTokenVerifier(settings({ jwksSnapshot: jwksOf(poolKey) }), { now: () => NOW_MS });
      expect((await verifier.verify(userToken())).ok).toBe(true);
    });

    test("GIVEN a verified token WHEN it is presented again THEN it comes from the cache until exp, never at or after exp", async () => {
      let clockMs = NOW_MS;
      const verifier = createTokenVerifier(settings({ clockToleranceSeconds: 0 }), { now: () => clockMs });
      const token = userToken({ lifetimeSeconds: 60 });

      expect(await verifier.verify(token)).toMatchObject({ ok: true, fromCache: false });
      expect(await verifier.verify(token)).toMatchObject({ ok: true, fromCache: true });
      clockMs = (NOW + 59) * 1000;
      expect(await verifier.verify(token)).toMatchObject({ ok: true, fromCache: true });
      clockMs = (NOW + 60) * 1000;
      expect(await verifier.verify(token)).toEqual({ ok: false, reason: "TOKEN_EXPIRED" });
    });

    test("GIVEN a cache of two entries WHEN a third token is verified THEN the least recently used one is verified afresh", async () => {
      const verifier = createTokenVerifier(settings({ verifiedTokenCacheSize: 2 }), { now: () => NOW_MS });
      const [first, second, third] = ["1", "2", "3"].map((jti) => userToken({ claims: { jti } })) as [string, string, string];
      await verifier.verify(first);
      await verifier.verify(second);
      await verifier.verify(third);
      expect(await verifier.verify(third)).toMatchObject({ fromCache: true });
      expect(await verifier.verify(first)).toMatchObject({ fromCache: false });
    });

    test("GIVEN a refused token WHEN it is presented again THEN it is verified again (only verified results are cached)", async () => {
      let clockMs = NOW_MS;
      const verifier = createTokenVerifier(settings(), { now: () => clockMs });
      const early = userToken({ claims: { nbf: NOW + 30 } });
      expect(await verifier.verify(early)).toEqual({ ok: false, reason: "TOKEN_NOT_YET_VALID" });
      clockMs += 30_000;
      expect(await verifier.verify(early)).toMatchObject({ ok: true, fromCache: false });
    });
  });

  describe("GIVEN the JWKS endpoint fails", () => {
    test.each([
      ["down (connection reset)", "down"],
      ["answering 500", "500"],
      ["answering something that is not JSON", "not-json"],
      ["slower than the fetch timeout", "slow"],
    ] as const)("refuses with a dependency failure, never an identity, when it is %s", async (_title, fault) => {
      jwks.setFault(fault);
      const verifier = createTokenVerifier(settings(), { now: () => NOW_MS, jwksTimeoutMs: 200 });
      const result = await verifier.verify(userToken());
      expect(result).toEqual({ ok: false, reason: "JWKS_UNAVAILABLE" });
      expect(reasonKind("JWKS_UNAVAILABLE")).toBe("dependency");
    });

    test("WHEN it closed the kept-alive connection THEN the fetch is retried once on a new connection and succeeds", async () => {
      expect((await createTokenVerifier(settings(), { now: () => NOW_MS }).verify(userToken())).ok).toBe(true);
      jwks.dropConnections();
      expect((await createTokenVerifier(settings(), { now: () => NOW_MS }).verify(userToken())).ok).toBe(true);
    });

    test("GIVEN no key set fetched yet WHEN the fetch fails THEN calls during the failure cool-down are JWKS_UNAVAILABLE without a fetch; WHEN it ends THEN the next call fetches and succeeds", async () => {
      let clockMs = NOW_MS;
      jwks.setFault("500");
      const verifier = createTokenVerifier(settings(), { now: () => clockMs });
      const before = jwks.fetchCount;
      expect(await verifier.verify(userToken())).toEqual({ ok: false, reason: "JWKS_UNAVAILABLE" });
      const afterFailure = jwks.fetchCount;
      expect(afterFailure).toBeGreaterThan(before);

      // WHEN it recovers within the failure cool-down THEN still no fetch: no key set, so a dependency failure
      jwks.setFault("none");
      clockMs += JWKS_FAILURE_COOLDOWN_MS - 1;
      expect(await verifier.verify(userToken())).toEqual({ ok: false, reason: "JWKS_UNAVAILABLE" });
      expect(jwks.fetchCount).toBe(afterFailure);

      // WHEN the failure cool-down has ended THEN one fetch, and the token is accepted
      clockMs += 1;
      expect((await verifier.verify(userToken())).ok).toBe(true);
      expect(jwks.fetchCount).toBe(afterFailure + 1);
    });

    test.each([
      ["answering 500", "500"],
      ["slower than the fetch timeout", "slow"],
    ] as const)(
      "GIVEN keys fetched WHEN the endpoint is %s THEN known keys keep verifying, the first unknown kid costs one failed fetch (500), and unknown kids during the failure cool-down are TOKEN_KEY_UNKNOWN without a fetch",
      async (_title, fault) => {
        let clockMs = NOW_MS;
        const verifier = createTokenVerifier(settings(), { now: () => clockMs, jwksTimeoutMs: 200 });
        const foreign = () => userToken({ nowSeconds: Math.floor(clockMs / 1000) }, attackerKey);
        const known = (jti: string) => userToken({ nowSeconds: Math.floor(clockMs / 1000), claims: { jti } });
        expect((await verifier.verify(known("first"))).ok).toBe(true);
        const afterSuccess = jwks.fetchCount;

        // GIVEN the cool-down after the successful fetch has ended, and the endpoint fails
        clockMs += JWKS_COOLDOWN_MS;
        jwks.setFault(fault);
        expect(await verifier.verify(foreign())).toEqual({ ok: false, reason: "JWKS_UNAVAILABLE" });
        const afterFailure = jwks.fetchCount;
        expect(afterFailure).toBeGreaterThan(afterSuccess);

        // WHEN unknown kids keep arriving during the failure cool-down THEN 401 at once, no fetch
        for (let attempt = 0; attempt < 5; attempt++) {
          expect(await verifier.verify(foreign())).toEqual({ ok: false, reason: "TOKEN_KEY_UNKNOWN" });
        }
        clockMs += JWKS_FAILURE_COOLDOWN_MS - 1;
        expect(await verifier.verify(foreign())).toEqual({ ok: false, reason: "TOKEN_KEY_UNKNOWN" });
        expect(jwks.fetchCount).toBe(afterFailure);
        // AND tokens of the known key still verify (not from the verified-token cache)
        expect(await verifier.verify(known("during-outage"))).toMatchObject({ ok: true, fromCache: false });

        // WHEN the failure cool-down has ended THEN the next unknown kid tries one fetch again
        clockMs += 1;
        expect(await verifier.verify(foreign())).toEqual({ ok: false, reason: "JWKS_UNAVAILABLE" });
        expect(jwks.fetchCount).toBeGreaterThan(afterFailure);
      },
    );

    test("GIVEN keys fetched longer ago than the JWKS cache age WHEN the endpoint fails THEN the last good key set keeps verifying known keys, with one fetch attempt per failure cool-down; WHEN it recovers THEN it is refetched", async () => {
      let clockMs = NOW_MS;
      const verifier = createTokenVerifier(settings(), { now: () => clockMs });
      const known = (jti: string) => userToken({ nowSeconds: Math.floor(clockMs / 1000), claims: { jti } });
      expect((await verifier.verify(known("first"))).ok).toBe(true);

      clockMs += JWKS_CACHE_MAX_AGE_MS + 1_000;
      jwks.setFault("500");
      const before = jwks.fetchCount;
      expect(await verifier.verify(known("aged-out-1"))).toMatchObject({ ok: true, fromCache: false });
      const attempted = jwks.fetchCount;
      expect(attempted).toBeGreaterThan(before);
      expect(await verifier.verify(known("aged-out-2"))).toMatchObject({ ok: true, fromCache: false });
      expect(jwks.fetchCount).toBe(attempted);

      // WHEN the endpoint recovers and the failure cool-down ends THEN the next call refetches, once
      jwks.setFault("none");
      clockMs += JWKS_FAILURE_COOLDOWN_MS;
      expect((await verifier.verify(known("recovered-1"))).ok).toBe(true);
      expect(jwks.fetchCount).toBe(attempted + 1);
      expect((await verifier.verify(known("recovered-2"))).ok).toBe(true);
      expect(jwks.fetchCount).toBe(attempted + 1);
    });

    test("GIVEN keys fetched longer ago than the JWKS cache age WHEN the endpoint fails on an unknown kid's call THEN that call is JWKS_UNAVAILABLE, and the next unknown kid TOKEN_KEY_UNKNOWN without a fetch", async () => {
      let clockMs = NOW_MS;
      const verifier = createTokenVerifier(settings(), { now: () => clockMs });
      expect((await verifier.verify(userToken())).ok).toBe(true);

      clockMs += JWKS_CACHE_MAX_AGE_MS + 1_000;
      jwks.setFault("500");
      const foreign = () => userToken({ nowSeconds: Math.floor(clockMs / 1000) }, attackerKey);
      expect(await verifier.verify(foreign())).toEqual({ ok: false, reason: "JWKS_UNAVAILABLE" });
      const afterFailure = jwks.fetchCount;
      expect(await verifier.verify(foreign())).toEqual({ ok: false, reason: "TOKEN_KEY_UNKNOWN" });
      expect(jwks.fetchCount).toBe(afterFailure);
    });

    test("GIVEN keys fetched longer ago than the JWKS cache age WHEN the pool has removed a key THEN the refetch drops it", async () => {
      let clockMs = NOW_MS;
      jwks.setJwks(jwksOf(poolKey, rotatedKey));
      const verifier = createTokenVerifier(settings(), { now: () => clockMs });
      const of = (key: typeof poolKey) => userToken({ nowSeconds: Math.floor(clockMs / 1000) }, key);
      expect((await verifier.verify(of(rotatedKey))).ok).toBe(true);

      jwks.setJwks(jwksOf(poolKey));
      clockMs += JWKS_CACHE_MAX_AGE_MS + 1_000;
      expect(await verifier.verify(of(rotatedKey))).toEqual({ ok: false, reason: "TOKEN_KEY_UNKNOWN" });
      expect((await verifier.verify(of(poolKey))).ok).toBe(true);
    });

    test("GIVEN a key rotation WHEN the refetch for the new kid fails THEN 500 once, TOKEN_KEY_UNKNOWN without a fetch during the failure cool-down, and after it the new key is fetched and accepted", async () => {
      let clockMs = NOW_MS;
      const verifier = createTokenVerifier(settings(), { now: () => clockMs });
      expect((await verifier.verify(userToken())).ok).toBe(true);

      jwks.setJwks(jwksOf(poolKey, rotatedKey));
      clockMs += JWKS_COOLDOWN_MS;
      const rotated = () => userToken({ nowSeconds: Math.floor(clockMs / 1000) }, rotatedKey);
      jwks.setFault("500");
      expect(await verifier.verify(rotated())).toEqual({ ok: false, reason: "JWKS_UNAVAILABLE" });
      const afterFailure = jwks.fetchCount;

      jwks.setFault("none");
      clockMs += JWKS_FAILURE_COOLDOWN_MS - 1;
      expect(await verifier.verify(rotated())).toEqual({ ok: false, reason: "TOKEN_KEY_UNKNOWN" });
      expect(jwks.fetchCount).toBe(afterFailure);

      clockMs += 1;
      expect((await verifier.verify(rotated())).ok).toBe(true);
      expect(jwks.fetchCount).toBe(afterFailure + 1);
      // AND the cool-down after this successful fetch holds again
      expect(await verifier.verify(userToken({ nowSeconds: Math.floor(clockMs / 1000) }, attackerKey))).toEqual({
        ok: false,
        reason: "TOKEN_KEY_UNKNOWN",
      });
      expect(jwks.fetchCount).toBe(afterFailure + 1);
    });

    test("WHEN it publishes a private key THEN the result is a dependency failure, not an identity", async () => {
      const privateJwk = { ...(poolKey.privateKey.export({ format: "jwk" }) as object), kid: poolKey.kid, alg: "RS256" };
      jwks.setJwks({ keys: [privateJwk] });
      const verifier = createTokenVerifier(settings(), { now: () => NOW_MS });
      expect(await verifier.verify(userToken())).toEqual({ ok: false, reason: "JWKS_UNAVAILABLE" });
    });
  });
});
