/**
 * Benchmark 5 — throughput and memory: decisions per second on one core at steady state (one
 * process, sequential or limited concurrency), and heap and RSS over 1,000,000 decisions with
 * 100,000 distinct tokens, with the sizes of the authorizer's caches before and after, to show that
 * they stay bounded.
 *
 * The steady-state decisions log to stdout as in Lambda: the benchmark runs in a child process whose
 * stdout is a pipe the parent drains (`support/stdout-pipe.ts`); one row with a counting sink shows
 * what the pipe costs. The memory run logs to a no-op sink (it is about memory, not speed).
 *
 * @packageDocumentation
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import { BoundedTtlCache } from "../functions/authorizer/cache";
import { loadAuthorizerConfig } from "../functions/authorizer/config";
import { createHandler, type ApiGatewayRequestAuthorizerEvent } from "../functions/authorizer/handler";
import { signUserAccessToken } from "../testing/keys";
import { startCountingProxy, type CountingProxy } from "../testing/counting-proxy";
import { READ_SCOPE, WEB_CLIENT_ID, startAuthorizerFixture, type AuthorizerFixture } from "../testing/authorizer-fixture";
import { bearer, restEvent } from "../testing/authorizer-harness";
import { benchFlags, collectGarbage, progress, runAsScript, settle, type BenchOptions } from "./support/cli";
import { isStdoutPipeChild, runWithStdoutPipe, stdoutIsPipe } from "./support/stdout-pipe";
import type { BenchReport, Table, TargetResult } from "./support/report";
import { interleave, type Variant } from "./support/rounds";
import { formatBytes, formatNumber, formatSample, seededRandom } from "./support/stats";

const NAME = "throughput";
const STEADY_PRINCIPALS = 100;
const CONCURRENCY = 16;
const TOKEN_USES = 10;
const BLOCK_DECISIONS = 100;

// Every BoundedTtlCache the authorizer fills, observed by wrapping the prototype's `set` (bench only).
const caches = new Set<BoundedTtlCache<unknown>>();
const originalSet = BoundedTtlCache.prototype.set;
BoundedTtlCache.prototype.set = function (this: BoundedTtlCache<unknown>, ...args: Parameters<BoundedTtlCache<unknown>["set"]>) {
  caches.add(this);
  return originalSet.apply(this, args);
};

/** The sizes of the verified-token cache and the grant cache (told apart by what they hold). */
function cacheSizes(): { readonly verifiedTokens: number; readonly grants: number } {
  let verifiedTokens = 0;
  let grants = 0;
  for (const cache of caches) {
    const first = (cache as unknown as { entries: Map<string, { value: unknown }> }).entries.values().next();
    if (first.done === true) continue;
    if (Array.isArray(first.value.value)) grants += cache.size;
    else verifiedTokens += cache.size;
  }
  return { verifiedTokens, grants };
}

/** Pins every thread of this process to one CPU with taskset, when it exists; returns the CPU or undefined. */
function pinToOneCpu(): number | undefined {
  if (process.platform !== "linux") return undefined;
  const cpu = os.availableParallelism() - 1;
  const result = spawnSync("taskset", ["-a", "-p", "-c", String(cpu), String(process.pid)], { stdio: "ignore" });
  return result.status === 0 ? cpu : undefined;
}

interface ThroughputSample {
  readonly decisionsPerSecond: number;
  readonly cpuMicrosPerDecision: number;
}

async function measure(count: number, run: (index: number) => Promise<void>, concurrency: number): Promise<ThroughputSample> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < count; index += concurrency) {
    if (concurrency === 1) await run(index);
    else await Promise.all(Array.from({ length: Math.min(concurrency, count - index) }, (_, offset) => run(index + offset)));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { decisionsPerSecond: count / seconds, cpuMicrosPerDecision: (cpu.user + cpu.system) / count };
}

function userToken(fixture: AuthorizerFixture<CountingProxy>, username: string): string {
  return signUserAccessToken(fixture.key, { issuer: fixture.jwks.issuer, clientId: WEB_CLIENT_ID, username, scope: READ_SCOPE });
}

const getResource = (token: string): ApiGatewayRequestAuthorizerEvent =>
  restEvent({ method: "GET", resource: "/resource", path: "/resource", authorization: bearer(token) });

