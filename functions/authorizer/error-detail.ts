/**
 * A short, secret-free description of an error for logs.
 *
 * @packageDocumentation
 */

/**
 * The error's `code` (Node network errors such as `ECONNREFUSED`) or `name` (AWS service errors
 * such as `ProvisionedThroughputExceededException`). Never the message, which may echo input.
 *
 * @param error - the value caught
 * @returns the code or name, or `undefined` when there is neither
 */
export function errorDetail(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (typeof code === "string") return code;
  return typeof name === "string" ? name : undefined;
}
