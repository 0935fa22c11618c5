/**
 * Benchmark — cost at realistic API sizes (`npm run bench:scale`): for the small, medium, large and
 * worst generated configurations (testing/scale-config.ts), the wall time and peak memory of
 * `npm run synth`, `npm run check`, `npm run matrix` and `npm run review` of two synth outputs with
 * one grant changed, with output sizes and the authorizer's environment; and, in this process, a
 * seen-before decision with 4 and with 300 routes (API Gateway's default resource quota), its log
 * line written to a real pipe as in Lambda.
 *
 * At large and worst, the matrix and the review also run from the code before the matrix was
 * factored (the commit {@link BASELINE_REF}, or `SCALE_BASELINE_REF`, exported with `git archive`),
 * interleaved round by round with the current code on the same synth outputs: the old code is the
 * baseline of the same run on the same machine.
 *
 * Each command runs as a child process from the checkout (the tools as their npm scripts run them,
 * `node scripts/tool.cjs <tool>`, compiled once before timing), with its output in a temporary folder.
 *
 * @packageDocumentation
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import * as path from "node:path";
import { loadAuthorizerConfig } from "../functions/authorizer/config";
import { createHandler, type ApiGatewayRequestAuthorizerEvent } from "../functions/authorizer/handler";
import { estimateEnvironmentSize, LAMBDA_ENVIRONMENT_LIMIT_BYTES } from "../contracts/authorizer-environment";
import { createSigningKey, jwksOf, signUserAccessToken } from "../testing/keys";
import { peakMemoryMethod, runMeasured, type ProcessMeasurement } from "./support/child-process";
import { progress, runAsScript, type BenchOptions } from "./support/cli";
import type { BenchReport, TargetResult } from "./support/report";
import { scaleConfigDocument, SCALE_SIZES, type ScaleSize } from "../testing/scale-config";
import { formatBytes, formatRatio, median } from "./support/stats";
import { exportGitRef, type ExportedRef } from "../core/git-export";

const NAME = "scale";
const PROJECT_ROOT = path.resolve(__dirname, "..");
/** How the npm scripts run a tool: compiled, no TypeScript loader. */
const TOOL = (name: string) => ["scripts/tool.cjs", name];

/**
 * The last commit before the access matrix was factored: its matrix and review are the baseline
 * measured beside the current code at large and worst.
 */
export const BASELINE_REF = "c239502f9aae83c2fc9ffe283b783cc809b4940a";

/** Sizes whose matrix and review are also measured with the baseline's code. */
const BASELINE_SIZES: readonly ScaleSize[] = ["large", "worst"];

interface SizeResult {
  readonly size: ScaleSize;
  readonly callers: number;
  readonly profiles: number;
  readonly routes: number;
  readonly resources: number;
  readonly environmentBytes: number;
  readonly synth: ProcessMeasurement;
  readonly check: ProcessMeasurement;
  readonly matrix: ProcessMeasurement;
  readonly review: ProcessMeasurement;
  readonly matrixHtmlBytes: number;
  readonly matrixJsonBytes: number;
  readonly matrixMarkdownBytes: number;
  /** Every timed round of the matrix and the review (the fields above hold the medians' runs). */
  readonly matrixRounds: readonly number[];
  readonly reviewRounds: readonly number[];
  /** The baseline's code on the same outputs, interleaved with the rounds above (absent when not run). */
  readonly baseline?: {
    readonly matrixRounds: readonly number[];
    readonly reviewRounds: readonly number[];
    readonly matrixHtmlBytes: number;
    readonly matrixJsonBytes: number;
    readonly matrixMarkdownBytes: number;
  };
}

