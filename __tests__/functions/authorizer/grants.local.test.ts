import { createGrantStore } from "../../../functions/authorizer/grants";
import { reasonKind } from "../../../functions/authorizer/reasons";
import type { DynamoDbApi } from "../../../functions/authorizer/aws/dynamodb";
import { TABLE_NAME, startAuthorizerFixture, type AuthorizerFixture } from "../../../testing/authorizer-fixture";
import { createGrantsDynamoDb } from "../../../testing/dynalite";
import { closedEndpoint } from "../../../testing/network";
import { countCalls, type CallCounter } from "../../../testing/aws-calls";
import { startAwsJsonStub } from "../../../testing/aws-json-stub";

const NOW_MS = 1_800_000_000_000;

let fixture: AuthorizerFixture;

beforeAll(async () => {
  fixture = await startAuthorizerFixture();
  await fixture.putGrants([
    ["user#alice", ["GET /resource", "* /resource/{id}"]],
    ["client#machine", ["POST /resource"]],
    ["user#mallory", { L: [{ S: "GET /resource" }, { N: "1" }, { S: "GET /resource/" }, { S: "ANY /admin" }, { L: [] }] }],
    ["user#stringset", { SS: ["GET /resource"] }],
    ["user#noroutes", undefined],
  ]);
});

afterAll(async () => {
  await fixture?.close();
});

interface Harness {
  readonly store: ReturnType<typeof createGrantStore>;
  readonly calls: CallCounter;
  readonly logs: string[];
  readonly clock: { ms: number };
  readonly client: DynamoDbApi;
}

const harnesses: Harness[] = [];
afterEach(() => {
  for (const harness of harnesses.splice(0)) harness.client.destroy();
});

function harness(options: { cacheTtlSeconds?: number; endpoint?: string } = {}): Harness {
  const { client, calls } = countCalls(createGrantsDynamoDb(options.endpoint ?? fixture.dynaliteEndpoint));
  const logs: string[] = [];
  const clock = { ms: NOW_MS };
  const store = createGrantStore(
    { tableName: TABLE_NAME, cacheTtlSeconds: options.cacheTtlSeconds ?? 30 },
    { dynamoDb: client, now: () => clock.ms, log: (line) => logs.push(line) },
  );
  const created = { store, calls, logs, clock, client };
  harnesses.push(created);
  return created;
}

