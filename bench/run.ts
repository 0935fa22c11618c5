/**
 * Runs every benchmark (or those named), each in its own `node` process, prints their tables and a
 * summary of the targets, and with `--write` rewrites bench/RESULTS.md.
 *
 * `npm run bench -- [names…] [--quick] [--with-tests] [--rounds <n>] [--write]`
 *
 * @packageDocumentation
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { benchFlags, parseBenchArgs } from "./support/cli";
import { describeMachine, machineSummary } from "./support/machine";
import { reportToMarkdown, tableToMarkdown, tableToText, verdict, type BenchReport } from "./support/report";

/** The benchmarks, in the order they run: each is `bench/<name>.ts` and `npm run bench:<name>`. */
export const BENCHMARKS = ["synth", "authorizer", "cold-start", "load", "throughput", "scale", "tools", "tests"] as const;

const RESULTS_FILE = path.join(__dirname, "RESULTS.md");

/** Performance changes made in the source because of these benchmarks (kept with the results they explain). */
const CHANGES = [
  "`core/routes.ts`: `parseRouteKey` remembers valid route keys (two maps, one per mode, emptied at 1,024 entries; the shared " +
    "results are frozen) and builds its error message only on failure. `decide` and the policy parse the same configured routes and grants on " +
    "every decision.",
  "`functions/authorizer/policy.ts`: (superseded) the plan cache of `buildAuthorizerResponse` is gone with the policy it served: the policy " +
    "now allows only the called route's pattern, and `decide` no longer walks every configured route, so a decision's cost no longer grows " +
    "with the number of routes.",
  "Measured together, in one process, three copies of functions/authorizer interleaved (9 rounds of 50,000 cached decisions, CPU time, " +
    "median): before 18.7 µs, with the routes change 13.0 µs, with both 7.8 µs (2.4× faster); every response identical. The policy change was " +
    "also checked against the previous buildAuthorizerResponse on 18,000 random inputs (route sets with overlapping and greedy paths, three " +
    "stages, wildcard method ARNs): identical output. `npx jest __tests__/functions` passes.",
  "`scripts/synth.cjs` (what `npm run synth` and cdktf.json run): esbuild compiles the app's own files instead of the tsx loader, and " +
    "`stacks/authorizer-bundle.ts` reuses the bundle while a SHA-256 of its sources, package-lock.json, the esbuild version and the build " +
    "options is unchanged. The first measurement (tsx and a bundle build on every synth) was 751 ms against a 152 ms floor (×4.94) and the " +
    "template approximation ×8.84 slower; the synth table below is after the change.",
  "`functions/authorizer/basic-auth.ts` and `handler.ts`: the Cognito client is loaded and created on the first Basic request only (a dynamic " +
    "import that esbuild keeps lazy). Measured alone, before the next change, with the SDK still bundled: `require` of the 682 KiB bundle took " +
    "431 ms against 453 ms before at the median and 234 against 276 ms at the minimum (15 interleaved fresh processes each, on this machine under " +
    "a load average of about 6 from other work, so within the noise): a small gain, because the SDK's shared core, most of the bundle, was " +
    "still evaluated for DynamoDB.",
  "`functions/authorizer/aws/`: DynamoDB `GetItem` and Cognito `AdminInitiateAuth` are sent as SigV4-signed AWS JSON requests " +
    "(`@smithy/signature-v4`, SHA-256 from node:crypto) with the SDK's timeouts, standard retries, retry budget, clock-skew correction and " +
    "error names, instead of through the SDK clients; `stacks/authorizer-bundle.ts` prefers ES module builds (`mainFields: module, main`), " +
    "so esbuild keeps only the signer's part of `@smithy/core` (≈ 14 KiB instead of ≈ 140 KiB). The minified bundle went from 682 KiB " +
    "(200 KiB gzipped) to the size in the cold-start table below. " +
    "Side by side in one run (15 interleaved rounds of fresh processes, process start → bundle loaded, median (min), under a load average of about 9 from other work): node alone 723 ms (195), the bundle with the SDK clients 1,736 ms (956), the bundle with the transport 793 ms (281); over node alone, +1,013 ms against +70 ms at the median.",
  "`bench/authorizer.ts` and `bench/throughput.ts` run in a child process whose stdout is a FIFO the parent drains, so the decision log is " +
    "written to a pipe as in Lambda; the former counting-sink rows stay for comparison.",
  "`functions/authorizer/handler.ts`, `decision-memo.ts`, `verify-token.ts`, `grants.ts` (issue 23): a seen-before `Authorization` value whose principal's grants are cached is answered without parsing the header and without a promise, its decision and policy from a bounded memo that answers only while the caches hand out the same identity and grants list. Seen-before decision with the log to a pipe on a quiet machine: 11.0 µs before, 4.5–5.9 µs after (×0.38 → ×0.17–0.20 of crypto.verify; see the authorizer section).",
  "The verifier checks RS256 with node:crypto's synchronous verify on a KeyObject converted once per JWKS key from the key jose's createLocalJWKSet selects and imports (functions/authorizer/key-set.ts), with every check jose's jwtVerify made (held to the jose-based verifier by __tests__/functions/authorizer/verify-differential.test.ts): 35.2 µs a first-seen token against 125 µs for the jose-based verifier it replaced (×0.28), same tokens, same rounds. The decision log line is written from a fixed template (functions/authorizer/decision-log.ts) and the Authorization header is read in one pass. 1-min load average 1.40 → 1.25 over the measured rounds (2 logical CPUs).",
  "The seen-before path, per decision: the `Authorization` header's occurrences are counted (a repeated header is refused whatever its values, so only a single value is looked up); `verifier.cached(value)` answers from the verified-token cache, whose entries are keyed by the whole value that was parsed and verified (`Bearer T` and `bearer T` are two entries; only values that parsed as `Bearer <token>` and verified are stored); `cachedGrants(principal)` answers from the grants cache; the memo gives the decision and the frozen response for (identity object, grants list object, route, method ARN), at most 1,000 identities × 4 routes, and is asked only for identities a cache handed out (a first-seen token is decided without it: a memo miss that evicts costs 2–3 µs, which first-seen tokens never seen again would pay for nothing); then the log line is built and written, as before, one per decision. What is left besides the pipe (the \"rest\" in the breakdown): the two cache lookups' LRU bookkeeping, building the log line, and the handler's promise. Held to a handler created cold for every request by `__tests__/functions/authorizer/stress/decision-memo.property.test.ts` (byte-identical responses and log lines but `fromCache`, and `fromCache` against a model of the caches), which fails with the memo keyed without the method, without the grants list, or with the cache asked for a repeated header.",
];

