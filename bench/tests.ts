/**
 * How long the tests take: the fast lane (`npm run test:unit`) with the configured workers beside
 * the same lane with jest's default on this machine (one fewer than the cores), in interleaved rounds
 * of one run; with `--with-tests`, `npm test` as a whole once more. The load average is recorded
 * beside every verdict: the suites start processes (synth, the tools, git, dependency-cruiser) whose
 * time grows with the machine's load.
 *
 * Targets (issue 23): the fast lane ≤ 30 s, `npm test` ≤ 5 minutes, here.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import * as path from "node:path";
import { runMeasured } from "./support/child-process";
import { progress, runAsScript, type BenchOptions } from "./support/cli";
import type { BenchReport, TargetResult } from "./support/report";
import { interleave, type Variant } from "./support/rounds";
import { formatNumber, formatRatio, formatSample, median } from "./support/stats";

const NAME = "tests";
const PROJECT_ROOT = path.resolve(__dirname, "..");
const JEST = path.join(PROJECT_ROOT, "node_modules", "jest", "bin", "jest.js");

/** The load average over the last minute, two decimals. */
const load = (): string => loadavg()[0]!.toFixed(2);

/** A suite that runs processes of its own (synth, the tools, git, ESLint, dependency-cruiser), by its text. */
const STARTS_PROCESSES = /\bspawnSync\(|\bspawn\(|\bexecFileSync\(|\brunSynth\(|checkoutElsewhere\(/;

/** Where the fast lane's time went, from jest's own report of one run (`--json`). */
function timeBySuite(report: string): { suite: string; seconds: number; processes: boolean }[] {
  const results = (JSON.parse(readFileSync(report, "utf8")) as { testResults: { name: string; startTime: number; endTime: number }[] })
    .testResults;
  return results
    .map((result) => ({
      suite: path.relative(PROJECT_ROOT, result.name),
      seconds: (result.endTime - result.startTime) / 1000,
      processes: STARTS_PROCESSES.test(readFileSync(result.name, "utf8")),
    }))
    .sort((a, b) => b.seconds - a.seconds);
}

export async function runTestsBench(options: BenchOptions): Promise<BenchReport> {
  const rounds = options.rounds ?? (options.quick ? 1 : 2);
  const env = { ...process.env, CI: "true" };
  const scratch = mkdtempSync(path.join(tmpdir(), "scopegate-bench-tests-"));
  const report = path.join(scratch, "unit.json");
  const jest = (args: readonly string[]) => async () => {
    const run = await runMeasured(process.execPath, [JEST, "-c", "jest.unit.config.js", ...args], {
      cwd: PROJECT_ROOT,
      env,
      timeoutMs: 900_000,
    });
    if (run.exitCode !== 0) throw new Error(`jest ${args.join(" ")} exited ${run.exitCode}: ${run.stderr.slice(-2_000)}`);
    return run.wallMs / 1000;
  };
  const jestDefault = Math.max(availableParallelism() - 1, 1);
  const configured = "npm run test:unit (jest.unit.config.js)";
  const before = `the same with jest's default here (--maxWorkers=${jestDefault})`;
  const variants: Variant<number>[] = [
    { name: configured, run: jest(["--json", "--outputFile", report]) },
    { name: before, run: jest([`--maxWorkers=${jestDefault}`]) },
  ];
  const loadBefore = load();
  const samples = await interleave(variants, {
    rounds,
    warmupRounds: 0,
    onRound: (round) => progress(NAME, `round ${round + 1}/${rounds}`),
  });
  const loadAfter = load();
  const suites = timeBySuite(report);
  rmSync(scratch, { recursive: true, force: true });
  const suiteSeconds = suites.reduce((sum, suite) => sum + suite.seconds, 0);
  const processSeconds = suites.filter((suite) => suite.processes).reduce((sum, suite) => sum + suite.seconds, 0);
  const share = (seconds: number) => `${((100 * seconds) / suiteSeconds).toFixed(0)}%`;
  const lane = median(samples.get(configured)!);
  const rows = variants.map((variant) => [
    variant.name,
    formatNumber(median(samples.get(variant.name)!)),
    formatRatio(median(samples.get(variant.name)!), lane),
    formatSample(samples.get(variant.name)!),
  ]);
  const targets: TargetResult[] = [
    {
      target: "npm run test:unit ≤ 30 s",
      measured: `${lane.toFixed(1)} s (${formatNumber(median(samples.get(before)!))} s with jest's default); 1-min load average ${loadBefore} → ${loadAfter}`,
      met: lane <= 30,
      whenMissed:
        `The lane's ${suites.length} suites took ${suiteSeconds.toFixed(0)} s of worker time in the last round; the ` +
        `${suites.filter((suite) => suite.processes).length} that run processes of their own (synth, the tools, git, ESLint, ` +
        `dependency-cruiser) took ${share(processSeconds)} of it, the slowest ten ${share(suites.slice(0, 10).reduce((sum, suite) => sum + suite.seconds, 0))}. ` +
        "Next step: the command-line suites share one synth output per configuration and call the tools in process where the process " +
        "boundary (exit code, stderr) is not what they test.",
    },
  ];
  if (options.withTests) {
    progress(NAME, "running `npm test` once (type-check, lint and every jest suite); this takes minutes");
    const from = load();
    const test = await runMeasured("npm", ["test"], { cwd: PROJECT_ROOT, env, timeoutMs: 1_200_000 });
    const seconds = test.wallMs / 1000;
    targets.push({
      target: "npm test ≤ 5 minutes, nothing skipped",
      measured: `${seconds.toFixed(0)} s, exit ${test.exitCode}, ${/Tests:\s+[^\n]*/.exec(test.stdout + test.stderr)?.[0] ?? "no jest summary"}; 1-min load average ${from} → ${load()}`,
      met: test.exitCode === 0 && seconds <= 300 && !/skipped/.test(/Tests:\s+[^\n]*/.exec(test.stdout + test.stderr)?.[0] ?? "skipped"),
    });
  }
  return {
    name: NAME,
    title: "Test lanes: the fast lane with the configured workers against jest's default here",
    method: `${rounds} interleaved round(s), no warm-up (jest's transform cache is warm from the first round on); wall time from spawn to exit`,
    tables: [
      {
        title: "Wall time, seconds (median; ratio to the fast lane as configured)",
        columns: ["command", "median s", "ratio", "samples"],
        rows,
      },
      {
        title: "The fast lane's slowest suites in the last round (seconds from a suite's start to its end, in its worker)",
        columns: ["suite", "seconds", "share", "runs processes"],
        rows: suites
          .slice(0, 10)
          .map((suite) => [suite.suite, suite.seconds.toFixed(1), share(suite.seconds), suite.processes ? "yes" : "no"]),
      },
    ],
    targets,
    notes: [`${availableParallelism()} logical CPUs; jest's default is one worker fewer than the cores.`],
  };
}

if (require.main === module) runAsScript(runTestsBench);
