/** Small statistics and number formatting for the benchmarks. */

/**
 * The median of `values` (the mean of the two middle values for an even count).
 *
 * @param values - at least one number
 * @returns the median
 * @throws Error when `values` is empty
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Smallest and largest of `values`. */
export function range(values: readonly number[]): { readonly min: number; readonly max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

/**
 * A number with about three significant digits (`0.012`, `0.12`, `1.23`, `123`, `12,345`).
 *
 * @param value - the number
 * @returns the formatted number
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString("en-US");
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 0.1) return value.toFixed(2);
  if (magnitude === 0) return "0";
  return value.toPrecision(2);
}

/** `×1.23`: how many times `value` is `baseline`. */
export function formatRatio(value: number, baseline: number): string {
  return `×${formatNumber(value / baseline)}`;
}

/** Bytes as `12.3 KiB` or `456 MiB`. */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) >= 1024 * 1024) return `${formatNumber(bytes / (1024 * 1024))} MiB`;
  if (Math.abs(bytes) >= 1024) return `${formatNumber(bytes / 1024)} KiB`;
  return `${bytes} B`;
}

/** `median (min–max)` of a sample, each formatted with {@link formatNumber}. */
export function formatSample(values: readonly number[]): string {
  const { min, max } = range(values);
  return values.length === 1 ? formatNumber(values[0]!) : `${formatNumber(median(values))} (${formatNumber(min)}–${formatNumber(max)})`;
}

/**
 * A deterministic pseudo-random generator (mulberry32), so a benchmark's workload is the same on
 * every run.
 *
 * @param seed - any 32-bit integer
 * @returns a function returning numbers in [0, 1)
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
