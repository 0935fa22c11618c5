/**
 * Benchmark 4 — load on the authorizer's dependencies: JWKS fetches, DynamoDB GetItem calls and
 * Cognito AdminInitiateAuth calls per 10,000 decisions, over 200 principals and 60 simulated seconds
 * (the handler's clock is injected), counted at the local servers (counting proxies in front of
 * dynalite and cognito-local; the JWKS server counts its own fetches). Side by side: the authorizer's
 * default caches, and the same authorizer with every cache turned off.
 *
 * @packageDocumentation
 */
import { loadAuthorizerConfig } from "../functions/authorizer/config";
import { createHandler, type ApiGatewayRequestAuthorizerEvent } from "../functions/authorizer/handler";
import { signMachineAccessToken, signUserAccessToken } from "../testing/keys";
import { startCountingProxy, type CountingProxy, type ProxiedCall } from "../testing/counting-proxy";
import { READ_SCOPE, WEB_CLIENT_ID, WRITE_SCOPE, startAuthorizerFixture, type AuthorizerFixture } from "../testing/authorizer-fixture";
import { basic, bearer, restEvent } from "../testing/authorizer-harness";
import { progress, runAsScript, type BenchOptions } from "./support/cli";
import type { BenchReport, TargetResult } from "./support/report";
import { interleave, type Variant } from "./support/rounds";
import { formatNumber, formatSample, seededRandom } from "./support/stats";

const NAME = "load";
const SIMULATED_SECONDS = 60;
const CONCURRENCY = 10;
const GRANT_CACHE_TTL_SECONDS = 30;
const BASIC_AUTH_CACHE_TTL_SECONDS = 60;

type PrincipalKind = "user" | "machine" | "basic";

interface Principal {
  readonly kind: PrincipalKind;
  readonly principal: string;
  readonly grants: readonly string[];
  /** Builds the request this principal makes, `n` varying the path. */
  readonly request: (n: number) => ApiGatewayRequestAuthorizerEvent;
}

/** What one run counted. */
interface LoadSample {
  readonly wallMs: number;
  readonly jwksFetches: number;
  readonly getItems: readonly ProxiedCall[];
  readonly signIns: readonly ProxiedCall[];
  readonly signatureVerifications: number;
  readonly reasons: ReadonlyMap<string, number>;
}

/** Per key, the calls' simulated times; the most calls of one key, and the shortest gap between two calls of one key. */
function perKey(
  calls: readonly ProxiedCall[],
  keyOf: (call: ProxiedCall) => string,
): { readonly keys: number; readonly maxCalls: number; readonly minGapMs: number } {
  const times = new Map<string, number[]>();
  for (const call of calls) {
    const key = keyOf(call);
    times.set(key, [...(times.get(key) ?? []), call.atMs]);
  }
  let maxCalls = 0;
  let minGapMs = Number.POSITIVE_INFINITY;
  for (const list of times.values()) {
    maxCalls = Math.max(maxCalls, list.length);
    const sorted = [...list].sort((a, b) => a - b);
    for (let index = 1; index < sorted.length; index += 1) minGapMs = Math.min(minGapMs, sorted[index]! - sorted[index - 1]!);
  }
  return { keys: times.size, maxCalls, minGapMs };
}

const principalOf = (call: ProxiedCall) => String((call.body as { Key?: { principal?: { S?: string } } }).Key?.principal?.S);
const usernameOf = (call: ProxiedCall) => String((call.body as { AuthParameters?: { USERNAME?: string } }).AuthParameters?.USERNAME);

