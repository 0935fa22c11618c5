import { show } from "../errors";
import { Reader, at } from "../reader";
import { LOG_RETENTION_DAYS } from "../rules";
import { type JsonObject } from "../../../core/json";

/** Field names of a resource server document (scopegate's own, or the AWS CLI's). */
export interface ResourceServerFieldNames {
  readonly identifier: string;
  readonly name: string;
  readonly scopes: string;
  readonly scopeName: string;
  readonly scopeDescription: string;
}

/** Reads a `logRetentionDays` field: one of the retention periods CloudWatch Logs accepts, else `fallback`. */
export function readRetention(r: Reader, o: JsonObject, path: string, fallback: number): number {
  const value = o.logRetentionDays;
  if (value === undefined) return fallback;
  if (!(LOG_RETENTION_DAYS as readonly unknown[]).includes(value)) {
    r.report(
      at(path, "logRetentionDays"),
      `must be one of CloudWatch's retention periods (${LOG_RETENTION_DAYS.join(", ")}), got ${show(value)}`,
    );
    return fallback;
  }
  return value as number;
}

/** A list of names for an error message, or "(none)". */
export function list(values: readonly string[]): string {
  return values.length === 0 ? "(none)" : values.join(", ");
}
