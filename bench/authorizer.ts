/**
 * Benchmark 2 — CPU time per authorization decision: a full `createHandler` call for a Bearer
 * request whose principal's grant is cached, with a first-seen token (its signature verified) and
 * with a seen-before token (the verified-token cache), side by side with verifying the same tokens
 * by raw `crypto.verify`, by jose `jwtVerify` alone with a local key, by aws-jwt-verify with a
 * cached JWKS, and by the jose-based verifier the authorizer used before (`testing/`). The 1-minute
 * load average is recorded at the start and the end of the measured rounds, beside the verdicts.
 *
 * Also, side by side: a failed Basic sign-in (wrong password) with and without the limit of failed
 * sign-ins per account and address (`sign-in-limit.ts`), against cognito-local and dynalite.
 *
 * The handler's decision log goes to stdout as in Lambda: the benchmark runs in a child process
 * whose stdout is a pipe that the parent drains (`support/stdout-pipe.ts`); the rows with a counting
 * log sink show what the pipe costs.
 *
 * @packageDocumentation
 */
import { createPublicKey, verify as cryptoVerify } from "node:crypto";
import { loadavg } from "node:os";
import { JwtRsaVerifier } from "aws-jwt-verify";
import { importJWK, jwtVerify } from "jose";
import { loadAuthorizerConfig } from "../functions/authorizer/config";
import { decide } from "../functions/authorizer/decide";
import { createDecisionMemo } from "../functions/authorizer/decision-memo";
import { createHandler } from "../functions/authorizer/handler";
import { createBasicAuthenticator, type BasicSignInCaller } from "../functions/authorizer/basic-auth";
import { createSignInLimiter } from "../functions/authorizer/sign-in-limit";
import { buildAuthorizerResponse } from "../functions/authorizer/policy";
import { createTokenVerifier, REQUIRED_CLAIMS, type BearerIdentity } from "../functions/authorizer/verify-token";
import { jwksOf, signUserAccessToken } from "../testing/keys";
import { createJoseTokenVerifier } from "../testing/jose-token-verifier";
import { startCountingProxy } from "../testing/counting-proxy";
import { READ_SCOPE, TABLE_NAME, WEB_CLIENT_ID, startAuthorizerFixture } from "../testing/authorizer-fixture";
import { bearer, restEvent } from "../testing/authorizer-harness";
import { benchFlags, progress, runAsScript, settle, type BenchOptions } from "./support/cli";
import { isStdoutPipeChild, runWithStdoutPipe, stdoutIsPipe } from "./support/stdout-pipe";
import type { BenchReport, Table, TargetResult } from "./support/report";
import { interleave, type Variant } from "./support/rounds";
import { formatBytes, formatNumber, formatRatio, formatSample, median } from "./support/stats";

const NAME = "authorizer";
const USER = "alice";
const SEEN_BEFORE_TOKENS = 100;

/** One batch: CPU and wall time per decision (or verification), microseconds. */
interface CostSample {
  readonly cpuMicros: number;
  readonly wallMicros: number;
}

async function timeBatch(count: number, step: (index: number) => Promise<unknown> | unknown): Promise<CostSample> {
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  for (let index = 0; index < count; index += 1) await step(index);
  const wallMs = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuMicros: (cpu.user + cpu.system) / count, wallMicros: (wallMs * 1000) / count };
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`benchmark self-check failed: ${message}`);
}

/**
 * A wrong Basic password for a designated account, through the Basic authenticator alone (the
 * handler adds the same around both), with the failed sign-in limit and without it, against
 * cognito-local and dynalite on this machine. Each attempt comes from a new source address, so the
 * limit counts every one and refuses none; a third row is an address already at the limit.
 */