describe("createGrantStore (against dynalite)", () => {
  test("GIVEN a user's item WHEN its grants are read THEN every route of the list is returned", async () => {
    const { store } = harness();
    expect(await store.getGrants("user#alice")).toEqual({ ok: true, routeKeys: ["GET /resource", "* /resource/{id}"], fromCache: false });
  });

  test("GIVEN a machine client's item WHEN its grants are read THEN they are returned", async () => {
    const { store } = harness();
    expect(await store.getGrants("client#machine")).toMatchObject({ ok: true, routeKeys: ["POST /resource"] });
  });

  test("GIVEN no item for the principal WHEN its grants are read THEN there are none (not an error)", async () => {
    const { store, logs } = harness();
    expect(await store.getGrants("user#nobody")).toEqual({ ok: true, routeKeys: [], fromCache: false });
    expect(logs).toEqual([]);
  });

  test("GIVEN a malformed item WHEN its grants are read THEN only the valid entries count, and one warning is logged", async () => {
    const { store, logs } = harness();
    expect(await store.getGrants("user#mallory")).toMatchObject({ ok: true, routeKeys: ["GET /resource"] });
    expect(logs).toHaveLength(1);
    const warning = JSON.parse(logs[0]!) as { level: string; principal: string; problems: string[] };
    expect(warning).toMatchObject({ level: "WARN", principal: "user#mallory" });
    expect(warning.problems).toHaveLength(4);
    // AND a cached read does not log again
    await store.getGrants("user#mallory");
    expect(logs).toHaveLength(1);
  });

  test.each([
    ["routes is a string set (SS), not a list", "user#stringset"],
    ["the item has no routes attribute", "user#noroutes"],
  ])("fails closed when %s: no grants, one warning", async (_title, principal) => {
    const { store, logs } = harness();
    expect(await store.getGrants(principal)).toMatchObject({ ok: true, routeKeys: [] });
    expect(logs).toHaveLength(1);
  });

  describe("the cache", () => {
    test("GIVEN a read WHEN the same principal is read within the TTL THEN DynamoDB is not called again; after it, it is", async () => {
      const { store, calls, clock } = harness({ cacheTtlSeconds: 30 });
      await store.getGrants("user#alice");
      clock.ms += 29_999;
      expect(await store.getGrants("user#alice")).toMatchObject({ ok: true, fromCache: true });
      expect(calls.count("getItem")).toBe(1);
      clock.ms += 1;
      expect(await store.getGrants("user#alice")).toMatchObject({ ok: true, fromCache: false });
      expect(calls.count("getItem")).toBe(2);
    });

    test("GIVEN a grant changed in the table WHEN the cached entry expires THEN the new grants are used", async () => {
      const { store, clock } = harness({ cacheTtlSeconds: 30 });
      await fixture.putGrants([["user#changing", ["GET /resource"]]]);
      await store.getGrants("user#changing");
      await fixture.putGrants([["user#changing", []]]);
      expect(await store.getGrants("user#changing")).toMatchObject({ routeKeys: ["GET /resource"] });
      clock.ms += 30_000;
      expect(await store.getGrants("user#changing")).toMatchObject({ routeKeys: [] });
    });

    test("GIVEN a read WHEN the cache is asked without a promise THEN the same list object until the TTL ends, and nothing is read", async () => {
      const { store, calls, clock } = harness({ cacheTtlSeconds: 30 });
      expect(store.cachedGrants("user#alice")).toBeUndefined();
      const read = await store.getGrants("user#alice");
      const routeKeys = read.ok ? read.routeKeys : undefined;
      clock.ms += 29_999;
      expect(store.cachedGrants("user#alice")).toBe(routeKeys);
      const again = await store.getGrants("user#alice");
      expect(again.ok && again.routeKeys).toBe(routeKeys);
      clock.ms += 1;
      expect(store.cachedGrants("user#alice")).toBeUndefined();
      expect(calls.count("getItem")).toBe(1);
    });

    test("GIVEN a TTL of 0 THEN every read calls DynamoDB", async () => {
      const { store, calls } = harness({ cacheTtlSeconds: 0 });
      await store.getGrants("user#alice");
      await store.getGrants("user#alice");
      expect(calls.count("getItem")).toBe(2);
    });

    test("GIVEN 20 concurrent reads of one principal THEN one GetItem is made (single flight)", async () => {
      const { store, calls } = harness();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.getGrants("user#alice")));
      expect(calls.count("getItem")).toBe(1);
      expect(new Set(results.map((result) => JSON.stringify(result.ok && result.routeKeys))).size).toBe(1);
    });

    test("GIVEN concurrent reads of two principals THEN one GetItem each", async () => {
      const { store, calls } = harness();
      await Promise.all([store.getGrants("user#alice"), store.getGrants("client#machine"), store.getGrants("user#alice")]);
      expect(calls.count("getItem")).toBe(2);
    });
  });

  describe("dependency failures", () => {
    test("fails when DynamoDB is down: GRANTS_UNAVAILABLE, a dependency failure (500), and nothing is cached", async () => {
      const { store, calls } = harness({ endpoint: await closedEndpoint() });
      const result = await store.getGrants("user#alice");
      expect(result).toMatchObject({ ok: false, reason: "GRANTS_UNAVAILABLE", detail: "ECONNREFUSED" });
      expect(reasonKind("GRANTS_UNAVAILABLE")).toBe("dependency");
      await store.getGrants("user#alice");
      expect(calls.count("getItem")).toBe(2);
    });

    test("fails when the table does not exist: GRANTS_UNAVAILABLE", async () => {
      const client = createGrantsDynamoDb(fixture.dynaliteEndpoint);
      const store = createGrantStore({ tableName: "no-such-table", cacheTtlSeconds: 30 }, { dynamoDb: client, log: () => undefined });
      expect(await store.getGrants("user#alice")).toMatchObject({
        ok: false,
        reason: "GRANTS_UNAVAILABLE",
        detail: "ResourceNotFoundException",
      });
      client.destroy();
    });

    test("fails when DynamoDB throttles: GRANTS_UNAVAILABLE", async () => {
      const stub = await startAwsJsonStub(() => ({
        status: 400,
        body: { __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", message: "Rate exceeded" },
      }));
      try {
        const { store } = harness({ endpoint: stub.endpoint });
        expect(await store.getGrants("user#alice")).toMatchObject({
          ok: false,
          reason: "GRANTS_UNAVAILABLE",
          detail: "ProvisionedThroughputExceededException",
        });
        expect(stub.requests.map((request) => request.operation)).toEqual(["GetItem"]);
      } finally {
        await stub.close();
      }
    });
  });
});
