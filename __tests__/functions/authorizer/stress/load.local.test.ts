/**
 * The authorizer under concurrent load, through `createHandler` with real local servers: the JWKS
 * server, dynalite and cognito-local (each behind a counting proxy). What is counted: JWKS fetches, GetItem
 * per principal, AdminInitiateAuth per credentials, and what the caches keep. The grant store's and
 * the Basic authenticator's cache bounds, with stand-in clients, are in cache-bounds.test.ts.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { loadAuthorizerConfig, type AuthorizerConfig } from "../../../../functions/authorizer/config";
import { createHandler } from "../../../../functions/authorizer/handler";
import { basic, bearer, invoke, mapConcurrent, restEvent, type Outcome } from "../../../../testing/authorizer-harness";
import {
  READ_SCOPE as READ,
  WEB_CLIENT_ID as WEB_CLIENT,
  startAuthorizerFixture,
  type AuthorizerContainer,
  type AuthorizerFixture,
} from "../../../../testing/authorizer-fixture";
import { startFaultProxy, type FaultProxy } from "../../../../testing/fault-proxy";
import type { JwksServer } from "../../../../testing/jwks-server";
import { base64url, createSigningKey, signUserAccessToken } from "../../../../testing/keys";
const START_MS = 1_800_000_000_000;
const PRINCIPALS = 200;
const CALLS = 2_000;
const CONCURRENCY = 100;
const BASIC_USERS = 5;
const BASIC_PASSWORD = "Load-Test:Pass-1";

const poolKey = createSigningKey("pool-key-1");
const username = (index: number) => `u${String(index).padStart(3, "0")}`;
/** Principals with an even index have a grant for GET /resource; the others have no item at all. */
const hasGrant = (index: number) => index % 2 === 0;

let fixture: AuthorizerFixture<FaultProxy>;
let jwks: JwksServer;
let dynamoProxy: FaultProxy;
let cognitoProxy: FaultProxy;

beforeAll(async () => {
  fixture = await startAuthorizerFixture({ cognito: true, keys: [poolKey], proxy: startFaultProxy });
  ({ jwks, dynamoDbProxy: dynamoProxy } = fixture);
  cognitoProxy = fixture.cognitoProxy!;
  const basicUsers = Array.from({ length: BASIC_USERS }, (_, index) => `basic${index}`);
  await fixture.createUsers(basicUsers.map((user) => [user, BASIC_PASSWORD] as const));
  await fixture.putGrants([
    ...Array.from({ length: PRINCIPALS }, (_, index) => index)
      .filter(hasGrant)
      .map((index) => [`user#${username(index)}`, ["GET /resource"]] as const),
    ...basicUsers.map((user) => [`user#${user}`, ["GET /resource"]] as const),
  ]);
}, 30_000);

afterAll(async () => {
  await fixture?.close();
});

interface Harness extends AuthorizerContainer {
  /** AdminInitiateAuth requests this handler sent, counted at the proxy in front of cognito-local. */
  readonly signIns: () => number;
}

afterEach(() => fixture.stopContainers());

/** The one route every call of this file makes. */
const ROUTES = { ROUTE_SCOPES: JSON.stringify({ "GET /resource": [READ] }) };

function config(overrides: Record<string, string> = {}): AuthorizerConfig {
  return loadAuthorizerConfig(fixture.env({ ...ROUTES, ...overrides }));
}

/** A fresh handler (a cold container) over the shared servers, with its own clock and log. */
function harness(overrides: Record<string, string> = {}): Harness {
  const signInsBefore = cognitoProxy.count("AdminInitiateAuth");
  const signIns = () => cognitoProxy.count("AdminInitiateAuth") - signInsBefore;
  const container = fixture.startContainer({ nowMs: START_MS, env: { ...ROUTES, ...overrides } });
  return { ...container, signIns };
}

