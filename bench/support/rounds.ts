/** Interleaved rounds: every variant runs once per round (A B C, B C A, C A B, …), so drift and noise hit them alike. */

/** One thing being measured. */
export interface Variant<Sample> {
  /** Its label in the tables. */
  readonly name: string;
  /** Runs it once and returns what was measured. */
  readonly run: (round: number) => Promise<Sample>;
}

/** Options of {@link interleave}. */
export interface InterleaveOptions {
  /** Number of measured rounds. */
  readonly rounds: number;
  /**
   * Unmeasured rounds run first (to fill caches and let the JIT settle).
   *
   * @default 1
   */
  readonly warmupRounds?: number;
  /** Called after each measured round, for progress lines. */
  readonly onRound?: (round: number) => void;
  /** Called (and awaited) before each variant runs, for example to collect garbage and let the collector's threads finish. */
  readonly between?: () => void | Promise<void>;
}

/**
 * Runs the variants in interleaved rounds, starting each round one variant later than the previous
 * so that no variant always runs first.
 *
 * @param variants - what to measure
 * @param options - rounds and hooks
 * @returns the samples of each variant, by name, in round order
 */
export async function interleave<Sample>(variants: readonly Variant<Sample>[], options: InterleaveOptions): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(variants.map((variant) => [variant.name, []]));
  const warmupRounds = options.warmupRounds ?? 1;
  for (let round = -warmupRounds; round < options.rounds; round += 1) {
    const offset = ((round % variants.length) + variants.length) % variants.length;
    for (let index = 0; index < variants.length; index += 1) {
      const variant = variants[(index + offset) % variants.length]!;
      await options.between?.();
      const sample = await variant.run(round);
      if (round >= 0) samples.get(variant.name)!.push(sample);
    }
    if (round >= 0) options.onRound?.(round);
  }
  return samples;
}
