import { KeyObject } from "node:crypto";
import { createRemoteKeySet, JWKS_CACHE_MAX_AGE_MS, JWKS_COOLDOWN_MS } from "../../../functions/authorizer/jwks";
import { createSigningKey } from "../../../testing/keys";
import { startJwksServer, type JwksServer } from "../../../testing/jwks-server";

const NOW_MS = 1_800_000_000_000;
const poolKey = createSigningKey("pool-key");
let jwks: JwksServer;

beforeAll(async () => {
  jwks = await startJwksServer({ jwks: { keys: [poolKey.publicJwk] } });
});

afterAll(async () => {
  await jwks.close();
});

describe("createRemoteKeySet: a key seen before answers without a promise", () => {
  test("the first lookup of a kid fetches and awaits jose; later ones, while the set is fresh, are the same KeyObject at once", async () => {
    let nowMs = NOW_MS;
    const remote = createRemoteKeySet(jwks.jwksUri, { now: () => nowMs });
    const fetchesBefore = jwks.fetchCount;
    const first = remote("pool-key");
    expect(first).toBeInstanceOf(Promise);
    const key = await first;
    expect(key).toBeInstanceOf(KeyObject);
    expect(jwks.fetchCount).toBe(fetchesBefore + 1);
    nowMs += JWKS_COOLDOWN_MS;
    expect(remote("pool-key")).toBe(key);
    expect(jwks.fetchCount).toBe(fetchesBefore + 1);
  });

  test("a kid the set lacks is still a promise (refused within the cool-down); a set past its age is refetched first", async () => {
    let nowMs = NOW_MS;
    const remote = createRemoteKeySet(jwks.jwksUri, { now: () => nowMs });
    const key = await remote("pool-key");
    const unknown = remote("other-key");
    expect(unknown).toBeInstanceOf(Promise);
    await expect(unknown).rejects.toMatchObject({ code: "ERR_JWKS_NO_MATCHING_KEY" });
    const fetchesBefore = jwks.fetchCount;
    nowMs += JWKS_CACHE_MAX_AGE_MS;
    const refetched = remote("pool-key");
    expect(refetched).toBeInstanceOf(Promise);
    expect(await refetched).toBeInstanceOf(KeyObject);
    expect(await refetched).not.toBe(key);
    expect(jwks.fetchCount).toBe(fetchesBefore + 1);
  });
});