const getResource = (authorization: string) => restEvent({ method: "GET", resource: "/resource", path: "/resource", authorization });
const tokenOf = (index: number, nowMs = START_MS, jti = "") =>
  signUserAccessToken(poolKey, {
    issuer: jwks.issuer,
    clientId: WEB_CLIENT,
    username: username(index),
    scope: READ,
    nowSeconds: Math.floor(nowMs / 1000),
    claims: jti === "" ? {} : { jti },
  });

/** GetItem requests per principal since `from` (index into the proxy's request log). */
function getItemsByPrincipal(from: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of dynamoProxy.requests.slice(from)) {
    if (request.operation !== "GetItem") continue;
    const principal = (request.body as { Key: { principal: { S: string } } }).Key.principal.S;
    counts.set(principal, (counts.get(principal) ?? 0) + 1);
  }
  return counts;
}

/** A deterministic shuffle (the same order on every run). */
function shuffled<T>(items: readonly T[]): T[] {
  const result = [...items];
  let state = 0x9e3779b9;
  for (let index = result.length - 1; index > 0; index--) {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other]!, result[index]!];
  }
  return result;
}

function expectAnswers(outcomes: readonly Outcome[], principals: readonly number[]): void {
  outcomes.forEach((outcome, call) => {
    const reason = outcome.kind === "response" ? outcome.response.context.reason : outcome.kind;
    expect({ call, reason }).toEqual({ call, reason: hasGrant(principals[call]!) ? "ALLOWED" : "GRANT_MISSING" });
  });
}

describe(`load: ${CALLS} calls from ${PRINCIPALS} principals, ${CONCURRENCY} at a time, through one handler`, () => {
  test("GIVEN a cold handler WHEN the burst runs THEN every answer is right, the JWKS is fetched exactly once, and each principal's grants are read exactly once in the grant-cache period", async () => {
    // GIVEN
    const { handler, captured } = harness();
    const tokens = Array.from({ length: PRINCIPALS }, (_, index) => tokenOf(index));
    const principals = shuffled(Array.from({ length: CALLS }, (_, call) => call % PRINCIPALS));
    const fetchesBefore = jwks.fetchCount;
    const requestsBefore = dynamoProxy.requests.length;

    // WHEN
    const outcomes = await mapConcurrent(principals, CONCURRENCY, (index) => invoke(handler, getResource(bearer(tokens[index]!)), 10_000));

    // THEN
    expectAnswers(outcomes, principals);
    expect(jwks.fetchCount - fetchesBefore).toBe(1);
    const getItems = getItemsByPrincipal(requestsBefore);
    expect(getItems.size).toBe(PRINCIPALS);
    expect([...getItems.values()].every((count) => count === 1)).toBe(true);
    // AND one decision line per call, each with its reason
    const decisions = captured.decisions();
    expect(decisions).toHaveLength(CALLS);
    expect(decisions.filter((line) => line.reason === "ALLOWED")).toHaveLength(CALLS / 2);
    expect(decisions.filter((line) => line.reason === "GRANT_MISSING")).toHaveLength(CALLS / 2);
  });

  test("GIVEN every cached grant expiring at the same instant WHEN each principal calls 5 times at once THEN one GetItem per principal (single flight, no stampede), and none while the cache holds", async () => {
    // GIVEN a warm handler
    const { handler, clock } = harness();
    const tokens = Array.from({ length: PRINCIPALS }, (_, index) => tokenOf(index));
    await mapConcurrent(tokens, CONCURRENCY, (token) => invoke(handler, getResource(bearer(token)), 10_000));
    const principals = shuffled(Array.from({ length: PRINCIPALS * 5 }, (_, call) => call % PRINCIPALS));

    // WHEN the grant cache (30 s) has not expired: no GetItem at all
    clock.ms += 29_999;
    let requestsBefore = dynamoProxy.requests.length;
    expectAnswers(await Promise.all(principals.map((index) => invoke(handler, getResource(bearer(tokens[index]!)), 10_000))), principals);
    expect(getItemsByPrincipal(requestsBefore).size).toBe(0);

    // WHEN it has expired for everyone at once and all calls arrive together
    clock.ms += 1;
    requestsBefore = dynamoProxy.requests.length;
    const outcomes = await Promise.all(principals.map((index) => invoke(handler, getResource(bearer(tokens[index]!)), 10_000)));

    // THEN
    expectAnswers(outcomes, principals);
    const getItems = getItemsByPrincipal(requestsBefore);
    expect(getItems.size).toBe(PRINCIPALS);
    expect(Math.max(...getItems.values())).toBe(1);
  });

  test(`GIVEN ${BASIC_USERS} Basic users WHEN 60 identical sign-ins each arrive at once THEN one AdminInitiateAuth per credentials; after the Basic cache (60 s) expires, one more each`, async () => {
    const { handler, clock, signIns, captured } = harness();
    const calls = shuffled(Array.from({ length: BASIC_USERS * 60 }, (_, call) => call % BASIC_USERS));
    const burst = () => Promise.all(calls.map((user) => invoke(handler, getResource(basic(`basic${user}:${BASIC_PASSWORD}`)), 10_000)));

    const first = await burst();
    expect(first.every((outcome) => outcome.kind === "response" && outcome.response.context.reason === "ALLOWED")).toBe(true);
    expect(signIns()).toBe(BASIC_USERS);
    expect(new Set(captured.decisions().map((line) => line.principal))).toEqual(
      new Set(Array.from({ length: BASIC_USERS }, (_, user) => `user#basic${user}`)),
    );

    clock.ms += 59_999;
    await burst();
    expect(signIns()).toBe(BASIC_USERS);

    clock.ms += 1;
    const afterExpiry = await burst();
    expect(afterExpiry.every((outcome) => outcome.kind === "response" && outcome.response.context.reason === "ALLOWED")).toBe(true);
    expect(signIns()).toBe(BASIC_USERS * 2);
  });
});

