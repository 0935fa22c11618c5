/**
 * The limit of failed Basic sign-ins per designated account and source address, so that one address
 * cannot drive an account into Cognito's own lock-out (which would lock the legacy application out
 * too).
 *
 * Cognito locks a user out after five failed password sign-ins (1 s, doubling with each further
 * failure up to about 15 minutes). Below that, the authorizer lets each (account, address) pair
 * reach Cognito at most `maxFailures` times per window without a success, counted in one item per
 * pair in the grants table, so every container shares it: Lambda gives concurrent requests
 * separate containers, and a count kept in each container's memory would multiply the limit by the
 * containers an attacker can wake.
 *
 * An attempt is counted before Cognito is asked (one conditional `UpdateItem` that refuses once the
 * limit is reached), so concurrent attempts cannot all pass a check made before any of them failed;
 * an attempt that did not fail (a success, Cognito unavailable) is given back afterwards.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior
 * @packageDocumentation
 */
import { isIPv4, isIPv6 } from "node:net";
import type { AttributeValue, DynamoDbApi, UpdateItemInput } from "./aws/dynamodb";
import { BoundedTtlCache } from "./cache";
import { basicUsernameKey } from "../../contracts/basic-users";
import { errorDetail } from "./error-detail";
import {
  PRINCIPAL_ATTRIBUTE,
  SIGN_IN_LIMIT_ATTEMPTS_ATTRIBUTE,
  SIGN_IN_LIMIT_EXPIRES_AT_ATTRIBUTE,
  SIGN_IN_LIMIT_WINDOW_START_ATTRIBUTE,
  signInLimitKey,
} from "../../core/grant-item";

/** The limit's settings. */
export interface SignInLimitSettings {
  /** AUTHZ_TABLE_NAME: the table that holds the counters (next to the grants, under their own keys). */
  readonly tableName: string;
  /** BASIC_SIGN_IN_FAILURE_LIMIT: failed sign-ins of one account from one address allowed per window. */
  readonly maxFailures: number;
  /** BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS: how long a window lasts, from its first counted attempt. */
  readonly windowSeconds: number;
  /**
   * Pairs remembered as refused in this container (answered without DynamoDB until their window ends).
   *
   * @default 10000
   */
  readonly maxRememberedRefusals?: number;
}

/** Injected collaborators. */
export interface SignInLimitDependencies {
  /** The DynamoDB client (created once per container). */
  readonly dynamoDb: Pick<DynamoDbApi, "getItem" | "updateItem">;
  /**
   * Current time in milliseconds since the epoch.
   *
   * @default Date.now
   */
  readonly now?: () => number;
}

/** Result of {@link SignInLimiter.reserve}. */
export type SignInReservation =
  | {
      readonly ok: true;
      /**
       * Gives the attempt back: call when the sign-in did not fail (success, or Cognito unavailable).
       * Best effort; never throws. A lost give-back counts the attempt until the window ends.
       */
      release(): Promise<void>;
    }
  | {
      readonly ok: false;
      /** `BASIC_SIGN_IN_LIMITED` (the pair is at its limit), or `SIGN_IN_LIMIT_UNAVAILABLE` (DynamoDB failed). */
      readonly reason: "BASIC_SIGN_IN_LIMITED" | "SIGN_IN_LIMIT_UNAVAILABLE";
      /** For logs: when the window ends, or the DynamoDB error name. */
      readonly detail: string | undefined;
    };

/** Counts sign-in attempts per (account, address). */
export interface SignInLimiter {
  /**
   * Counts one attempt of `username` from `sourceIp`, or refuses it when the pair is at its limit.
   *
   * @param username - the Basic user-id (compared as the pool compares usernames)
   * @param sourceIp - `requestContext.identity.sourceIp`; `undefined` shares one counter per account
   * @returns the reservation, or why the attempt is refused; never throws
   */
  reserve(username: string, sourceIp: string | undefined): Promise<SignInReservation>;
}

/** A counter item as read: attempts counted in the window that started at `windowStartMs`. */
export interface SignInLimitCount {
  readonly attempts: number;
  readonly windowStartMs: number;
}

/**
 * The part of a source address that counts as one place: an IPv4 address, or the /64 network of an
 * IPv6 address (one subscriber usually holds a whole /64, so counting single IPv6 addresses would
 * give one place 2^64 counters). An IPv4-mapped IPv6 address counts as its IPv4 address.
 *
 * @param sourceIp - the address API Gateway saw, or `undefined`
 * @returns the address key; `unknown` for a missing or unreadable address (one shared counter)
 */
