/**
 * The command line every benchmark script shares, and the wrapper that runs one script on its own
 * (`npm run bench:<name>`) or for bench/run.ts.
 */
import { writeFileSync } from "node:fs";
import { reportToText, type BenchReport } from "./report";
import { REPORT_FD, isStdoutPipeChild } from "./stdout-pipe";

/** Flags of the benchmark scripts. */
export interface BenchOptions {
  /** `--quick`: one or two small rounds, to check that the script works (numbers mean little). */
  readonly quick: boolean;
  /** `--with-tests`: also time `npm test` as a whole (bench/tests.ts; takes minutes). */
  readonly withTests: boolean;
  /** `--rounds <n>`: override the number of interleaved rounds. */
  readonly rounds: number | undefined;
}

/** Flags after the script name, as parsed by {@link parseBenchArgs}. */
export interface ParsedArgs extends BenchOptions {
  /** `--write`: rewrite bench/RESULTS.md (bench/run.ts only). */
  readonly write: boolean;
  /** `--report-file <path>`: also write the report as JSON there (used by bench/run.ts). */
  readonly reportFile: string | undefined;
  /** Other words: benchmark names to run (bench/run.ts only). */
  readonly names: readonly string[];
}

/**
 * The flags that pass `options` on to another benchmark process.
 *
 * @param options - the flags parsed here
 * @returns `--quick`, `--with-tests` and `--rounds <n>`, as set
 */
export function benchFlags(options: BenchOptions): string[] {
  return [
    ...(options.quick ? ["--quick"] : []),
    ...(options.withTests ? ["--with-tests"] : []),
    ...(options.rounds === undefined ? [] : ["--rounds", String(options.rounds)]),
  ];
}

const USAGE = "flags: --quick, --with-tests, --rounds <n>, --write (run.ts), [benchmark names] (run.ts)";

/**
 * Parses the flags.
 *
 * @param argv - the arguments after the script (`process.argv.slice(2)`)
 * @returns the flags
 * @throws Error naming an unknown flag or a bad value
 */
export function parseBenchArgs(argv: readonly string[]): ParsedArgs {
  let quick = false;
  let withTests = false;
  let write = false;
  let rounds: number | undefined;
  let reportFile: string | undefined;
  const names: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === "--quick") quick = true;
    else if (arg === "--with-tests") withTests = true;
    else if (arg === "--write") write = true;
    else if (arg === "--rounds" || arg === "--report-file") {
      const value = argv[index + 1];
      index += 1;
      if (value === undefined) throw new Error(`${arg} needs a value (${USAGE})`);
      if (arg === "--report-file") reportFile = value;
      else {
        rounds = Number(value);
        if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100)
          throw new Error(`--rounds must be a whole number from 1 to 100, got ${JSON.stringify(value)}`);
      }
    } else if (arg.startsWith("-")) throw new Error(`unknown flag ${JSON.stringify(arg)} (${USAGE})`);
    else names.push(arg);
  }
  return { quick, withTests, write, rounds, reportFile, names };
}

/** Writes a progress line to stderr (the report goes to stdout). */
export function progress(benchName: string, message: string): void {
  process.stderr.write(`[${benchName}] ${message}\n`);
}

/**
 * Runs one benchmark as a script: parses the flags, prints the report, and writes it as JSON when
 * `--report-file` is given (in a child of `runWithStdoutPipe`, sends it as JSON on descriptor 3 instead). Exits with 1 on an error (a missed target is not an error).
 *
 * @param bench - the benchmark
 */
export function runAsScript(bench: (options: BenchOptions) => Promise<BenchReport>): void {
  void (async () => {
    try {
      const args = parseBenchArgs(process.argv.slice(2));
      const report = await bench(args);
      // In a stdout-pipe child (see stdout-pipe.ts), stdout carries the decision log: the report goes to its own descriptor.
      if (isStdoutPipeChild()) {
        writeFileSync(REPORT_FD, JSON.stringify(report));
        return;
      }
      process.stdout.write(`\n${reportToText(report)}`);
      if (args.reportFile !== undefined) writeFileSync(args.reportFile, JSON.stringify(report));
    } catch (error) {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  })();
}

/** Runs `gc()` when node was started with `--expose-gc` (the npm scripts do); otherwise nothing. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return false;
  gc();
  return true;
}

/**
 * Collects garbage, then waits for the collector's background threads (concurrent sweeping) to
 * finish, so their CPU time is not charged to the next measured batch.
 *
 * @param settleMs - how long to wait after `gc()`
 */
export async function settle(settleMs = 100): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
}