describe("memory: caches stay within their configured maxima", () => {
  test("GIVEN VERIFIED_TOKEN_CACHE_SIZE=100 WHEN 600 distinct valid tokens are verified THEN the 100 most recent come from the cache and older ones are verified again", async () => {
    const { handler, captured } = harness({ VERIFIED_TOKEN_CACHE_SIZE: "100" });
    const tokens = Array.from({ length: 600 }, (_, index) => tokenOf(0, START_MS, `jti-${index}`));
    for (const token of tokens) await invoke(handler, getResource(bearer(token)));
    expect(captured.decisions().every((line) => line.fromCache === false && line.reason === "ALLOWED")).toBe(true);

    captured.clear();
    for (const token of tokens.slice(-100)) await invoke(handler, getResource(bearer(token)));
    expect(captured.decisions().map((line) => line.fromCache)).toEqual(Array.from({ length: 100 }, () => true));

    captured.clear();
    await invoke(handler, getResource(bearer(tokens[0]!)));
    await invoke(handler, getResource(bearer(tokens[499]!)));
    expect(captured.decisions().map((line) => line.fromCache)).toEqual([false, false]);
  });

  test("GIVEN 5,000 distinct refused tokens (a forged payload each) THEN none is remembered: the heap after a full GC grows by less than 16 MB", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    let lines = 0;
    const { dynamoDb } = fixture.authorizerClients();
    const handler = createHandler(config(), { now: () => START_MS, log: () => void lines++, dynamoDb });
    const [header, , signature] = tokenOf(0).split(".") as [string, string, string];
    const forged = (index: number) =>
      `${header}.${base64url({ username: `forged-${index}-${"x".repeat(200)}`, token_use: "access" })}.${signature}`;
    await invoke(handler, getResource(bearer(forged(-1))));
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let index = 0; index < 5_000; index++) {
      const outcome = await invoke(handler, getResource(bearer(forged(index))));
      if (outcome.kind !== "unauthorized") throw new Error(`forged token ${index} was not refused: ${JSON.stringify(outcome)}`);
    }
    gc();
    const grownBytes = process.memoryUsage().heapUsed - heapBefore;
    dynamoDb.destroy();
    expect(lines).toBe(5_001);
    expect(grownBytes).toBeLessThan(16 * 1024 * 1024);
  });
});
