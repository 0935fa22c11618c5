/**
 * Reading attribute values of a synthesized `cdk.tf.json` as written: values may be literals,
 * Terraform interpolations (`${…}`), blocks written as an object or as a list of objects, or
 * missing. Every reader answers with the value, `undefined` when the attribute is absent, or
 * {@link UNKNOWN} when only Terraform can tell (an interpolation, a `dynamic` block, or a shape a
 * reader cannot read). Rules treat unknown values as present and never report on them.
 *
 * @packageDocumentation
 */
import { isJsonObject, type JsonObject } from "../json";
import { isExpression } from "./template";

/** A value only Terraform knows (at plan or apply time). */
export const UNKNOWN: unique symbol = Symbol("unknown");

/** The type of {@link UNKNOWN}. */
export type Unknown = typeof UNKNOWN;
/** A string attribute; numbers and booleans as Terraform converts them. */
export function readString(value: unknown): string | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return isExpression(value) ? UNKNOWN : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return UNKNOWN;
}

/** A number attribute; numeric strings as Terraform converts them. */
export function readNumber(value: unknown): number | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? value : UNKNOWN;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return UNKNOWN;
}

/** A boolean attribute; `"true"` and `"false"` as Terraform converts them. */
export function readBoolean(value: unknown): boolean | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  return UNKNOWN;
}

/** A list of strings; each item may itself be unknown. */
export function readStrings(value: unknown): readonly (string | Unknown)[] | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return UNKNOWN;
  return value.map((item) => readString(item) ?? UNKNOWN);
}

/** A single nested block: cdktf writes most as an object, some as a one-item list. */
export function readBlock(value: unknown): JsonObject | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return isJsonObject(value[0]) ? value[0] : UNKNOWN;
  }
  return isJsonObject(value) ? value : UNKNOWN;
}

/** A repeated nested block, as a list of objects. */
export function readBlocks(value: unknown): readonly JsonObject[] | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.every(isJsonObject) ? list : UNKNOWN;
}
