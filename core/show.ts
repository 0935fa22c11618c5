/**
 * How a value read from input is quoted in a message (configuration errors, check findings, the
 * review, adopt): as JSON, so a string shows its quotes and `"5"` differs from `5`.
 *
 * @packageDocumentation
 */
import { UNKNOWN } from "./terraform-json/values";

/** How {@link show} quotes. */
export interface ShowOptions {
  /** What an absent value (`undefined`) reads as. @default "nothing" */
  readonly absent?: string;
  /** Whether to quote the value whole instead of shortening it to 80 characters. @default false */
  readonly whole?: boolean;
}

/**
 * A value from input as a message quotes it: JSON (shortened to 80 characters unless `whole`),
 * `absent` when there is none, and "(unknown until apply)" for a value only Terraform knows
 * ({@link UNKNOWN}).
 */
export function show(value: unknown, options: ShowOptions = {}): string {
  if (value === UNKNOWN) return "(unknown until apply)";
  if (value === undefined) return options.absent ?? "nothing";
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return options.whole !== true && text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
