/**
 * Grants: which routes a principal may call, read from the DynamoDB authorization table.
 *
 * Items are read with the grants table's one codec (`core/grant-item.ts`): a malformed entry is
 * ignored and logged, never widened.
 *
 * @packageDocumentation
 */
import type { AttributeValue, DynamoDbApi } from "./aws/dynamodb";
import { BoundedTtlCache, SingleFlight } from "./cache";
import { errorDetail } from "./error-detail";
import { PRINCIPAL_ATTRIBUTE, ROUTES_ATTRIBUTE, decodeGrantItem } from "../../core/grant-item";

/** Result of {@link GrantStore.getGrants}. */
export type GrantLookup =
  | { readonly ok: true; readonly routeKeys: readonly string[]; readonly fromCache: boolean }
  | {
      readonly ok: false;
      readonly reason: "GRANTS_UNAVAILABLE";
      /** The DynamoDB error name or network error code, for logs. */
      readonly detail: string | undefined;
    };

/** Reads grants. */
export interface GrantStore {
  /**
   * The principal's valid grants (none when it has no item).
   *
   * @param principal - `user#<username>` or `client#<client_id>`
   * @returns the grants, or `GRANTS_UNAVAILABLE`; never throws
   */
  getGrants(principal: string): Promise<GrantLookup>;
  /**
   * The principal's grants while they are cached: what {@link GrantStore.getGrants} would answer at
   * once, from its cache, the same list object each time until the entry expires.
   *
   * @param principal - `user#<username>` or `client#<client_id>`
   * @returns the cached grants, or `undefined` when they would have to be read
   */
  cachedGrants(principal: string): readonly string[] | undefined;
}

/** The configuration the store uses. */
export interface GrantStoreSettings {
  /** AUTHZ_TABLE_NAME. */
  readonly tableName: string;
  /** GRANT_CACHE_TTL_SECONDS; 0 disables the cache. */
  readonly cacheTtlSeconds: number;
  /**
   * Most principals remembered at once.
   *
   * @default 10000
   */
  readonly maxCacheEntries?: number;
}

/** Injected collaborators. */
export interface GrantStoreDependencies {
  /** The DynamoDB client (created once per container). */
  readonly dynamoDb: Pick<DynamoDbApi, "getItem">;
  /**
   * Current time in milliseconds since the epoch.
   *
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Receives one JSON log line per malformed item read.
   *
   * @default writes to stdout
   */
  readonly log?: (line: string) => void;
}

type Loaded = { readonly routeKeys: readonly string[] } | { readonly detail: string | undefined };

/**
 * Creates the grant store. Call once per container: the cache lives in it.
 *
 * One `GetItem` per principal (eventually consistent), cached for `cacheTtlSeconds`; concurrent
 * lookups of one principal share one call. A missing item means no grants. Any DynamoDB error,
 * throttling included, is `GRANTS_UNAVAILABLE`, which the handler turns into a 500, never an Allow.
 *
 * @param settings - table and cache settings
 * @param deps - DynamoDB client, clock, log
 * @returns the store
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
 */
export function createGrantStore(settings: GrantStoreSettings, deps: GrantStoreDependencies): GrantStore {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const cache = new BoundedTtlCache<readonly string[]>(settings.cacheTtlSeconds > 0 ? (settings.maxCacheEntries ?? 10_000) : 0);
  const inFlight = new SingleFlight<Loaded>();

  async function load(principal: string): Promise<Loaded> {
    let item: Readonly<Record<string, AttributeValue>> | undefined;
    try {
      ({ Item: item } = await deps.dynamoDb.getItem({
        TableName: settings.tableName,
        Key: { [PRINCIPAL_ATTRIBUTE]: { S: principal } },
        ProjectionExpression: "#routes",
        ExpressionAttributeNames: { "#routes": ROUTES_ATTRIBUTE },
        ConsistentRead: false,
      }));
    } catch (error) {
      return { detail: errorDetail(error) };
    }
    const { routeKeys, problems } = decodeGrantItem(item);
    if (problems.length > 0) {
      log(JSON.stringify({ level: "WARN", message: "malformed grants item: ignored entries", principal, problems }));
    }
    const storedAtMs = now();
    cache.set(principal, routeKeys, storedAtMs + settings.cacheTtlSeconds * 1000, storedAtMs);
    return { routeKeys };
  }

  const cachedGrants = (principal: string) => cache.get(principal, now());
  return {
    cachedGrants,
    async getGrants(principal) {
      try {
        const cached = cachedGrants(principal);
        if (cached !== undefined) return { ok: true, routeKeys: cached, fromCache: true };
        const loaded = await inFlight.run(principal, () => load(principal));
        if ("routeKeys" in loaded) return { ok: true, routeKeys: loaded.routeKeys, fromCache: false };
        return { ok: false, reason: "GRANTS_UNAVAILABLE", detail: loaded.detail };
      } catch (error) {
        return { ok: false, reason: "GRANTS_UNAVAILABLE", detail: errorDetail(error) };
      }
    },
  };
}
