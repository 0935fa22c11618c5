import { BoundedTtlCache, SingleFlight } from "../../../functions/authorizer/cache";

describe("BoundedTtlCache", () => {
  test("GIVEN an entry THEN it is served strictly before its expiry instant, never at or after", () => {
    const cache = new BoundedTtlCache<string>(10);
    cache.set("k", "v", 1000, 0);
    expect(cache.get("k", 999)).toBe("v");
    expect(cache.get("k", 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test("GIVEN the bound is reached THEN the least recently used entry is evicted", () => {
    const cache = new BoundedTtlCache<number>(2);
    cache.set("a", 1, 100, 0);
    cache.set("b", 2, 100, 0);
    cache.get("a", 1);
    cache.set("c", 3, 100, 1);
    expect([cache.get("a", 2), cache.get("b", 2), cache.get("c", 2)]).toEqual([1, undefined, 3]);
  });

  test("GIVEN a bound of 0 or an entry already expired THEN nothing is stored", () => {
    const disabled = new BoundedTtlCache<number>(0);
    disabled.set("a", 1, 100, 0);
    expect(disabled.get("a", 0)).toBeUndefined();
    const cache = new BoundedTtlCache<number>(5);
    cache.set("a", 1, 10, 10);
    expect(cache.size).toBe(0);
  });
});

describe("SingleFlight", () => {
  test("GIVEN concurrent runs of one key THEN the work runs once and every caller gets its result; after it settles it runs again", async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    const work = async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return runs;
    };
    expect(await Promise.all([flight.run("k", work), flight.run("k", work), flight.run("other", work)])).toEqual([2, 2, 2]);
    expect(runs).toBe(2);
    await flight.run("k", work);
    expect(runs).toBe(3);
  });

  test("GIVEN the work fails THEN every concurrent caller sees the failure and the key is released", async () => {
    const flight = new SingleFlight<number>();
    const failing = () => Promise.reject(new Error("down"));
    await expect(Promise.all([flight.run("k", failing), flight.run("k", failing)])).rejects.toThrow("down");
    expect(await flight.run("k", async () => 7)).toBe(7);
  });
});
