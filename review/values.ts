/**
 * Comparing and walking Terraform attribute values (JSON) the way a plan reader thinks of them:
 * an unset value, `null`, `[]` and `{}` are all "unset"; lists of plain values compare as sets
 * (most are sets in the provider, and order-only differences never show in a plan); a block may
 * be an object (cdktf output) or a one-element list (plan JSON).
 *
 * @packageDocumentation
 */
import { isJsonObject, type JsonObject } from "../core/json";
import { UNKNOWN, readBlock } from "../core/terraform-json/values";

/** One step of an attribute path: a key, or an index in a list. */
export type PathSegment = string | number;

/** Whether `value` counts as unset: `undefined`, `null`, `[]` or `{}`. */
export function isUnset(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}

function isScalar(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

/**
 * Semantic equality of two attribute values: unset values are equal, lists of plain values are
 * compared as multisets, objects key by key.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isUnset(a) || isUnset(b)) return isUnset(a) && isUnset(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    if (a.every(isScalar) && b.every(isScalar)) {
      const key = (v: unknown) => JSON.stringify(v);
      const sortedA = a.map(key).sort();
      const sortedB = b.map(key).sort();
      return sortedA.every((v, i) => v === sortedB[i]);
    }
    return a.every((item, i) => sameValue(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return a === b;
}

/** A leaf (or subtree) that differs between two values. */
export interface ValueDifference {
  readonly segments: readonly PathSegment[];
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * The places where two values differ, as deep as both sides share a shape: into objects key by
 * key, into lists of blocks of equal length item by item; anything else differs as a whole.
 */
export function differences(before: unknown, after: unknown, segments: readonly PathSegment[] = []): ValueDifference[] {
  if (sameValue(before, after)) return [];
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => differences(before[key], after[key], [...segments, key]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length && [...before, ...after].some(isJsonObject)) {
    return before.flatMap((item, i) => differences(item, after[i], [...segments, i]));
  }
  return [{ segments, before: before ?? null, after: after ?? null }];
}

/**
 * The value at `segments` inside `value` (`null` when absent). A string in `opaque` met on the
 * way, such as a masked or unknown placeholder standing for a whole subtree, is the answer for
 * everything below it.
 */
export function valueAt(value: unknown, segments: readonly PathSegment[], opaque: readonly string[] = []): unknown {
  let current = value;
  for (const segment of segments) {
    if (typeof current === "string" && opaque.includes(current)) return current;
    if (typeof segment === "number") current = Array.isArray(current) ? current[segment] : undefined;
    else current = isJsonObject(current) ? current[segment] : undefined;
  }
  return current ?? null;
}

/** `a.b[0].c` for `["a", "b", 0, "c"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

/** The keys of a path, without list indices: `["a", "b", "c"]` for `a.b[0].c`. */
export function pathKeys(segments: readonly PathSegment[]): string[] {
  return segments.filter((s): s is string => typeof s === "string");
}

/** A block as an object, whether written as an object (cdktf) or a one-element list (plan JSON). */
export function block(value: unknown): JsonObject | undefined {
  const read = readBlock(value);
  return read === UNKNOWN ? undefined : read;
}

/** A list of strings (unset → `[]`), or `undefined` when the value is not one (e.g. unknown). */
export function stringList(value: unknown): string[] | undefined {
  if (isUnset(value)) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
  return undefined;
}

/** A JSON document held in a string attribute (policies, grant items), or `undefined`. */
export function jsonDocument(value: unknown): unknown {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (!text.startsWith("{") && !text.startsWith("[")) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Calls `visit` for every string inside `value`, with its path. */
export function forEachString(
  value: unknown,
  visit: (text: string, segments: readonly PathSegment[]) => void,
  segments: PathSegment[] = [],
): void {
  if (typeof value === "string") {
    visit(value, segments);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => forEachString(item, visit, [...segments, i]));
  } else if (isJsonObject(value)) {
    for (const [key, item] of Object.entries(value)) forEachString(item, visit, [...segments, key]);
  }
}

/** A copy of `value` with every string passed through `replace`. */
export function mapStrings(value: unknown, replace: (text: string) => string): unknown {
  if (typeof value === "string") return replace(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, replace));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, replace)]));
  return value;
}