export function sourceAddressKey(sourceIp: string | undefined): string {
  if (sourceIp === undefined) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(sourceIp);
  if (mapped !== null && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(sourceIp)) return sourceIp;
  if (!isIPv6(sourceIp) || sourceIp.includes(".")) return "unknown";
  const [head, tail] = sourceIp.toLowerCase().split("::") as [string, string | undefined];
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * The counter's partition key for a pair: the account in the pool's comparison form, so that
 * `Svc-Reports` and `svc-reports` share one counter as they share one Cognito account.
 *
 * @param username - the Basic user-id
 * @param sourceIp - the source address
 * @returns the key (see `signInLimitKey` in `core/grant-item.ts`)
 */
export function signInLimitKeyOf(username: string, sourceIp: string | undefined): string {
  return signInLimitKey(basicUsernameKey(username), sourceAddressKey(sourceIp));
}

/**
 * Reads a counter item; `undefined` when there is none or it is not one the authorizer wrote.
 *
 * @param item - the item from GetItem
 * @returns the count
 */
export function decodeSignInLimitItem(item: Readonly<Record<string, AttributeValue>> | undefined): SignInLimitCount | undefined {
  const attempts = Number(item?.[SIGN_IN_LIMIT_ATTEMPTS_ATTRIBUTE]?.N);
  const windowStartMs = Number(item?.[SIGN_IN_LIMIT_WINDOW_START_ATTRIBUTE]?.N);
  return Number.isSafeInteger(attempts) && Number.isSafeInteger(windowStartMs) ? { attempts, windowStartMs } : undefined;
}

/**
 * The decision, from the item's own timestamp (never from DynamoDB's TTL, which deletes late): a
 * window is open for `windowSeconds` after its start; while it is open, at most `maxFailures`
 * attempts are counted.
 *
 * @param count - the counter as read, or `undefined` when there is none
 * @param nowMs - the current time
 * @param settings - the limit and the window
 * @returns `open` (another attempt may be counted in this window), `limited` (refuse until
 * `untilMs`) or `expired` (a new window starts)
 */
export function judgeSignInLimit(
  count: SignInLimitCount | undefined,
  nowMs: number,
  settings: Pick<SignInLimitSettings, "maxFailures" | "windowSeconds">,
): { readonly state: "open" } | { readonly state: "limited"; readonly untilMs: number } | { readonly state: "expired" } {
  if (count === undefined) return { state: "expired" };
  const untilMs = count.windowStartMs + settings.windowSeconds * 1000;
  if (nowMs >= untilMs) return { state: "expired" };
  return count.attempts >= settings.maxFailures ? { state: "limited", untilMs } : { state: "open" };
}

const CONDITION_FAILED = "ConditionalCheckFailedException";
const NAMES = {
  "#key": PRINCIPAL_ATTRIBUTE,
  "#attempts": SIGN_IN_LIMIT_ATTEMPTS_ATTRIBUTE,
  "#windowStart": SIGN_IN_LIMIT_WINDOW_START_ATTRIBUTE,
  "#expiresAt": SIGN_IN_LIMIT_EXPIRES_AT_ATTRIBUTE,
} as const;
// Rounds of reserve → read → reset before a contended pair is refused (conservatively).
const MAX_ROUNDS = 3;

function isConditionFailed(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === CONDITION_FAILED;
}

const number = (value: number): AttributeValue => ({ N: String(value) });

const keyOf = (key: string) => ({ [PRINCIPAL_ATTRIBUTE]: { S: key } });
// TTL clean-up only (DynamoDB deletes expired items within days, not on time): in epoch seconds.
const expiresAt = (windowStartMs: number, windowSeconds: number) => number(Math.ceil((windowStartMs + windowSeconds * 1000) / 1000));

/**
 * Counts one attempt: adds 1 to the pair's attempts, starting a window at `nowMs` if there is none,
 * unless the open window already holds `maxFailures` (then the condition fails).
 */
function countAttemptRequest(settings: SignInLimitSettings, key: string, nowMs: number): UpdateItemInput {
  return {
    TableName: settings.tableName,
    Key: keyOf(key),
    UpdateExpression:
      "ADD #attempts :one SET #windowStart = if_not_exists(#windowStart, :now), #expiresAt = if_not_exists(#expiresAt, :expiresAt)",
    ConditionExpression: "attribute_not_exists(#key) OR (#windowStart > :endedBefore AND #attempts < :limit)",
    ExpressionAttributeNames: NAMES,
    ExpressionAttributeValues: {
      ":one": number(1),
      ":now": number(nowMs),
      ":expiresAt": expiresAt(nowMs, settings.windowSeconds),
      ":endedBefore": number(nowMs - settings.windowSeconds * 1000),
      ":limit": number(settings.maxFailures),
    },
    ReturnValues: "ALL_NEW",
  };
}

/**
 * Starts a new window at `nowMs` with this attempt counted, replacing only the ended window that was
 * read (`seen`), or an item the authorizer cannot read (`seen` undefined): a window another container
 * started meanwhile is kept (the condition fails).
 */
function restartWindowRequest(
  settings: SignInLimitSettings,
  key: string,
  nowMs: number,
  seen: SignInLimitCount | undefined,
): UpdateItemInput {
  return {
    TableName: settings.tableName,
    Key: keyOf(key),
    UpdateExpression: "SET #attempts = :one, #windowStart = :now, #expiresAt = :expiresAt",
    ConditionExpression: seen === undefined ? "attribute_exists(#key)" : "#windowStart = :seenWindowStart",
    ExpressionAttributeNames:
      seen === undefined
        ? {
            "#key": NAMES["#key"],
            "#attempts": NAMES["#attempts"],
            "#windowStart": NAMES["#windowStart"],
            "#expiresAt": NAMES["#expiresAt"],
          }
        : { "#attempts": NAMES["#attempts"], "#windowStart": NAMES["#windowStart"], "#expiresAt": NAMES["#expiresAt"] },
    ExpressionAttributeValues: {
      ":one": number(1),
      ":now": number(nowMs),
      ":expiresAt": expiresAt(nowMs, settings.windowSeconds),
      ...(seen === undefined ? {} : { ":seenWindowStart": number(seen.windowStartMs) }),
    },
  };
}

/** Gives one attempt back, if the window it was counted in is still the pair's and holds any. */
function releaseAttemptRequest(settings: SignInLimitSettings, key: string, windowStartMs: number): UpdateItemInput {
  return {
    TableName: settings.tableName,
    Key: keyOf(key),
    UpdateExpression: "ADD #attempts :minusOne",
    ConditionExpression: "#windowStart = :windowStart AND #attempts > :zero",
    ExpressionAttributeNames: { "#attempts": NAMES["#attempts"], "#windowStart": NAMES["#windowStart"] },
    ExpressionAttributeValues: { ":minusOne": number(-1), ":zero": number(0), ":windowStart": number(windowStartMs) },
  };
}

/** The refusal of a pair at its limit, until its window ends. */
function limitedUntil(untilMs: number): SignInReservation {
  return { ok: false, reason: "BASIC_SIGN_IN_LIMITED", detail: `until ${new Date(untilMs).toISOString()}` };
}

/**
 * Creates the limiter. Call once per container.
 *
 * `reserve` sends one conditional `UpdateItem` that adds 1 to the pair's attempts, starting a
 * window if there is none, unless the open window already holds `maxFailures`. When the condition
 * fails, one consistent `GetItem` tells why: at the limit (refused, and remembered in this container
 * until the window ends, so a refused address costs no further DynamoDB call here), or a window that
 * has ended (a second conditional `UpdateItem` starts a new one). Any DynamoDB error refuses the
 * attempt as `SIGN_IN_LIMIT_UNAVAILABLE` (500): the limit fails closed.
 *
 * @param settings - table, limit and window
 * @param deps - DynamoDB client and clock
 * @returns the limiter
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
export function createSignInLimiter(settings: SignInLimitSettings, deps: SignInLimitDependencies): SignInLimiter {
  const now = deps.now ?? Date.now;
  const refused = new BoundedTtlCache<number>(settings.maxRememberedRefusals ?? 10_000);

  const reservation = (key: string, windowStartMs: number): SignInReservation => ({
    ok: true,
    async release() {
      try {
        await deps.dynamoDb.updateItem(releaseAttemptRequest(settings, key, windowStartMs));
      } catch {
        // A new window began meanwhile (nothing to give back), or DynamoDB failed: the attempt stays
        // counted until its window ends, which errs on the side of the account.
      }
    },
  });

  async function reserveInTable(key: string, nowMs: number): Promise<SignInReservation> {
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      try {
        const { Attributes } = await deps.dynamoDb.updateItem(countAttemptRequest(settings, key, nowMs));
        const count = decodeSignInLimitItem(Attributes);
        return reservation(key, count?.windowStartMs ?? nowMs);
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
      const { Item } = await deps.dynamoDb.getItem({ TableName: settings.tableName, Key: keyOf(key), ConsistentRead: true });
      const count = decodeSignInLimitItem(Item);
      const judged = judgeSignInLimit(count, nowMs, settings);
      if (judged.state === "limited") {
        refused.set(key, judged.untilMs, judged.untilMs, nowMs);
        return limitedUntil(judged.untilMs);
      }
      // Open: an attempt was given back since; try again. Gone: deleted by TTL; try again.
      if (judged.state === "open" || Item === undefined) continue;
      try {
        await deps.dynamoDb.updateItem(restartWindowRequest(settings, key, nowMs, count));
        return reservation(key, nowMs);
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    }
    // Every round lost a race with other attempts of this pair: refuse this one.
    return { ok: false, reason: "BASIC_SIGN_IN_LIMITED", detail: "contended" };
  }

  return {
    async reserve(username, sourceIp) {
      const key = signInLimitKeyOf(username, sourceIp);
      const nowMs = now();
      const refusedUntilMs = refused.get(key, nowMs);
      if (refusedUntilMs !== undefined) return limitedUntil(refusedUntilMs);
      try {
        return await reserveInTable(key, nowMs);
      } catch (error) {
        return { ok: false, reason: "SIGN_IN_LIMIT_UNAVAILABLE", detail: errorDetail(error) };
      }
    },
  };
}