function fail(step: string, run: ProcessMeasurement): never {
  throw new Error(`${step} exited ${run.exitCode}:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
}

async function measure(
  step: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  okCodes: readonly number[] = [0],
  cwd: string = PROJECT_ROOT,
): Promise<ProcessMeasurement> {
  const run = await runMeasured(process.execPath, args, { cwd, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env } });
  if (!okCodes.includes(run.exitCode ?? -1)) fail(step, run);
  return run;
}

/** The authorizer's environment in a synth output, each Terraform reference estimated as the synth check does. */
function environmentBytes(outDir: string, stack: string): number {
  const tf = JSON.parse(readFileSync(path.join(outDir, "stacks", stack, "cdk.tf.json"), "utf8"));
  const fn = Object.values(tf.resource.aws_lambda_function as Record<string, any>)[0];
  return estimateEnvironmentSize(fn.environment.variables as Record<string, string>, /\$\{[^}]+\}/g).totalBytes;
}

function resourceCount(outDir: string, stack: string): number {
  const tf = JSON.parse(readFileSync(path.join(outDir, "stacks", stack, "cdk.tf.json"), "utf8"));
  return Object.values(tf.resource as Record<string, Record<string, unknown>>).reduce(
    (total, byName) => total + Object.keys(byName).length,
    0,
  );
}

/** The median run of several, by wall time. */
function medianRun(runs: readonly ProcessMeasurement[]): ProcessMeasurement {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const sizeOf = (file: string) => statSync(file).size;

async function measureSize(size: ScaleSize, workDir: string, rounds: number, baseline: ExportedRef | undefined): Promise<SizeResult> {
  const stack = `scale-${size}`;
  const dir = path.join(workDir, size);
  mkdirSync(dir, { recursive: true });
  const base = scaleConfigDocument(stack, SCALE_SIZES[size]);
  const head = scaleConfigDocument(stack, SCALE_SIZES[size]);
  head.authorizationTable.grants[0].routes.push(`${head.api.routes.at(-1).method} ${head.api.routes.at(-1).path}`);
  const baseFile = path.join(dir, "base.json");
  const headFile = path.join(dir, "head.json");
  writeFileSync(baseFile, JSON.stringify(base));
  writeFileSync(headFile, JSON.stringify(head));
  const baseOut = path.join(dir, "base-out");
  const headOut = path.join(dir, "head-out");

  progress(NAME, `${size}: synth`);
  const synth = await measure(`${size} synth`, ["scripts/synth.cjs"], { SCOPEGATE_CONFIG: baseFile, CDKTF_OUTDIR: baseOut });
  await measure(`${size} synth (head)`, ["scripts/synth.cjs"], { SCOPEGATE_CONFIG: headFile, CDKTF_OUTDIR: headOut });
  progress(NAME, `${size}: check`);
  const check = await measure(`${size} check`, [...TOOL("check"), "--out", baseOut], {}, [0, 1]);

  // Each variant writes its matrix into its own copy of the base output, and its review into its own folder.
  const withBaseline = baseline !== undefined && BASELINE_SIZES.includes(size);
  const variants = [{ name: "current", cwd: PROJECT_ROOT }, ...(withBaseline ? [{ name: "baseline", cwd: baseline.dir }] : [])];
  const runs = new Map(variants.map((v) => [v.name, { matrix: [] as ProcessMeasurement[], review: [] as ProcessMeasurement[] }]));
  const matrixOut = (variant: string) => path.join(dir, `matrix-${variant}`);
  for (const variant of variants) {
    cpSync(baseOut, matrixOut(variant.name), { recursive: true });
    // compiled once (scripts/tool.cjs caches it), before any timing
    await measure(`${size} ${variant.name} matrix --help`, [...TOOL("matrix"), "--help"], {}, [0], variant.cwd);
    await measure(`${size} ${variant.name} review --help`, [...TOOL("review"), "--help"], {}, [0], variant.cwd);
  }
  for (let round = 0; round < rounds; round += 1) {
    for (const variant of variants) {
      // the baseline's worst matrix takes tens of seconds: one round of it is enough for a baseline
      if (variant.name === "baseline" && size === "worst" && round > 0) continue;
      progress(NAME, `${size}: matrix and review, ${variant.name}, round ${round + 1} of ${rounds}`);
      runs.get(variant.name)!.matrix.push(
        await measure(
          `${size} ${variant.name} matrix`,
          [...TOOL("matrix"), "--out", matrixOut(variant.name)],
          // No configuration named: each variant shows the models the output holds. (Named, each code
          // would parse it again and refuse an output whose model its own parser would write otherwise.)
          {},
          [0],
          variant.cwd,
        ),
      );
      // The review writes into the benchmark's folder, never the checkout's cdktf.out.
      runs
        .get(variant.name)!
        .review.push(
          await measure(
            `${size} ${variant.name} review`,
            [...TOOL("review"), "--base-out", baseOut, "--head-out", headOut, "--out", path.join(dir, `review-${variant.name}`)],
            {},
            [0, 1],
            variant.cwd,
          ),
        );
    }
  }
  const current = runs.get("current")!;
  const files = (variant: string) => ({
    matrixHtmlBytes: sizeOf(path.join(matrixOut(variant), "access-matrix.html")),
    matrixJsonBytes: sizeOf(path.join(matrixOut(variant), "access-matrix.json")),
    matrixMarkdownBytes: sizeOf(path.join(matrixOut(variant), "access-matrix.md")),
  });
  const old = runs.get("baseline");

  const matrixJson = JSON.parse(readFileSync(path.join(matrixOut("current"), "access-matrix.json"), "utf8"));
  const [m] = matrixJson.matrices;
  return {
    size,
    callers: m.callers.length,
    profiles: m.profiles.length,
    routes: m.routes.length,
    resources: resourceCount(baseOut, stack),
    environmentBytes: environmentBytes(baseOut, stack),
    synth,
    check,
    matrix: medianRun(current.matrix),
    review: medianRun(current.review),
    ...files("current"),
    matrixRounds: current.matrix.map((run) => run.wallMs),
    reviewRounds: current.review.map((run) => run.wallMs),
    ...(old === undefined
      ? {}
      : {
          baseline: {
            matrixRounds: old.matrix.map((run) => run.wallMs),
            reviewRounds: old.review.map((run) => run.wallMs),
            ...files("baseline"),
          },
        }),
  };
}

/**
 * Exports the baseline's code beside the checkout, sharing its node_modules.
 *
 * @returns the export, or why there is none
 */
function exportBaseline(ref: string): { exported: ExportedRef } | { problem: string } {
  const result = exportGitRef(PROJECT_ROOT, ref);
  if (!result.ok) return { problem: result.problem };
  symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(result.exported.dir, "node_modules"), "dir");
  return { exported: result.exported };
}

/** A writer to a real pipe drained by a child process, as Lambda's stdout is. */
function pipeSink(): { log: (line: string) => void; close: () => Promise<void> } {
  const child = spawn("cat", [], { stdio: ["pipe", "ignore", "inherit"] });
  return {
    log: (line) => void child.stdin.write(`${line}\n`),
    close: () =>
      new Promise((resolve) => {
        child.on("close", () => resolve());
        child.stdin.end();
      }),
  };
}

/** Median microseconds of a seen-before decision with `routeCount` routes, over interleaved rounds. */
async function seenBeforeDecisions(routeCounts: readonly number[], rounds: number, batch: number): Promise<Map<number, number>> {
  const key = createSigningKey("scale-key");
  const issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Scale1";
  const token = signUserAccessToken(key, { issuer, clientId: "web1", username: "alice", scope: "api.example.com/read" });
  const sink = pipeSink();
  const grants = { Item: { principal: { S: "user#alice" }, routes: { L: [{ S: "GET /r0" }] } } };
  const handlers = routeCounts.map((count) => {
    const routeScopes = Object.fromEntries(Array.from({ length: count }, (_, i) => [`GET /r${i}`, ["api.example.com/read"]]));
    const config = loadAuthorizerConfig({
      AWS_REGION: "eu-west-1",
      USER_POOL_ID: "eu-west-1_Scale1",
      APP_CLIENT_IDS: "web1",
      AUTHZ_TABLE_NAME: "grants",
      ROUTE_SCOPES: JSON.stringify(routeScopes),
      JWKS_SNAPSHOT: JSON.stringify(jwksOf(key)),
    });
    // An in-process table: the grant is read once and then served from the grant cache.
    const dynamoDb = { getItem: async () => grants } as never;
    return createHandler(config, { log: sink.log, dynamoDb });
  });
  const event: ApiGatewayRequestAuthorizerEvent = {
    type: "REQUEST",
    methodArn: "arn:aws:execute-api:eu-west-1:123456789012:api123/v1/GET/r0",
    resource: "/r0",
    httpMethod: "GET",
    headers: { Authorization: `Bearer ${token}` },
  };
  for (const handler of handlers) for (let i = 0; i < 1000; i++) await handler(event);
  const samples = routeCounts.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [index, handler] of handlers.entries()) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) await handler(event);
      samples[index]!.push(Number(process.hrtime.bigint() - start) / 1000 / batch);
    }
  }
  await sink.close();
  return new Map(routeCounts.map((count, index) => [count, median(samples[index]!)]));
}

const seconds = (run: ProcessMeasurement) => `${(run.wallMs / 1000).toFixed(2)} s`;
const memory = (run: ProcessMeasurement) => (run.peakRssBytes === undefined ? "–" : formatBytes(run.peakRssBytes));

const secondsOf = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const MIB = 2 ** 20;

/** Runs the benchmark. */
export async function runScaleBench(options: BenchOptions): Promise<BenchReport> {
  const workDir = mkdtempSync(path.join(tmpdir(), "scopegate-bench-scale-"));
  const loadAtStart = loadavg()[0] ?? 0;
  const baselineRef = process.env.SCALE_BASELINE_REF || BASELINE_REF;
  const baseline = options.quick ? { problem: "not run (--quick)" } : exportBaseline(baselineRef);
  try {
    const sizes: ScaleSize[] = options.quick ? ["small", "medium"] : ["small", "medium", "large", "worst"];
    const rounds = options.rounds ?? (options.quick ? 1 : 3);
    const results: SizeResult[] = [];
    for (const size of sizes)
      results.push(await measureSize(size, workDir, rounds, "exported" in baseline ? baseline.exported : undefined));
    progress(NAME, "authorizer: seen-before decision, 4 and 300 routes");
    const decisions = await seenBeforeDecisions([4, 300], options.rounds ?? (options.quick ? 3 : 9), options.quick ? 2_000 : 20_000);
    const with4 = decisions.get(4)!;
    const with300 = decisions.get(300)!;
    const loadAtEnd = loadavg()[0] ?? 0;

    const large = results.find((r) => r.size === "large");
    const worst = results.find((r) => r.size === "worst");
    const medium = results.find((r) => r.size === "medium")!;
    const growth = (pick: (r: SizeResult) => ProcessMeasurement) =>
      large === undefined ? undefined : pick(large).wallMs / pick(medium).wallMs;
    const workGrowth = large === undefined ? undefined : (large.profiles * large.routes) / (medium.profiles * medium.routes);
    const notRun = options.quick ? "not run (--quick)" : "not run";
    const noBaseline = "problem" in baseline ? `no baseline: ${baseline.problem}` : "no baseline";
    /** The current code's median against the baseline's, at one size. */
    const againstBaseline = (result: SizeResult | undefined, pick: "matrixRounds" | "reviewRounds"): TargetResult["measured"] => {
      if (result === undefined) return notRun;
      if (result.baseline === undefined) return noBaseline;
      const now = median(result[pick]);
      const before = median(result.baseline[pick]);
      return `${formatRatio(now, before)} (${secondsOf(now)} vs ${secondsOf(before)}, medians of ${result[pick].length} and ${result.baseline[pick].length})`;
    };
    const withinTenPercent = (result: SizeResult | undefined, pick: "matrixRounds" | "reviewRounds") =>
      result?.baseline === undefined ? undefined : median(result[pick]) <= 1.1 * median(result.baseline[pick]);
    const targets: TargetResult[] = [
      {
        target: "worst: matrix ≤ 1.5 s end to end",
        measured: worst === undefined ? notRun : `${secondsOf(median(worst.matrixRounds))} (median of ${worst.matrixRounds.length})`,
        met: worst === undefined ? undefined : median(worst.matrixRounds) <= 1_500,
      },
      {
        target: "worst: matrix HTML ≤ 1 MiB",
        measured: worst === undefined ? notRun : formatBytes(worst.matrixHtmlBytes),
        met: worst === undefined ? undefined : worst.matrixHtmlBytes <= MIB,
      },
      {
        target: "worst: review of one changed grant ≤ 3 s end to end",
        measured: worst === undefined ? notRun : `${secondsOf(median(worst.reviewRounds))} (median of ${worst.reviewRounds.length})`,
        met: worst === undefined ? undefined : median(worst.reviewRounds) <= 3_000,
      },
      {
        target: "large: matrix within 10% of the code before factoring (same run)",
        measured: againstBaseline(large, "matrixRounds"),
        met: withinTenPercent(large, "matrixRounds"),
      },
      {
        target: "large: review within 10% of the code before factoring (same run)",
        measured: againstBaseline(large, "reviewRounds"),
        met: withinTenPercent(large, "reviewRounds"),
      },
      {
        target: "large: matrix ≤ 2 s end to end",
        measured: large === undefined ? notRun : seconds(large.matrix),
        met: large === undefined ? undefined : large.matrix.wallMs <= 2_000,
      },
      {
        target: "large: review ≤ 5 s end to end",
        measured: large === undefined ? notRun : seconds(large.review),
        met: large === undefined ? undefined : large.review.wallMs <= 5_000,
      },
      {
        target: "large: matrix HTML ≤ 3 MB",
        measured: large === undefined ? notRun : formatBytes(large.matrixHtmlBytes),
        met: large === undefined ? undefined : large.matrixHtmlBytes <= 3_000_000,
      },
      {
        target: "large: peak memory ≤ 500 MB for each tool",
        measured: large === undefined ? notRun : [large.synth, large.check, large.matrix, large.review].map(memory).join(", "),
        met:
          large === undefined
            ? undefined
            : [large.synth, large.check, large.matrix, large.review].every(
                (run) => run.peakRssBytes !== undefined && run.peakRssBytes <= 500e6,
              ),
      },
      {
        target: "medium → large: each tool's time grows no faster than profiles × routes",
        measured:
          workGrowth === undefined
            ? notRun
            : `profiles × routes ×${workGrowth.toFixed(1)}; matrix ×${growth((r) => r.matrix)!.toFixed(2)}, review ×${growth((r) => r.review)!.toFixed(2)}, check ×${growth((r) => r.check)!.toFixed(2)}, synth ×${growth((r) => r.synth)!.toFixed(2)}`,
        met:
          workGrowth === undefined
            ? undefined
            : [growth((r) => r.matrix)!, growth((r) => r.review)!, growth((r) => r.check)!, growth((r) => r.synth)!].every(
                (g) => g <= workGrowth,
              ),
      },
      {
        target: "a seen-before decision with 300 routes ≤ 2× the same with 4 routes",
        measured: `${formatRatio(with300, with4)} (${with300.toFixed(1)} µs vs ${with4.toFixed(1)} µs)`,
        met: with300 / with4 <= 2,
      },
      {
        target: "large: the function's environment fits Lambda's 4 KB",
        measured: large === undefined ? notRun : `${large.environmentBytes} bytes of ${LAMBDA_ENVIRONMENT_LIMIT_BYTES}`,
        met: large === undefined ? undefined : large.environmentBytes <= LAMBDA_ENVIRONMENT_LIMIT_BYTES,
      },
    ];
    const sideBySide = results.flatMap((r) =>
      r.baseline === undefined
        ? []
        : [
            [
              r.size,
              "current (factored)",
              `${secondsOf(median(r.matrixRounds))} (${r.matrixRounds.map(secondsOf).join(", ")})`,
              `${secondsOf(median(r.reviewRounds))} (${r.reviewRounds.map(secondsOf).join(", ")})`,
              formatBytes(r.matrixHtmlBytes),
              formatBytes(r.matrixMarkdownBytes),
              formatBytes(r.matrixJsonBytes),
            ],
            [
              r.size,
              `before factoring (${baselineRef.slice(0, 7)})`,
              `${secondsOf(median(r.baseline.matrixRounds))} (${r.baseline.matrixRounds.map(secondsOf).join(", ")})`,
              `${secondsOf(median(r.baseline.reviewRounds))} (${r.baseline.reviewRounds.map(secondsOf).join(", ")})`,
              formatBytes(r.baseline.matrixHtmlBytes),
              formatBytes(r.baseline.matrixMarkdownBytes),
              formatBytes(r.baseline.matrixJsonBytes),
            ],
          ],
    );
    return {
      name: NAME,
      title: "Cost at realistic API sizes",
      method:
        "Generated configurations (testing/scale-config.ts: one resource server with 20 scopes, browser and machine clients " +
        "alternating, a legacy client; users in ten roles of three grants, except at worst, where every user holds grants of its " +
        "own, 20 browser and 20 machine clients, 240 routes, 200 users); synth and check run once per size, the matrix and the " +
        `review ${rounds} time(s), as child processes, wall time and peak memory (${peakMemoryMethod()}); the review compares two ` +
        "synth outputs whose configurations differ by one grant. At large and worst the matrix and the review of the code before " +
        `the matrix was factored (${baselineRef.slice(0, 7)}, exported with git archive) run on the same outputs, interleaved ` +
        "round by round with the current code (one round of it at worst, where it takes tens of seconds). Decisions: the same " +
        `seen-before token, log line to a pipe, median of interleaved rounds. Load average (1 min) ${loadAtStart.toFixed(2)} at ` +
        `the start and ${loadAtEnd.toFixed(2)} at the end, on ${availableParallelism()} logical CPUs.`,
      tables: [
        {
          title: "Per size (the current code; matrix and review: the median run)",
          columns: [
            "size",
            "routes",
            "callers",
            "profiles",
            "resources",
            "env bytes",
            "synth",
            "check",
            "matrix",
            "review",
            "HTML",
            "JSON",
          ],
          rows: results.map((r) => [
            r.size,
            String(r.routes),
            String(r.callers),
            String(r.profiles),
            String(r.resources),
            String(r.environmentBytes),
            `${seconds(r.synth)} / ${memory(r.synth)}`,
            `${seconds(r.check)} / ${memory(r.check)}`,
            `${seconds(r.matrix)} / ${memory(r.matrix)}`,
            `${seconds(r.review)} / ${memory(r.review)}`,
            formatBytes(r.matrixHtmlBytes),
            formatBytes(r.matrixJsonBytes),
          ]),
        },
        ...(sideBySide.length === 0
          ? []
          : [
              {
                title: "The matrix before and after factoring, same outputs, interleaved rounds (median, then every round)",
                columns: ["size", "code", "matrix", "review", "HTML", "Markdown", "JSON"],
                rows: sideBySide,
              },
            ]),
        {
          title: "Seen-before decision (median µs per decision, log line to a pipe)",
          columns: ["routes", "µs", "ratio to 4 routes"],
          rows: [
            ["4", with4.toFixed(2), "×1.00"],
            ["300", with300.toFixed(2), formatRatio(with300, with4)],
          ],
        },
      ],
      targets,
      notes: [
        "Times are wall clock on this machine's Node and CPU, each tool including its process start (node scripts/tool.cjs, as the npm scripts run it; compiled before timing).",
        "The machine is shared: the load average above says how busy it was; the before/after ratios come from interleaved rounds of the same run.",
      ],
    };
  } finally {
    if ("exported" in baseline) baseline.exported.dispose();
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) runAsScript(runScaleBench);