/** Part 1: decisions per second at steady state, on a warm authorizer. */
async function steadyState(
  fixture: AuthorizerFixture<CountingProxy>,
  config: ReturnType<typeof loadAuthorizerConfig>,
  sizes: { readonly rounds: number; readonly steadyBatch: number; readonly firstSeenBatch: number },
  countRefusals: (response: { context: { reason: string } }) => void,
): Promise<string[][]> {
  const { rounds, steadyBatch, firstSeenBatch } = sizes;
  // The production log sink (process.stdout.write; stdout is a pipe the parent drains), and a counting one for comparison.
  const handler = createHandler(config, { dynamoDb: fixture.dynamoDb });
  let counted = 0;
  const countingHandler = createHandler(config, { dynamoDb: fixture.dynamoDb, log: () => void counted++ });
  const decide = async (event: ApiGatewayRequestAuthorizerEvent) => countRefusals(await handler(event));
  const decideCounted = async (event: ApiGatewayRequestAuthorizerEvent) => countRefusals(await countingHandler(event));
  progress(NAME, `signing ${STEADY_PRINCIPALS + (rounds + 1) * firstSeenBatch} tokens for the steady-state part`);
  const steadyEvents = Array.from({ length: STEADY_PRINCIPALS }, (_, index) => getResource(userToken(fixture, `user${index}`)));
  const firstSeenEvents = Array.from({ length: rounds + 1 }, () =>
    Array.from({ length: firstSeenBatch }, (_, index) => getResource(userToken(fixture, `user${index % STEADY_PRINCIPALS}`))),
  );
  for (const event of steadyEvents) {
    await decide(event);
    await decideCounted(event);
  }
  const names = {
    sequential: "seen-before tokens, sequential, log to stdout (a pipe)",
    concurrent: `seen-before tokens, ${CONCURRENCY} concurrent, log to stdout (a pipe)`,
    firstSeen: "first-seen tokens, sequential, log to stdout (a pipe)",
    sequentialCounted: "seen-before tokens, sequential, log counted (no I/O)",
  } as const;
  const variants: Variant<ThroughputSample>[] = [
    { name: names.sequential, run: () => measure(steadyBatch, (index) => decide(steadyEvents[index % STEADY_PRINCIPALS]!), 1) },
    { name: names.concurrent, run: () => measure(steadyBatch, (index) => decide(steadyEvents[index % STEADY_PRINCIPALS]!), CONCURRENCY) },
    { name: names.firstSeen, run: (round) => measure(firstSeenBatch, (index) => decide(firstSeenEvents[round + 1]![index]!), 1) },
    {
      name: names.sequentialCounted,
      run: () => measure(steadyBatch, (index) => decideCounted(steadyEvents[index % STEADY_PRINCIPALS]!), 1),
    },
  ];
  progress(
    NAME,
    `${rounds} round(s) of ${variants.length} variants (${steadyBatch} cached or ${firstSeenBatch} first-seen decisions each)`,
  );
  const samples = await interleave(variants, {
    rounds,
    warmupRounds: 1,
    between: () => settle(),
    onRound: (round) => progress(NAME, `round ${round + 1}/${rounds} done`),
  });
  const rows = variants.map(({ name }) => {
    const list = samples.get(name)!;
    return [
      name,
      formatSample(list.map((sample) => sample.decisionsPerSecond)),
      formatSample(list.map((sample) => sample.cpuMicrosPerDecision)),
    ];
  });
  return rows;
}

/**
 * Runs the benchmark.
 *
 * @param options - `--quick` (20,000 decisions instead of 1,000,000), `--rounds`
 * @returns the report
 */
