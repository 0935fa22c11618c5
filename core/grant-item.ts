/**
 * The grants table's data contract, in one place: the attribute names, the principal keys, the
 * encoding the stack writes and the decoding the authorizer (and the review, which judges what the
 * authorizer will read) applies. Dependency-free but for the route grammar, so the stack can
 * import it at synth time and the authorizer's bundle stays small.
 *
 * Item: `{ "principal": {"S": "user#alice"}, "routes": {"L": [{"S": "GET /resource"}]} }`.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.CoreComponents.html
 * @packageDocumentation
 */
import { parseRouteKey } from "./routes";

/** Name of the table's partition key (S). */
export const PRINCIPAL_ATTRIBUTE = "principal";

/** Name of the list (L) of route strings (S) `"<METHOD|*> <resource path>"`. */
export const ROUTES_ATTRIBUTE = "routes";

/**
 * Key of a user's grants: `user#<Cognito username>`, the access token's `username` claim (for
 * pools where users sign in with their e-mail, that is the `sub` Cognito generated).
 */
export function userPrincipal(username: string): string {
  return `user#${username}`;
}

/** Key of a machine client's grants: `client#<app client id>` (client_credentials tokens). */
export function clientPrincipal(clientId: string): string {
  return `client#${clientId}`;
}

/**
 * Prefix of the authorizer's failed sign-in counters, which share the table with the grants: one item
 * per (designated account, source address), `lockout#<address>#<username>`. It cannot be a grant's
 * key, which always starts with `user#` or `client#`; the authorizer's role may write only keys
 * that start with it (a `dynamodb:LeadingKeys` condition), never a grant.
 */
export const SIGN_IN_LIMIT_KEY_PREFIX = "lockout#";

/** A counter's attempts in its window (N). */
export const SIGN_IN_LIMIT_ATTEMPTS_ATTRIBUTE = "attempts";

/** When a counter's window started, in milliseconds since the epoch (N). */
export const SIGN_IN_LIMIT_WINDOW_START_ATTRIBUTE = "windowStartMs";

/**
 * When a counter's window ends, in seconds since the epoch (N): the table's TTL attribute, so that
 * DynamoDB deletes old counters. Grants never carry it. Only clean-up: the authorizer decides from
 * `windowStartMs`, since DynamoDB deletes expired items within days, not on time.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
 */
export const SIGN_IN_LIMIT_EXPIRES_AT_ATTRIBUTE = "expiresAt";

/**
 * Key of a failed sign-in counter (see {@link SIGN_IN_LIMIT_KEY_PREFIX}). An address holds no `#`,
 * so the key reads back unambiguously.
 *
 * @param usernameKey - the account in the pool's comparison form (lower case)
 * @param addressKey - the source address (or its IPv6 /64)
 * @returns the partition key
 */
export function signInLimitKey(usernameKey: string, addressKey: string): string {
  return `${SIGN_IN_LIMIT_KEY_PREFIX}${addressKey}#${usernameKey}`;
}

/**
 * A DynamoDB attribute value, as far as grant items use it (the wire shape of `GetItem`, and of a
 * `aws_dynamodb_table_item`'s `item` JSON).
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
 */
export interface GrantAttributeValue {
  /** A string. */
  readonly S?: string;
  /** A list. */
  readonly L?: readonly GrantAttributeValue[];
}

/** A grant item: whom it names and which routes it grants. */
export interface GrantItem {
  /**
   * The partition key: `user#<username>` or `client#<app client id>` (see {@link userPrincipal},
   * {@link clientPrincipal}); at synth, either may be a Terraform expression known only after apply.
   */
  readonly principal: string;
  /** Route keys `"<METHOD|*> <resource path>"`, in order. */
  readonly routes: readonly string[];
}

/** A grant item in DynamoDB JSON: its principal key and its list of routes. */
export type EncodedGrantItem = Readonly<Record<string, GrantAttributeValue>>;

/**
 * Encodes a grant item as the table stores it.
 *
 * @param item - the principal and its routes
 * @returns the item in DynamoDB JSON
 */
export function encodeGrantItem(item: GrantItem): EncodedGrantItem {
  return {
    [PRINCIPAL_ATTRIBUTE]: { S: item.principal },
    [ROUTES_ATTRIBUTE]: { L: item.routes.map((route) => ({ S: route })) },
  };
}

/** Result of {@link decodeGrantItem}. */
export interface DecodedGrantItem {
  /** The partition key; `undefined` when the item has none as a string (S). */
  readonly principal: string | undefined;
  /** Whether the item holds a list (L) of routes at all (an item without one grants nothing). */
  readonly hasRouteList: boolean;
  /** Valid grants, in item order. */
  readonly routeKeys: readonly string[];
  /** What was ignored, for the log (empty when the item is well formed). */
  readonly problems: readonly string[];
}

/** The string (S) of an attribute value; `undefined` when it is not one. */
function stringOf(value: unknown): string | undefined {
  const text = typeof value === "object" && value !== null ? (value as GrantAttributeValue).S : undefined;
  return typeof text === "string" ? text : undefined;
}

/**
 * Decodes a grant item: its valid grants; anything malformed is ignored (never widened) and
 * reported. This is the one reading of an item: the authorizer grants exactly `routeKeys`, and the
 * review compares exactly them. Defensive: any JSON value is accepted and never throws.
 *
 * @param item - the item (from GetItem, or a table item's parsed JSON), or `undefined` when there is none
 * @returns the principal, the valid grants and the problems
 */
export function decodeGrantItem(item: Readonly<Record<string, unknown>> | undefined): DecodedGrantItem {
  const principal = stringOf(item?.[PRINCIPAL_ATTRIBUTE]);
  const none = (problems: readonly string[]): DecodedGrantItem => ({ principal, hasRouteList: false, routeKeys: [], problems });
  if (item === undefined) return none([]);
  const routes = item[ROUTES_ATTRIBUTE];
  if (routes === undefined) return none([`no "${ROUTES_ATTRIBUTE}" attribute`]);
  const list: unknown = typeof routes === "object" && routes !== null ? (routes as GrantAttributeValue).L : undefined;
  if (!Array.isArray(list)) return none([`"${ROUTES_ATTRIBUTE}" is not a list (L)`]);
  const routeKeys: string[] = [];
  const problems: string[] = [];
  list.forEach((entry: unknown, index) => {
    const text = stringOf(entry);
    if (text === undefined) {
      problems.push(`${ROUTES_ATTRIBUTE}[${index}] is not a string (S)`);
      return;
    }
    const parsed = parseRouteKey(text, { allowAnyMethod: true });
    if (!parsed.ok) problems.push(`${ROUTES_ATTRIBUTE}[${index}] ${parsed.problem}`);
    else routeKeys.push(text);
  });
  return { principal, hasRouteList: true, routeKeys, problems };
}
