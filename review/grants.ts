/**
 * Grants, per principal: which routes each principal gains or loses, read from the grant items
 * of the authorization table (`aws_dynamodb_table_item`), whose `item` is DynamoDB JSON read with
 * the same codec as the authorizer's (`core/grant-item.ts`).
 *
 * A principal's routes are compared as a set across all its changed items, so moving a grant from
 * one item to another is no change, and a renamed item key shows as one principal losing and
 * another gaining.
 *
 * @packageDocumentation
 */
import { GrantItem, decodeGrantItem } from "../core/grant-item";
import { GrantChange, ResourceChange, StackChanges } from "./model";
import { jsonDocument } from "./values";
import { isJsonObject } from "../core/json";

/** The resource type of grant items. */
export const GRANT_ITEM_TYPE = "aws_dynamodb_table_item";

/**
 * Reads the `item` attribute of a grant item with the grants table's codec: its principal and the
 * grants the authorizer honours (malformed entries, which it ignores, left out); `undefined` when
 * the value is not a grant (another table's item, or a value known only after apply).
 */
export function parseGrantItem(value: unknown): GrantItem | undefined {
  const document = jsonDocument(value);
  if (!isJsonObject(document)) return undefined;
  const decoded = decodeGrantItem(document);
  if (decoded.principal === undefined || !decoded.hasRouteList) return undefined;
  return { principal: decoded.principal, routes: decoded.routeKeys };
}

/** What the grant items of a stack's changes add and remove. */
export interface GrantReview {
  /** Routes gained or lost, by principal then route. */
  readonly changes: readonly GrantChange[];
  /** Changed items whose value is known only after apply (so their grants cannot be read). */
  readonly unreadable: readonly ResourceChange[];
}

/** Compares the grants of a stack's changed items, principal by principal. */
export function reviewGrants(stack: StackChanges): GrantReview {
  const before = new Map<string, Set<string>>();
  const after = new Map<string, Set<string>>();
  const itemOf = new Map<string, ResourceChange>();
  const unreadable: ResourceChange[] = [];

  const collect = (into: Map<string, Set<string>>, item: GrantItem, change: ResourceChange) => {
    const routes = into.get(item.principal) ?? new Set<string>();
    item.routes.forEach((route) => routes.add(route));
    into.set(item.principal, routes);
    if (into === after || !itemOf.has(item.principal)) itemOf.set(item.principal, change);
  };

  for (const change of stack.changes) {
    if (change.type !== GRANT_ITEM_TYPE) continue;
    const old = change.before === null ? undefined : parseGrantItem(change.before.item);
    const updated = change.after === null ? undefined : parseGrantItem(change.after.item);
    if (change.after !== null && updated === undefined && (old !== undefined || change.action === "add")) {
      // Known only after apply: not a removal, just not comparable yet.
      unreadable.push(change);
      continue;
    }
    if (old !== undefined) collect(before, old, change);
    if (updated !== undefined) collect(after, updated, change);
  }

  const changes: GrantChange[] = [];
  for (const principal of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const had = before.get(principal) ?? new Set<string>();
    const has = after.get(principal) ?? new Set<string>();
    const item = itemOf.get(principal) as ResourceChange;
    const entry = { stack: stack.name, principal, path: item.path, address: item.address };
    for (const route of [...has].filter((r) => !had.has(r)).sort()) changes.push({ ...entry, route, kind: "added" });
    for (const route of [...had].filter((r) => !has.has(r)).sort()) changes.push({ ...entry, route, kind: "removed" });
  }
  return { changes, unreadable };
}