async function measureBasicFailureLimit(rounds: number, batch: number): Promise<{ table: Table; note: string }> {
  const fixture = await startAuthorizerFixture({ cognito: true, proxy: (emulator) => startCountingProxy(emulator), maxAttempts: 3 });
  try {
    const account = "svc-bench";
    await fixture.createUsers([[account, "Bench-Pass-word-1"]]);
    const settings = { userPoolId: fixture.userPoolId, clientId: fixture.basicClientId!, cacheTtlSeconds: 60, designatedUsers: [account] };
    const limiter = createSignInLimiter({ tableName: TABLE_NAME, maxFailures: 3, windowSeconds: 900 }, { dynamoDb: fixture.dynamoDb });
    const limited = createBasicAuthenticator(settings, { cognito: fixture.cognito!, failedSignInLimit: limiter });
    const unlimited = createBasicAuthenticator(settings, { cognito: fixture.cognito!, failedSignInLimit: null });
    let address = 0;
    const caller = (sourceIp: string): BasicSignInCaller => ({
      sourceIp,
      serverName: "api.example.com",
      serverPath: "/v1/resource",
      headers: {},
    });
    const nextAddress = () => {
      address += 1;
      return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
    };
    const wrong = (n: number) => ({ username: account, password: `wrong-Pass-${n}` });
    const atLimit = caller("192.0.2.250");
    for (let attempt = 0; attempt < 4; attempt += 1) await limited.signIn(wrong(attempt), atLimit);
    const names = {
      without: "failed sign-in, no limit (AdminInitiateAuth)",
      with: "failed sign-in, with the limit (UpdateItem + AdminInitiateAuth)",
      refused: "refused at the limit (remembered in this container)",
      reserve: "breakdown: the count alone (one UpdateItem at dynalite)",
    } as const;
    const expectReason = (reason: string, expected: string) => {
      if (reason !== expected) throw new Error(`expected ${expected}, got ${reason}`);
    };
    const variants: Variant<CostSample>[] = [
      {
        name: names.without,
        run: () =>
          timeBatch(batch, async (n) => {
            const result = await unlimited.signIn(wrong(n), caller(nextAddress()));
            expectReason(result.ok ? "ALLOWED" : result.reason, "BASIC_SIGN_IN_FAILED");
          }),
      },
      {
        name: names.with,
        run: () =>
          timeBatch(batch, async (n) => {
            const result = await limited.signIn(wrong(n), caller(nextAddress()));
            expectReason(result.ok ? "ALLOWED" : result.reason, "BASIC_SIGN_IN_FAILED");
          }),
      },
      {
        name: names.refused,
        run: () =>
          timeBatch(batch, async (n) => {
            const result = await limited.signIn(wrong(n), atLimit);
            expectReason(result.ok ? "ALLOWED" : result.reason, "BASIC_SIGN_IN_LIMITED");
          }),
      },
      {
        name: names.reserve,
        run: () =>
          timeBatch(batch, async () => {
            const reservation = await limiter.reserve(account, nextAddress());
            if (!reservation.ok) throw new Error(`a new address was refused: ${reservation.reason}`);
          }),
      },
    ];
    const samples = await interleave(variants, { rounds, warmupRounds: 1, between: () => settle() });
    const wall = (name: string) => median(samples.get(name)!.map((sample) => sample.wallMicros));
    const baseline = wall(names.without);
    const updateItems = fixture.dynamoDbProxy.count("UpdateItem");
    return {
      table: {
        title: `A failed Basic sign-in, wall milliseconds against cognito-local and dynalite: median (min–max) of ${rounds} round(s) of ${batch}`,
        columns: ["variant", "wall ms", "CPU ms", "wall vs no limit"],
        rows: variants.map((variant) => {
          const list = samples.get(variant.name)!;
          return [
            variant.name,
            formatSample(list.map((sample) => sample.wallMicros / 1000)),
            formatSample(list.map((sample) => sample.cpuMicros / 1000)),
            formatRatio(wall(variant.name), baseline),
          ];
        }),
      },
      note:
        `The failed sign-in limit costs one conditional UpdateItem before Cognito is asked (${updateItems} UpdateItem at the local dynalite in this part, ` +
        `which runs in this process: its CPU is in the CPU column). The ratio here is of dynalite's write to cognito-local's sign-in, both on this machine; ` +
        `in AWS it is one DynamoDB write next to one AdminInitiateAuth, neither measured here. A refused attempt from an address this container has seen ` +
        `at the limit costs no call at all. Bearer requests and cached sign-ins do not touch the counters.`,
    };
  } finally {
    await fixture.close();
  }
}