export async function runThroughputBench(options: BenchOptions): Promise<BenchReport> {
  if (!isStdoutPipeChild()) {
    const { report, drained } = await runWithStdoutPipe(__filename, benchFlags(options));
    const note = `The parent (not pinned) drained ${drained.lines.toLocaleString("en-US")} lines (${formatBytes(drained.bytes)}) from the child's stdout pipe: the steady-state decision log.`;
    return { ...report, notes: [...report.notes, note] };
  }
  if (!stdoutIsPipe()) throw new Error("benchmark self-check failed: the benchmark's stdout is a pipe");
  const pinnedCpu = pinToOneCpu();
  const rounds = options.rounds ?? (options.quick ? 1 : 5);
  const steadyBatch = options.quick ? 5_000 : 50_000;
  const firstSeenBatch = options.quick ? 100 : 1_000;
  // The full run (1,000,000 decisions, 100,000 tokens) took about 70 s here (half of it signing tokens), under the 3-minute
  // limit, so it is the default; --quick runs a fiftieth of it.
  const memoryDecisions = options.quick ? 20_000 : 1_000_000;
  const memoryTokens = memoryDecisions / TOKEN_USES;
  const memoryPrincipals = options.quick ? 200 : 1_000;

  const fixture = await startAuthorizerFixture({ proxy: (emulator) => startCountingProxy(emulator), maxAttempts: 3 });
  try {
    const config = loadAuthorizerConfig(fixture.env());
    const principalsNeeded = Math.max(STEADY_PRINCIPALS, memoryPrincipals);
    await fixture.putGrants(
      Array.from({ length: principalsNeeded }, (_, index) => [`user#user${index}`, ["GET /resource", "GET /resource/{id}"]] as const),
    );
    let refused = 0;
    const countRefusals = (response: { context: { reason: string } }) => {
      if (response.context.reason !== "ALLOWED") refused += 1;
    };
    const steadyRows = await steadyState(fixture, config, { rounds, steadyBatch, firstSeenBatch }, countRefusals);

    // A new authorizer for the memory run: its caches start empty and nothing of part 1 stays reachable.
    caches.clear();
    const handler = createHandler(config, { dynamoDb: fixture.dynamoDb, log: () => undefined });
    const decide = async (event: ApiGatewayRequestAuthorizerEvent) => countRefusals(await handler(event));

    // Part 2: memory over many decisions with many distinct tokens. Tokens are signed block by block (10 new tokens, each used
    // 10 times in a shuffled order within the block), so the benchmark itself holds no more than a block of them.
    const gcAvailable = collectGarbage();
    const memory = () => {
      collectGarbage();
      const usage = process.memoryUsage();
      return { heapUsedBytes: usage.heapUsed, rssBytes: usage.rss, ...cacheSizes() };
    };
    const checkpoints: Array<{ label: string; decisions: number; tokens: number; seconds: number } & ReturnType<typeof memory>> = [];
    const before = memory();
    checkpoints.push({ label: "before", decisions: 0, tokens: 0, seconds: 0, ...before });
    progress(
      NAME,
      `${memoryDecisions.toLocaleString("en-US")} decisions with ${memoryTokens.toLocaleString("en-US")} distinct tokens over ${memoryPrincipals} principals`,
    );
    const random = seededRandom(1_000_003);
    let decisionSeconds = 0;
    let signingSeconds = 0;
    let peakRssBytes = before.rssBytes;
    const started = performance.now();
    const checkpointEvery = memoryDecisions / 5;
    const tokensPerBlock = BLOCK_DECISIONS / TOKEN_USES;
    for (let block = 0; block < memoryDecisions / BLOCK_DECISIONS; block += 1) {
      const signingStarted = performance.now();
      const events = Array.from({ length: tokensPerBlock }, (_, index) =>
        getResource(userToken(fixture, `user${(block * tokensPerBlock + index) % memoryPrincipals}`)),
      );
      const order = Array.from({ length: BLOCK_DECISIONS }, (_, index) => index % tokensPerBlock);
      for (let index = order.length - 1; index > 0; index -= 1) {
        const other = Math.floor(random() * (index + 1));
        [order[index], order[other]] = [order[other]!, order[index]!];
      }
      const decidingStarted = performance.now();
      signingSeconds += (decidingStarted - signingStarted) / 1000;
      for (const index of order) await decide(events[index]!);
      decisionSeconds += (performance.now() - decidingStarted) / 1000;
      const done = (block + 1) * BLOCK_DECISIONS;
      if (done % 10_000 === 0) peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
      if (done % checkpointEvery === 0) {
        checkpoints.push({
          label: `after ${done.toLocaleString("en-US")}`,
          decisions: done,
          tokens: (block + 1) * tokensPerBlock,
          seconds: (performance.now() - started) / 1000,
          ...memory(),
        });
        progress(NAME, `${done.toLocaleString("en-US")} decisions (${formatNumber((performance.now() - started) / 1000)} s)`);
      }
    }
    const after = checkpoints[checkpoints.length - 1]!;
    const memoryTable: Table = {
      title: `Memory over ${memoryDecisions.toLocaleString("en-US")} decisions with ${memoryTokens.toLocaleString("en-US")} distinct tokens (heap after gc()${gcAvailable ? "" : ": not available, run with --expose-gc"})`,
      columns: ["checkpoint", "distinct tokens so far", "verified-token cache", "grant cache", "heap used", "RSS"],
      rows: checkpoints.map((point) => [
        point.label,
        point.tokens.toLocaleString("en-US"),
        point.verifiedTokens.toLocaleString("en-US"),
        point.grants.toLocaleString("en-US"),
        formatBytes(point.heapUsedBytes),
        formatBytes(point.rssBytes),
      ]),
    };
    const fullFrom = checkpoints.find((point) => point.verifiedTokens >= config.verifiedTokenCacheSize);
    const heapGrowthBytes = fullFrom === undefined ? undefined : after.heapUsedBytes - fullFrom.heapUsedBytes;
    const bounded = after.verifiedTokens <= config.verifiedTokenCacheSize && after.grants <= 10_000;
    const targets: TargetResult[] = [
      {
        target: "caches stay bounded (verified-token cache ≤ VERIFIED_TOKEN_CACHE_SIZE; heap flat once it is full)",
        measured:
          `verified-token cache ${after.verifiedTokens.toLocaleString("en-US")} / ${config.verifiedTokenCacheSize.toLocaleString("en-US")}, grant cache ${after.grants}; ` +
          `heap ${formatBytes(before.heapUsedBytes)} → ${formatBytes(after.heapUsedBytes)}` +
          (heapGrowthBytes === undefined || fullFrom === undefined
            ? " (the cache never filled in this run)"
            : `, ${heapGrowthBytes >= 0 ? "+" : "−"}${formatBytes(Math.abs(heapGrowthBytes))} from "${fullFrom.label}" (cache full) to the end`),
        met: bounded && (heapGrowthBytes === undefined || heapGrowthBytes < 4 * 1024 * 1024),
        whenMissed:
          "A cache grew past its bound or the heap kept growing after the caches were full: look for an unbounded map in functions/authorizer.",
      },
    ];
    const notes = [
      pinnedCpu === undefined
        ? "taskset was not available: the process was not pinned, so WebCrypto's thread pool could use other cores for first-seen tokens."
        : `Every thread of the benchmark process was pinned to one CPU (taskset -a -p -c ${pinnedCpu}), so WebCrypto's thread pool shares that core.`,
      `Steady state: ${STEADY_PRINCIPALS} principals with one token each, all seen before and their grants cached; the first-seen rows verify a new token per ` +
        `decision (grants cached). The servers (dynalite, JWKS) run in the same process but are idle once the caches are warm. The rows "log to stdout" ` +
        `write each decision's JSON line to stdout, a pipe the parent process drains (as in Lambda); the "log counted" row builds the line and counts it. ` +
        `Lambda runs the function on Node 22 on arm64 (Graviton); these figures come from this machine's Node and CPU.`,
      `Memory run: a new authorizer (empty caches), ${memoryDecisions.toLocaleString("en-US")} decisions in blocks of ${BLOCK_DECISIONS} (${tokensPerBlock} new tokens, each used ${TOKEN_USES} times in a ` +
        `shuffled order), ${memoryPrincipals} principals; ${formatNumber(decisionSeconds)} s deciding and ${formatNumber(signingSeconds)} s signing tokens ` +
        `(${formatNumber(memoryDecisions / decisionSeconds)} decisions/s over the mix of first-seen and cached tokens), peak RSS sampled every 10,000 decisions ` +
        `${formatBytes(peakRssBytes)}. ${
          options.quick
            ? "Quick mode: a scaled-down run (20,000 decisions, 2,000 tokens)."
            : "This is the full-size run (the default: it takes about a minute here, under the 3-minute limit that would call for a scaled default)."
        } Refused decisions: ${refused}.`,
      `Cache sizes are observed by wrapping BoundedTtlCache.prototype.set in the benchmark (the authorizer does not expose its caches).`,
    ];
    return {
      name: NAME,
      title: "Throughput and memory",
      method: `${rounds} interleaved round(s) after one warm-up round for the steady state; then one long run for memory.`,
      tables: [
        {
          title: `Steady state on one core: median (min–max) of ${rounds} round(s)`,
          columns: ["variant", "decisions / s", "CPU µs / decision"],
          rows: steadyRows,
        },
        memoryTable,
      ],
      targets,
      notes,
    };
  } finally {
    await fixture.close();
  }
}

if (require.main === module) runAsScript(runThroughputBench);