function buildPrincipals(
  fixture: AuthorizerFixture<CountingProxy>,
  counts: Record<PrincipalKind, number>,
): { principals: Principal[]; machineClientIds: string[]; basicUsers: Array<[string, string]> } {
  const principals: Principal[] = [];
  const machineClientIds: string[] = [];
  const basicUsers: Array<[string, string]> = [];
  const issuer = fixture.jwks.issuer;
  for (let index = 0; index < counts.user; index += 1) {
    const username = `user${String(index).padStart(4, "0")}`;
    const token = signUserAccessToken(fixture.key, {
      issuer,
      clientId: WEB_CLIENT_ID,
      username,
      scope: READ_SCOPE,
      lifetimeSeconds: 4 * 3600,
    });
    principals.push({
      kind: "user",
      principal: `user#${username}`,
      grants: ["GET /resource", "GET /resource/{id}"],
      request: (n) =>
        n % 2 === 0
          ? restEvent({ method: "GET", resource: "/resource", path: "/resource", authorization: bearer(token) })
          : restEvent({ method: "GET", resource: "/resource/{id}", path: `/resource/${n}`, authorization: bearer(token) }),
    });
  }
  for (let index = 0; index < counts.machine; index += 1) {
    const clientId = `machine${String(index).padStart(4, "0")}`;
    machineClientIds.push(clientId);
    const token = signMachineAccessToken(fixture.key, { issuer, clientId, scope: WRITE_SCOPE, lifetimeSeconds: 4 * 3600 });
    principals.push({
      kind: "machine",
      principal: `client#${clientId}`,
      grants: ["POST /resource"],
      request: () => restEvent({ method: "POST", resource: "/resource", path: "/resource", authorization: bearer(token) }),
    });
  }
  for (let index = 0; index < counts.basic; index += 1) {
    const username = `legacy${String(index).padStart(4, "0")}`;
    const password = `Legacy-Pass-${index}`;
    basicUsers.push([username, password]);
    principals.push({
      kind: "basic",
      principal: `user#${username}`,
      grants: ["GET /resource"],
      request: () =>
        restEvent({ method: "GET", resource: "/resource", path: "/resource", authorization: basic(`${username}:${password}`) }),
    });
  }
  return { principals, machineClientIds, basicUsers };
}

/**
 * Runs the benchmark.
 *
 * @param options - `--quick`, `--rounds`
 * @returns the report
 */
