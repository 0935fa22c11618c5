import { ConfigIssue, show } from "./errors";
import { type JsonObject } from "../../core/json";

/** Joins a field path: `at("a[0]", "b")` → `a[0].b`. */
export function at(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

/** Options shared by the typed field readers. */
interface FieldOptions<T> {
  /** Value used when the field is absent. Without it the field is required. */
  readonly default?: T;
}

/**
 * Reads untyped JSON into typed values while collecting every problem with its path.
 *
 * Each reader returns a usable value even on error (the default, or a neutral value), so
 * validation continues and reports all problems together.
 */
export class Reader {
  /** Problems found so far, in the order they were found. */
  readonly issues: ConfigIssue[] = [];

  /** Records a problem. */
  report(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /**
   * Reads a plain object and reports keys outside `allowed` (typos must not be ignored: a
   * misspelt security setting would silently fall back to its default).
   */
  object(value: unknown, path: string, allowed: readonly string[]): JsonObject | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.report(path || "(root)", `must be an object, got ${show(value)}`);
      return undefined;
    }
    const object = value as JsonObject;
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) {
        this.report(at(path, key), `unknown field; allowed fields here: ${allowed.join(", ")}`);
      }
    }
    return object;
  }

  /** Reads a string field, optionally checked against a pattern. */
  string(
    object: JsonObject,
    key: string,
    path: string,
    options: FieldOptions<string> & { readonly pattern?: RegExp; readonly hint?: string; readonly maxLength?: number } = {},
  ): string {
    const value = object[key];
    const fieldPath = at(path, key);
    if (value === undefined) {
      if (options.default !== undefined) return options.default;
      this.report(fieldPath, `is required${options.hint ? ` (${options.hint})` : ""}`);
      return "";
    }
    if (typeof value !== "string") {
      this.report(fieldPath, `must be a string, got ${show(value)}`);
      return options.default ?? "";
    }
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      this.report(fieldPath, `must be at most ${options.maxLength} characters, got ${value.length}`);
    } else if (options.pattern && !options.pattern.test(value)) {
      this.report(fieldPath, `must match ${options.hint ?? options.pattern.source}, got ${show(value)}`);
    }
    return value;
  }

  /** Reads an optional string field; `undefined` when absent. */
  optionalString(
    object: JsonObject,
    key: string,
    path: string,
    options: { readonly pattern?: RegExp; readonly hint?: string; readonly maxLength?: number } = {},
  ): string | undefined {
    if (object[key] === undefined) return undefined;
    return this.string(object, key, path, options);
  }

  /** Reads a boolean field. */
  boolean(object: JsonObject, key: string, path: string, options: FieldOptions<boolean> = {}): boolean {
    const value = object[key];
    if (value === undefined && options.default !== undefined) return options.default;
    if (typeof value !== "boolean") {
      this.report(at(path, key), value === undefined ? "is required (true or false)" : `must be true or false, got ${show(value)}`);
      return options.default ?? false;
    }
    return value;
  }

  /** Reads a whole number within `[min, max]`. */
  integer(
    object: JsonObject,
    key: string,
    path: string,
    options: FieldOptions<number> & { readonly min: number; readonly max: number; readonly unit?: string },
  ): number {
    const value = object[key];
    if (value === undefined && options.default !== undefined) return options.default;
    const unit = options.unit ? ` ${options.unit}` : "";
    if (typeof value !== "number" || !Number.isInteger(value) || value < options.min || value > options.max) {
      this.report(at(path, key), `must be a whole number from ${options.min} to ${options.max}${unit}, got ${show(value)}`);
      return options.default ?? options.min;
    }
    return value;
  }

  /** Reads one of a fixed set of strings. */
  oneOf<T extends string>(object: JsonObject, key: string, path: string, allowed: readonly T[], options: FieldOptions<T> = {}): T {
    const value = object[key];
    if (value === undefined && options.default !== undefined) return options.default;
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
      this.report(at(path, key), `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${show(value)}`);
      return options.default ?? allowed[0];
    }
    return value as T;
  }

  /** Reads an array field; absent means `default` (or an error without one). */
  array(object: JsonObject, key: string, path: string, options: FieldOptions<readonly unknown[]> = {}): readonly unknown[] {
    const value = object[key];
    if (value === undefined && options.default !== undefined) return options.default;
    if (!Array.isArray(value)) {
      this.report(at(path, key), value === undefined ? "is required (a list)" : `must be a list, got ${show(value)}`);
      return [];
    }
    return value;
  }

  /** Reads a list of strings, each checked against a pattern, with duplicates reported. */
  strings(
    object: JsonObject,
    key: string,
    path: string,
    options: FieldOptions<readonly string[]> & { readonly pattern?: RegExp; readonly hint?: string } = {},
  ): string[] {
    const list = this.array(object, key, path, options);
    const seen = new Set<string>();
    const result: string[] = [];
    list.forEach((item, index) => {
      const itemPath = at(at(path, key), index);
      if (typeof item !== "string") {
        this.report(itemPath, `must be a string, got ${show(item)}`);
        return;
      }
      if (options.pattern && !options.pattern.test(item)) {
        this.report(itemPath, `must match ${options.hint ?? options.pattern.source}, got ${show(item)}`);
        return;
      }
      if (seen.has(item)) {
        this.report(itemPath, `duplicate value ${show(item)}; list each value once`);
        return;
      }
      seen.add(item);
      result.push(item);
    });
    return result;
  }

  /** Reports a duplicate `name` among `items` (first occurrence wins). */
  unique<T>(items: readonly T[], key: (item: T) => string, path: (index: number) => string, what: string): void {
    const first = new Map<string, number>();
    items.forEach((item, index) => {
      const value = key(item);
      if (value === "") return;
      const previous = first.get(value);
      if (previous === undefined) first.set(value, index);
      else this.report(path(index), `duplicate ${what} ${show(value)} (also at index ${previous}); ${what}s must be unique`);
    });
  }
}
