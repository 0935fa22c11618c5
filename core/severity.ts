/**
 * The one severity scale of the checks, the review and the access matrix's changes: its order,
 * which severities can fail a run, and how each is counted and shown.
 *
 * @packageDocumentation
 */

/**
 * Severities, most severe first. `info` is for what a reviewer should know but that never fails a
 * run (for the checks: a remedy that is an organisation's or an account's decision).
 */
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;

/** How much a finding matters. */
export type Severity = (typeof SEVERITIES)[number];

/** The severities `npm run check -- --fail-on` accepts: every one but `info`, which never fails a check. */
export const FAILING_SEVERITIES = ["critical", "high", "medium", "low"] as const;

/** A severity a check can fail on. */
export type FailingSeverity = (typeof FAILING_SEVERITIES)[number];

/** The icon each severity is shown with in Markdown. */
export const SEVERITY_ICON: Readonly<Record<Severity, string>> = { critical: "🔴", high: "🟠", medium: "🟡", low: "🔵", info: "⚪" };

/**
 * Whether `severity` is at or above `threshold` (`critical` is above `high`, and so on).
 *
 * @param severity - the finding's severity
 * @param threshold - the least severity that counts
 * @returns true when `severity` is as severe as `threshold` or more
 */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/**
 * Orders severities most severe first, for `Array.prototype.sort`.
 *
 * @param a - one severity
 * @param b - the other
 * @returns negative when `a` is more severe than `b`, 0 when equal
 */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/**
 * The most severe severity among `items`.
 *
 * @param items - anything with a severity
 * @returns the highest one, or `undefined` when `items` is empty
 */
export function highestSeverity(items: readonly { readonly severity: Severity }[]): Severity | undefined {
  return SEVERITIES.find((severity) => items.some((item) => item.severity === severity));
}

/**
 * Counts `items` by severity.
 *
 * @param items - anything with a severity
 * @returns a count for every severity, 0 when none
 */
export function countBySeverity(items: readonly { readonly severity: Severity }[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const item of items) counts[item.severity] += 1;
  return counts;
}