/**
 * Runs the benchmark.
 *
 * @param options - `--quick`, `--rounds`
 * @returns the report
 */
export async function runAuthorizerBench(options: BenchOptions): Promise<BenchReport> {
  if (!isStdoutPipeChild()) {
    const { report, drained } = await runWithStdoutPipe(__filename, benchFlags(options));
    const note = `The parent drained ${drained.lines} lines (${formatBytes(drained.bytes)}) from the child's stdout pipe: the decision log of the "log to stdout" rows.`;
    return { ...report, notes: [...report.notes, note] };
  }
  check(stdoutIsPipe(), "the benchmark's stdout is a pipe");
  const rounds = options.rounds ?? (options.quick ? 1 : 7);
  const warmupRounds = 1;
  const signedBatch = options.quick ? 50 : 400;
  const cachedBatch = options.quick ? 2_000 : 20_000;

  const fixture = await startAuthorizerFixture({ proxy: (emulator) => startCountingProxy(emulator), maxAttempts: 3 });
  try {
    const env = fixture.env();
    const config = loadAuthorizerConfig(env);
    await fixture.putGrants([[`user#${USER}`, ["GET /resource", "* /resource/{id}"]]]);
    let cachedDecisions = 0;
    let decisions = 0;
    const handler = createHandler(config, {
      dynamoDb: fixture.dynamoDb,
      log: (line) => {
        decisions += 1;
        if (line.includes('"fromCache":true')) cachedDecisions += 1;
      },
    });
    // The production log sink: one JSON line per decision written to stdout, here a pipe the parent drains.
    const stdoutHandler = createHandler(config, { dynamoDb: fixture.dynamoDb });
    const sign = () =>
      signUserAccessToken(fixture.key, { issuer: fixture.jwks.issuer, clientId: WEB_CLIENT_ID, username: USER, scope: READ_SCOPE });
    progress(NAME, `signing ${(rounds + warmupRounds) * signedBatch + SEEN_BEFORE_TOKENS} RS256 tokens`);
    const firstSeenBatches = Array.from({ length: rounds + warmupRounds }, () => Array.from({ length: signedBatch }, sign));
    const seenBeforeTokens = Array.from({ length: SEEN_BEFORE_TOKENS }, sign);
    const seenBeforeEvents = seenBeforeTokens.map((token) =>
      restEvent({ method: "GET", resource: "/resource", path: "/resource", authorization: bearer(token) }),
    );

    // The same verification settings as the authorizer, for jose alone and aws-jwt-verify.
    const publicJwk = fixture.key.publicJwk;
    const joseKey = await importJWK({ ...publicJwk }, "RS256");
    const nodeKey = createPublicKey({ key: { kty: publicJwk.kty, n: publicJwk.n, e: publicJwk.e }, format: "jwk" });
    const joseOptions = {
      algorithms: ["RS256"],
      issuer: config.issuer,
      requiredClaims: [...REQUIRED_CLAIMS],
      maxTokenAge: config.maxTokenAgeSeconds,
      clockTolerance: config.clockToleranceSeconds,
    };
    const awsVerifier = JwtRsaVerifier.create({
      issuer: config.issuer,
      audience: null,
      jwksUri: config.jwksUri,
      graceSeconds: config.clockToleranceSeconds,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== "access" || !config.appClientIds.includes(String(payload.client_id)))
          throw new Error("not an access token of an allowed client");
      },
    });
    awsVerifier.cacheJwks(jwksOf(fixture.key) as unknown as Parameters<typeof awsVerifier.cacheJwks>[0]);

    // Parts of a cached decision, for the breakdown: the verifier alone, and the pure decision + policy.
    const verifier = createTokenVerifier({ ...config, jwksSnapshot: jwksOf(fixture.key) });
    const identity = (await verifier.verify(seenBeforeTokens[0]!)) as { ok: true; identity: BearerIdentity };
    check(identity.ok, "the verifier accepts the tokens");
    // The verifier the authorizer used before (jose jwtVerify, jose's createLocalJWKSet), for comparison.
    const joseVerifier = createJoseTokenVerifier({ ...config, jwksSnapshot: jwksOf(fixture.key) });
    check((await joseVerifier.verify(seenBeforeTokens[0]!)).ok, "the jose-based verifier accepts the tokens");
    const grants = ["GET /resource", "* /resource/{id}"];
    // The seen-before tokens remembered under their Authorization values too, as the handler remembers them.
    const seenBeforeValues = seenBeforeTokens.map((token) => bearer(token));
    for (const [index, token] of seenBeforeTokens.entries()) {
      check((await verifier.verify(token, seenBeforeValues[index])).ok, "the verifier accepts the tokens");
    }

    // Fill the caches: the JWKS, the grant, the seen-before tokens.
    for (const event of seenBeforeEvents) {
      const response = await handler(event);
      check(response.context.reason === "ALLOWED", `a seen-before token is allowed (got ${response.context.reason})`);
      check((await stdoutHandler(event)).context.reason === "ALLOWED", "a seen-before token is allowed (stdout handler)");
    }
    for (const token of seenBeforeTokens) await verifier.verify(token);
    const fetchesAfterWarmup = fixture.jwks.fetchCount;
    const getItemsAfterWarmup = fixture.dynamoDbProxy.count("GetItem");

    const batchOf = (round: number) => firstSeenBatches[round + warmupRounds]!;
    const signatureOf = (token: string) => {
      const dot = token.lastIndexOf(".");
      return { data: Buffer.from(token.slice(0, dot)), signature: Buffer.from(token.slice(dot + 1), "base64url") };
    };
    const names = {
      firstSeenPipe: "createHandler, first-seen token, log to stdout (a pipe)",
      seenBeforePipe: "createHandler, seen-before token, log to stdout (a pipe)",
      firstSeen: "createHandler, first-seen token, log counted (no I/O)",
      seenBefore: "createHandler, seen-before token, log counted (no I/O)",
      crypto: "crypto.verify of the signature alone",
      jose: "jose jwtVerify alone (local key)",
      aws: "aws-jwt-verify JwtRsaVerifier (cached JWKS)",
      verifierFirstSeen: "breakdown: verifier.verify, first-seen",
      joseVerifierFirstSeen: "for comparison: the jose-based verifier used before, first-seen",
      verifierCached: "breakdown: verifier.verify, seen-before",
      verifierLookup: "breakdown: verifier.cached of the Authorization value (what a seen-before decision asks)",
      decidePolicy: "breakdown: decide + buildAuthorizerResponse (on a decision memo miss)",
      memoHit: "breakdown: decision memo hit (what a seen-before decision asks)",
    } as const;
    const variants: Variant<CostSample>[] = [
      {
        name: names.firstSeenPipe,
        run: async (round) => {
          const events = batchOf(round).map((token) =>
            restEvent({ method: "GET", resource: "/resource", path: "/resource", authorization: bearer(token) }),
          );
          return timeBatch(events.length, async (index) => {
            const response = await stdoutHandler(events[index]!);
            if (response.context.reason !== "ALLOWED") throw new Error(`first-seen decision was ${response.context.reason}`);
          });
        },
      },
      {
        name: names.seenBeforePipe,
        run: () =>
          timeBatch(cachedBatch, async (index) => {
            const response = await stdoutHandler(seenBeforeEvents[index % SEEN_BEFORE_TOKENS]!);
            if (response.context.reason !== "ALLOWED") throw new Error(`seen-before decision was ${response.context.reason}`);
          }),
      },
      {
        name: names.firstSeen,
        run: async (round) => {
          const before = cachedDecisions;
          const events = batchOf(round).map((token) =>
            restEvent({ method: "GET", resource: "/resource", path: "/resource", authorization: bearer(token) }),
          );
          const sample = await timeBatch(events.length, async (index) => {
            const response = await handler(events[index]!);
            if (response.context.reason !== "ALLOWED") throw new Error(`first-seen decision was ${response.context.reason}`);
          });
          check(cachedDecisions === before, "first-seen tokens are not served from the verified-token cache");
          return sample;
        },
      },
      {
        name: names.seenBefore,
        run: async () => {
          const before = cachedDecisions;
          const sample = await timeBatch(cachedBatch, async (index) => {
            const response = await handler(seenBeforeEvents[index % SEEN_BEFORE_TOKENS]!);
            if (response.context.reason !== "ALLOWED") throw new Error(`seen-before decision was ${response.context.reason}`);
          });
          check(cachedDecisions - before === cachedBatch, "seen-before tokens are served from the verified-token cache");
          return sample;
        },
      },
      {
        name: names.crypto,
        run: (round) => {
          const tokens = batchOf(round);
          return timeBatch(tokens.length, (index) => {
            const { data, signature } = signatureOf(tokens[index]!);
            if (!cryptoVerify("sha256", data, nodeKey, signature)) throw new Error("crypto.verify refused a token");
          });
        },
      },
      {
        name: names.jose,
        run: (round) => {
          const tokens = batchOf(round);
          return timeBatch(tokens.length, (index) => jwtVerify(tokens[index]!, joseKey, joseOptions));
        },
      },
      {
        name: names.aws,
        run: (round) => {
          const tokens = batchOf(round);
          return timeBatch(tokens.length, (index) => awsVerifier.verify(tokens[index]!));
        },
      },
      {
        // A verifier of its own, so the round's tokens are new to it too.
        name: names.verifierFirstSeen,
        run: (round) => {
          const tokens = batchOf(round);
          return timeBatch(tokens.length, async (index) => {
            const result = await verifier.verify(tokens[index]!);
            if (!result.ok || result.fromCache) throw new Error("the breakdown verifier did not verify a first-seen token");
          });
        },
      },
      {
        name: names.joseVerifierFirstSeen,
        run: (round) => {
          const tokens = batchOf(round);
          return timeBatch(tokens.length, async (index) => {
            const result = await joseVerifier.verify(tokens[index]!);
            if (!result.ok || result.fromCache) throw new Error("the jose-based verifier did not verify a first-seen token");
          });
        },
      },
      {
        name: names.verifierCached,
        run: () =>
          timeBatch(cachedBatch, async (index) => {
            const result = await verifier.verify(seenBeforeTokens[index % SEEN_BEFORE_TOKENS]!);
            if (!result.ok || !result.fromCache) throw new Error("the breakdown verifier missed its cache");
          }),
      },
      {
        name: names.verifierLookup,
        run: () => {
          const values = seenBeforeTokens.map((token) => bearer(token));
          for (const [index, token] of seenBeforeTokens.entries()) void verifier.verify(token, values[index]);
          return timeBatch(cachedBatch, (index) => {
            if (verifier.cached(values[index % SEEN_BEFORE_TOKENS]!) === undefined)
              throw new Error("the breakdown verifier missed its cache");
          });
        },
      },
      {
        name: names.memoHit,
        run: () => {
          const methodArn = seenBeforeEvents[0]!.methodArn;
          const memo = createDecisionMemo();
          const decideNow = () => {
            const decision = decide({ identity: identity.identity, routeKey: "GET /resource", routeScopes: config.routeScopes, grants });
            const response = buildAuthorizerResponse({ methodArn, routeKey: "GET /resource", identity: identity.identity, decision });
            return { response, reason: decision.reason, effect: decision.effect };
          };
          return timeBatch(cachedBatch, () => memo.decision(identity.identity, grants, "GET /resource", methodArn, decideNow));
        },
      },
      {
        name: names.decidePolicy,
        run: () => {
          const methodArn = seenBeforeEvents[0]!.methodArn;
          return timeBatch(cachedBatch, () => {
            const decision = decide({ identity: identity.identity, routeKey: "GET /resource", routeScopes: config.routeScopes, grants });
            return buildAuthorizerResponse({
              methodArn,
              routeKey: "GET /resource",
              identity: identity.identity,
              decision,
            });
          });
        },
      },
    ];
    progress(
      NAME,
      `${rounds} round(s) of ${variants.length} variants: ${signedBatch} first-seen tokens or ${cachedBatch} cached decisions per batch`,
    );
    const loadAtStart = loadavg()[0]!;
    const samples = await interleave(variants, {
      rounds,
      warmupRounds,
      between: () => settle(),
      onRound: (round) => progress(NAME, `round ${round + 1}/${rounds} done`),
    });
    const loadAtEnd = loadavg()[0]!;
    const load = `1-min load average ${loadAtStart.toFixed(2)} → ${loadAtEnd.toFixed(2)}`;

    check(fixture.jwks.fetchCount === fetchesAfterWarmup, "no JWKS fetch after the warm-up");
    const cpu = (name: string) => median(samples.get(name)!.map((sample) => sample.cpuMicros));
    const jose = cpu(names.jose);
    const crypto = cpu(names.crypto);
    const rows = variants.map((variant) => {
      const list = samples.get(variant.name)!;
      const cpuMedian = cpu(variant.name);
      return [
        variant.name,
        formatSample(list.map((sample) => sample.cpuMicros)),
        formatSample(list.map((sample) => sample.wallMicros)),
        formatRatio(cpuMedian, jose),
        formatRatio(cpuMedian, crypto),
        formatNumber(1_000_000 / cpuMedian),
      ];
    });

    const firstSeen = cpu(names.firstSeen);
    const seenBefore = cpu(names.seenBefore);
    const firstSeenPipe = cpu(names.firstSeenPipe);
    const seenBeforePipe = cpu(names.seenBeforePipe);
    const firstSeenRatio = firstSeenPipe / jose;
    const seenBeforeRatio = seenBeforePipe / crypto;
    const breakdownVerifier = cpu(names.verifierLookup);
    const breakdownPolicy = cpu(names.decidePolicy);
    const breakdownMemo = cpu(names.memoHit);
    const breakdownVerifierFirstSeen = cpu(names.verifierFirstSeen);
    const joseVerifierFirstSeen = cpu(names.joseVerifierFirstSeen);
    const pipeCost = seenBeforePipe - seenBefore;
    const cachedRest = seenBefore - breakdownVerifier - breakdownMemo;
    const targets: TargetResult[] = [
      {
        target: "first-seen decision (createHandler, log to a pipe) ≤ 1.0× jose jwtVerify of the same tokens (CPU)",
        measured: `×${formatNumber(firstSeenRatio)} (${formatNumber(firstSeenPipe)} µs vs jose ${formatNumber(jose)} µs); ${load}`,
        met: firstSeenRatio <= 1,
        whenMissed:
          `Missed by ${formatNumber(firstSeenPipe - jose)} µs. The verifier alone (node:crypto verify, header and claim checks, cache insert) costs ` +
          `${formatNumber(breakdownVerifierFirstSeen)} µs, ${formatRatio(breakdownVerifierFirstSeen, crypto)} crypto.verify of the signature alone; the rest of the ` +
          `decision (header parsing, grant cache, decide + policy ${formatNumber(breakdownPolicy)} µs, the log line and its pipe write ${formatNumber(pipeCost)} µs) ` +
          `is ${formatNumber(firstSeenPipe - breakdownVerifierFirstSeen)} µs. Compare the load average: a busy machine slows the pipe write most.`,
      },
      {
        target: "seen-before decision, log to a pipe, ≤ 0.3× crypto.verify of the same token (CPU)",
        measured: `×${formatNumber(seenBeforeRatio)} (${formatNumber(seenBeforePipe)} µs vs ${formatNumber(crypto)} µs); ${load}`,
        met: seenBeforeRatio <= 0.3,
        whenMissed:
          `Missed: a seen-before decision would have to cost ≤ ${formatNumber(crypto * 0.3)} µs and costs ${formatNumber(seenBeforePipe)} µs: the ` +
          `verified-token cache asked with the Authorization value ${formatNumber(breakdownVerifier)} µs, the decision memo hit ${formatNumber(breakdownMemo)} µs ` +
          `(decide + policy, ${formatNumber(breakdownPolicy)} µs, run only on a memo miss), the write to the pipe ${formatNumber(pipeCost)} µs ` +
          `(one write system call per line), and the rest ${formatNumber(cachedRest)} µs (the header's occurrences, the grant cache, the log line, the ` +
          `handler's promise). (A first-seen decision costs ${formatNumber(firstSeen / seenBefore)}× a seen-before one: what the caches save.) ` +
          `The pipe write is a system call Lambda pays too, and it costs most when the machine is busy (see the load average); batching lines would delay ` +
          `logs and is not proposed. Compare the load average: the pipe write and the ratio move most with it.`,
      },
    ];
    const notes = [
      `The verifier checks RS256 with node:crypto's synchronous verify on a KeyObject converted once per JWKS key from the key jose's createLocalJWKSet selects and imports (functions/authorizer/key-set.ts), ` +
        `with every check jose's jwtVerify made (held to the jose-based verifier by __tests__/functions/authorizer/verify-differential.test.ts): ` +
        `${formatNumber(breakdownVerifierFirstSeen)} µs a first-seen token against ${formatNumber(joseVerifierFirstSeen)} µs for the jose-based verifier it ` +
        `replaced (${formatRatio(breakdownVerifierFirstSeen, joseVerifierFirstSeen)}), same tokens, same rounds. The decision log line is written from a ` +
        `fixed template (functions/authorizer/decision-log.ts) and the Authorization header is read in one pass. ${load} over the measured rounds ` +
        `(2 logical CPUs).`,
      `CPU time is process.cpuUsage() (user + system, every thread) over a batch, divided by the batch size; wall time is performance.now(). ` +
        `Batches: ${signedBatch} distinct freshly signed tokens for the signature variants (each variant gets the same tokens in a round), ` +
        `${cachedBatch} decisions for the cached ones. Each round runs every variant once, in a rotated order, after one warm-up round; between variants, ` +
        `gc() runs and the collector's threads get 100 ms to finish. The process is not pinned to a CPU (the throughput benchmark is).`,
      `The request is GET /resource by user#${USER} (grants "GET /resource" and "* /resource/{id}"), 4 configured routes; the grant comes from the cache ` +
        `(${getItemsAfterWarmup} GetItem during warm-up, none during the rounds) and the JWKS from the authorizer's remote key set (${fetchesAfterWarmup} fetch at the local JWKS server, none during the rounds). ` +
        `The "log to stdout" rows use the handler's default sink (process.stdout.write, synchronous on a pipe on Linux, as in Lambda) in a child process ` +
        `whose stdout is a pipe the parent drains; the "log counted" rows use a sink that counts lines (the JSON line is still built), to show what the pipe costs. ` +
        `Lambda runs the function on Node 22 on arm64 (Graviton); these figures come from this machine's Node and CPU (see the machine line above), so compare ratios, not microseconds.`,
      `jose and aws-jwt-verify verify with the same issuer, required claims, 24 h maximum age and 5 s clock tolerance as the authorizer; aws-jwt-verify ` +
        `(JwtRsaVerifier, JWKS given with cacheJwks, so no fetch) also checks token_use and client_id in a customJwtCheck. CognitoJwtVerifier needs a real Cognito issuer URL, ` +
        `so JwtRsaVerifier stands in for it (the same code path). Of ${decisions} handler decisions, ${cachedDecisions} came from the verified-token cache.`,
    ];
    progress(NAME, "a failed Basic sign-in with and without the failed sign-in limit");
    const basicFailure = await measureBasicFailureLimit(rounds, options.quick ? 5 : 40);
    notes.push(basicFailure.note);
    return {
      name: NAME,
      title: "CPU time per authorization decision",
      method: `${rounds} interleaved round(s) after ${warmupRounds} warm-up round; RSA-2048 RS256 tokens shaped like Cognito access tokens.`,
      tables: [
        {
          title: `Per decision or verification, microseconds: median (min–max) of ${rounds} round(s)`,
          columns: ["variant", "CPU µs", "wall µs", "CPU vs jose", "CPU vs crypto.verify", "per CPU-second"],
          rows,
        },
        basicFailure.table,
      ],
      targets,
      notes,
    };
  } finally {
    await fixture.close();
  }
}

if (require.main === module) runAsScript(runAuthorizerBench);