export async function runLoadBench(options: BenchOptions): Promise<BenchReport> {
  const rounds = options.rounds ?? (options.quick ? 1 : 2);
  const decisions = options.quick ? 1_000 : 10_000;
  const counts: Record<PrincipalKind, number> = options.quick ? { user: 30, machine: 6, basic: 4 } : { user: 150, machine: 30, basic: 20 };
  const principalCount = counts.user + counts.machine + counts.basic;
  let simulatedNowMs = Date.now();
  const fixture = await startAuthorizerFixture({
    cognito: true,
    proxy: (emulator) => startCountingProxy(emulator, () => simulatedNowMs),
    maxAttempts: 3,
  });
  try {
    progress(
      NAME,
      `signing ${counts.user + counts.machine} tokens, creating ${counts.basic} Basic users in cognito-local, writing ${principalCount} grants`,
    );
    const { principals, machineClientIds, basicUsers } = buildPrincipals(fixture, counts);
    await fixture.createUsers(basicUsers);
    await fixture.putGrants(principals.map((principal) => [principal.principal, principal.grants] as const));

    // The workload: decisions spread evenly over the simulated minute, CONCURRENCY at a time at the same instant.
    const random = seededRandom(20_261_122);
    const schedule = Array.from({ length: decisions }, (_, index) => ({
      principal: principals[Math.floor(random() * principals.length)]!,
      offsetMs: Math.floor(index / CONCURRENCY) * CONCURRENCY * ((SIMULATED_SECONDS * 1000) / decisions),
      n: index,
    }));
    const share = (kind: PrincipalKind) => schedule.filter((entry) => entry.principal.kind === kind).length;

    const runWorkload = (extraEnv: Record<string, string>): Variant<LoadSample>["run"] => {
      return async () => {
        const startMs = Date.now();
        simulatedNowMs = startMs;
        const fetchesBefore = fixture.jwks.fetchCount;
        fixture.dynamoDbProxy.reset();
        fixture.cognitoProxy!.reset();
        const reasons = new Map<string, number>();
        let signatureVerifications = 0;
        const config = loadAuthorizerConfig(
          fixture.env({
            APP_CLIENT_IDS: [WEB_CLIENT_ID, ...machineClientIds].join(","),
            GRANT_CACHE_TTL_SECONDS: String(GRANT_CACHE_TTL_SECONDS),
            BASIC_AUTH_CACHE_TTL_SECONDS: String(BASIC_AUTH_CACHE_TTL_SECONDS),
            ...extraEnv,
          }),
        );
        const handler = createHandler(config, {
          dynamoDb: fixture.dynamoDb,
          cognito: fixture.cognito,
          now: () => simulatedNowMs,
          log: (line) => {
            const entry = JSON.parse(line) as { message?: string; reason?: string; authType?: string; fromCache?: boolean };
            if (entry.message !== "authorization decision") return;
            reasons.set(String(entry.reason), (reasons.get(String(entry.reason)) ?? 0) + 1);
            if (entry.authType === "bearer" && entry.fromCache === false) signatureVerifications += 1;
          },
        });
        const wallStarted = performance.now();
        for (let index = 0; index < schedule.length; index += CONCURRENCY) {
          const group = schedule.slice(index, index + CONCURRENCY);
          simulatedNowMs = startMs + group[0]!.offsetMs;
          await Promise.all(group.map(({ principal, n }) => handler(principal.request(n)).catch((error: Error) => error)));
        }
        return {
          wallMs: performance.now() - wallStarted,
          jwksFetches: fixture.jwks.fetchCount - fetchesBefore,
          getItems: fixture.dynamoDbProxy.calls
            .filter((call) => call.operation === "GetItem")
            .map((call) => ({ ...call, atMs: call.atMs - startMs })),
          signIns: fixture
            .cognitoProxy!.calls.filter((call) => call.operation === "AdminInitiateAuth")
            .map((call) => ({ ...call, atMs: call.atMs - startMs })),
          signatureVerifications,
          reasons,
        };
      };
    };
    const names = { cached: "scopegate defaults (caches on)", uncached: "every cache off" } as const;
    const variants: Variant<LoadSample>[] = [
      { name: names.cached, run: runWorkload({}) },
      {
        name: names.uncached,
        run: runWorkload({ GRANT_CACHE_TTL_SECONDS: "0", BASIC_AUTH_CACHE_TTL_SECONDS: "0", VERIFIED_TOKEN_CACHE_SIZE: "0" }),
      },
    ];
    progress(
      NAME,
      `${rounds} round(s): ${decisions} decisions over ${SIMULATED_SECONDS} simulated seconds, ${CONCURRENCY} at a time, per variant`,
    );
    const samples = await interleave(variants, {
      rounds,
      warmupRounds: 0,
      onRound: (round) => progress(NAME, `round ${round + 1}/${rounds} done`),
    });

    const last = (name: string) => samples.get(name)![samples.get(name)!.length - 1]!;
    const stable = (name: string, pick: (sample: LoadSample) => number) => {
      const values = samples.get(name)!.map(pick);
      return values.every((value) => value === values[0]) ? String(values[0]) : values.join(" / ");
    };
    const rows = variants.map(({ name }) => {
      const sample = last(name);
      const getItems = perKey(sample.getItems, principalOf);
      const signIns = perKey(sample.signIns, usernameOf);
      return [
        name,
        stable(name, (s) => s.jwksFetches),
        stable(name, (s) => s.getItems.length),
        String(getItems.maxCalls),
        Number.isFinite(getItems.minGapMs) ? formatNumber(getItems.minGapMs / 1000) : "–",
        stable(name, (s) => s.signIns.length),
        String(signIns.maxCalls),
        stable(name, (s) => s.signatureVerifications),
        formatSample(samples.get(name)!.map((s) => s.wallMs)),
      ];
    });
    const cached = last(names.cached);
    const getItems = perKey(cached.getItems, principalOf);
    const signIns = perKey(cached.signIns, usernameOf);
    const grantPeriods = Math.ceil(SIMULATED_SECONDS / GRANT_CACHE_TTL_SECONDS);
    const basicPeriods = Math.ceil(SIMULATED_SECONDS / BASIC_AUTH_CACHE_TTL_SECONDS);
    const allowed = cached.reasons.get("ALLOWED") ?? 0;
    const targets: TargetResult[] = [
      {
        target: `1 JWKS fetch per run (${decisions.toLocaleString("en-US")} decisions)`,
        measured: `${cached.jwksFetches}`,
        met: cached.jwksFetches <= 1,
        whenMissed: "The remote JWKS was fetched more than once: check the verifier's key resolver and jose's cacheMaxAge.",
      },
      {
        target: `≤ 1 GetItem per principal per grant-cache period (${GRANT_CACHE_TTL_SECONDS} s)`,
        measured:
          `${cached.getItems.length} GetItem for ${getItems.keys} principals (at most ${getItems.maxCalls} for one, ${grantPeriods} periods); ` +
          `shortest gap between two of one principal ${Number.isFinite(getItems.minGapMs) ? `${formatNumber(getItems.minGapMs / 1000)} s` : "–"}`,
        met: getItems.minGapMs >= GRANT_CACHE_TTL_SECONDS * 1000 && getItems.maxCalls <= grantPeriods + 1,
        whenMissed:
          "Two GetItem calls for one principal came closer together than the cache period: check the grant cache and its single-flight sharing.",
      },
      {
        target: `≤ 1 sign-in per Basic credential per cache period (${BASIC_AUTH_CACHE_TTL_SECONDS} s)`,
        measured: `${cached.signIns.length} AdminInitiateAuth for ${signIns.keys} credentials (at most ${signIns.maxCalls} for one, ${basicPeriods} period(s))`,
        met: signIns.minGapMs >= BASIC_AUTH_CACHE_TTL_SECONDS * 1000 && signIns.maxCalls <= basicPeriods + 1,
        whenMissed: "A credential signed in twice within the cache period: check the Basic cache and its single-flight sharing.",
      },
    ];
    return {
      name: NAME,
      title: "Load on the dependencies",
      method:
        `${decisions.toLocaleString("en-US")} decisions over ${principalCount} principals (${counts.user} Bearer users, ${counts.machine} machine clients, ` +
        `${counts.basic} Basic users; requests by them: ${share("user")}, ${share("machine")}, ${share("basic")}), spread evenly over ${SIMULATED_SECONDS} ` +
        `simulated seconds, ${CONCURRENCY} concurrent requests per instant; ${rounds} interleaved round(s) per variant, a new handler (empty caches) each time.`,
      tables: [
        {
          title: `Calls counted at the local servers, per ${decisions.toLocaleString("en-US")} decisions (a value that differs between rounds is shown for each round)`,
          columns: [
            "variant",
            "JWKS fetches",
            "GetItem",
            "max GetItem / principal",
            "shortest GetItem gap s",
            "AdminInitiateAuth",
            "max sign-ins / credential",
            "signature checks",
            "wall ms (median (min–max))",
          ],
          rows,
        },
      ],
      targets,
      notes: [
        `Calls are counted by HTTP proxies between the authorizer's AWS clients (functions/authorizer/aws) and dynalite / cognito-local (cognito-local 5 runs as a child process and was fast enough; the aws-json stub was not needed), ` +
          `stamped with the simulated clock; JWKS fetches are counted by the local JWKS server. Grant cache ${GRANT_CACHE_TTL_SECONDS} s and Basic cache ` +
          `${BASIC_AUTH_CACHE_TTL_SECONDS} s (the defaults). "Every cache off" sets GRANT_CACHE_TTL_SECONDS=0, BASIC_AUTH_CACHE_TTL_SECONDS=0 and ` +
          `VERIFIED_TOKEN_CACHE_SIZE=0; the remote JWKS key set cannot be turned off.`,
        `Every Bearer principal holds one token for the whole minute (${counts.user + counts.machine} tokens). "Signature checks" counts Bearer decisions not served by ` +
          `the verified-token cache: a few more than the tokens, because requests with the same new token in one concurrent group are all verified (token ` +
          `verification has no single-flight sharing, unlike grants and Basic sign-ins; it costs CPU, not calls). With caches off, concurrent identical ` +
          `GetItem and sign-in calls are still shared, so the counts stay a little under one per decision.`,
        `Decisions by reason: ${variants.map(({ name }) => `${name}: ${[...last(name).reasons].map(([reason, count]) => `${reason} ${count}`).join(", ")}`).join("; ")}. ` +
          `${allowed} of ${decisions} were ALLOWED with the defaults.`,
        `The wall time is real time for the whole workload (the simulated clock only drives the caches); with caches off it is dominated by dynalite and cognito-local.`,
      ],
    };
  } finally {
    await fixture.close();
  }
}

if (require.main === module) runAsScript(runLoadBench);