function runBenchmark(name: string, flags: readonly string[], reportFile: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", path.join(__dirname, `${name}.ts`), ...flags, "--report-file", reportFile],
      {
        cwd: path.resolve(__dirname, ".."),
        stdio: "inherit",
      },
    );
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
}

function summaryTable(reports: readonly BenchReport[]) {
  return {
    title: "Targets",
    columns: ["benchmark", "target", "measured", "verdict"],
    rows: reports.flatMap((report) => report.targets.map((target) => [report.name, target.target, target.measured, verdict(target.met)])),
  };
}

function resultsMarkdown(
  reports: readonly BenchReport[],
  flags: readonly string[],
  loadAverage: number,
  logicalCpus: number,
  summary: string,
): string {
  const now = new Date();
  const busy = loadAverage > logicalCpus / 2;
  const command = `npm run bench -- --write${flags.length > 0 ? ` ${flags.join(" ")}` : ""}`;
  return [
    "# scopegate benchmarks",
    `Generated by \`${command}\` on ${now.toISOString().slice(0, 10)} at ${now.toISOString().slice(11, 16)} UTC. Every script measures its variants ` +
      "side by side in one run, in interleaved rounds, and reports medians and ratios; tests never assert on these numbers.",
    `**Machine:** ${summary}. Load average (1 min) when the run started: ${loadAverage.toFixed(2)} on ${logicalCpus} logical CPUs` +
      (busy
        ? " — the machine was shared with other work, so absolute numbers are noisy; the ratios between interleaved variants are more trustworthy."
        : "."),
    "**Re-run:** `npm run bench -- --write` (every benchmark, about 15 minutes; add `--with-tests` to also time `npm test`, about 5 minutes more); " +
      "one benchmark: `npm run bench:<name>` (`synth`, `authorizer`, `cold-start`, `load`, `throughput`, `scale`, `tools`, `tests`); `--quick` checks that a script works.",
    tableToMarkdown(summaryTable(reports)),
    `## Changes made from these measurements\n\n${CHANGES.map((change) => `- ${change}`).join("\n")}`,
    ...reports.map(reportToMarkdown),
  ].join("\n\n");
}

void (async () => {
  const args = parseBenchArgs(process.argv.slice(2));
  const unknown = args.names.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s) ${unknown.join(", ")}; known: ${BENCHMARKS.join(", ")}`);
  if (args.write && (args.names.length > 0 || args.quick))
    throw new Error("--write rewrites bench/RESULTS.md from a complete run: run every benchmark, without --quick");
  const names = args.names.length > 0 ? args.names : BENCHMARKS;
  const flags = benchFlags(args);
  const machine = describeMachine();
  const dir = mkdtempSync(path.join(tmpdir(), "scopegate-bench-run-"));
  const reports: BenchReport[] = [];
  const failed: string[] = [];
  try {
    for (const name of names) {
      const reportFile = path.join(dir, `${name}.json`);
      const code = await runBenchmark(name, flags, reportFile);
      if (code === 0) reports.push(JSON.parse(readFileSync(reportFile, "utf8")) as BenchReport);
      else failed.push(`${name} (exit ${code})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`\n${tableToText(summaryTable(reports))}\n`);
  if (failed.length > 0) {
    process.stderr.write(`failed: ${failed.join(", ")}${args.write ? "; bench/RESULTS.md was not rewritten" : ""}\n`);
    process.exitCode = 1;
    return;
  }
  if (args.write) {
    writeFileSync(
      RESULTS_FILE,
      `${resultsMarkdown(reports, flags, machine.loadAverage1m, machine.logicalCpus, machineSummary(machine))}\n`,
    );
    process.stdout.write(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}\n`);
  }
})().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
});
