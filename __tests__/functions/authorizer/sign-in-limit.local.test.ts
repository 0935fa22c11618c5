import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { createSignInLimiter, signInLimitKeyOf } from "../../../functions/authorizer/sign-in-limit";
import { PRINCIPAL_ATTRIBUTE, SIGN_IN_LIMIT_KEY_PREFIX } from "../../../core/grant-item";
import { READ_SCOPE, TABLE_NAME, WEB_CLIENT_ID, startAuthorizerFixture, type AuthorizerFixture } from "../../../testing/authorizer-fixture";
import { loadAuthorizerConfig } from "../../../functions/authorizer/config";
import { createHandler } from "../../../functions/authorizer/handler";
import { basic, bearer, captureLog, invoke, restEvent } from "../../../testing/authorizer-harness";
import { startCountingProxy, type CountingProxy } from "../../../testing/counting-proxy";
import { signUserAccessToken } from "../../../testing/keys";
import { closedEndpoint } from "../../../testing/network";
import { createGrantsDynamoDb } from "../../../testing/dynalite";

// The sign-in limit against dynalite and cognito-local; its pure parts are in sign-in-limit.test.ts.

const START_MS = 1_800_000_000_000;
const WINDOW_SECONDS = 900;
const LIMIT = 3;
const ADDRESS_A = "203.0.113.7";
const ADDRESS_B = "198.51.100.20";
const APP_PASSWORD = "App-Pass-word-1";
const ALLOWED = { kind: "response", response: { context: { reason: "ALLOWED" } } };

describe("createSignInLimiter against dynalite (conditional writes as DynamoDB applies them)", () => {
  let fixture: AuthorizerFixture<CountingProxy>;
  const clock = { ms: START_MS };

  beforeAll(async () => {
    fixture = await startAuthorizerFixture({ proxy: (endpoint) => startCountingProxy(endpoint) });
  });

  afterAll(async () => {
    await fixture?.close();
  });

  let account = 0;
  let username: string;
  beforeEach(() => {
    clock.ms = START_MS;
    account += 1;
    username = `svc-${account}`;
    fixture.dynamoDbProxy.reset();
  });

  const limiter = () =>
    createSignInLimiter(
      { tableName: TABLE_NAME, maxFailures: LIMIT, windowSeconds: WINDOW_SECONDS },
      { dynamoDb: fixture.dynamoDb, now: () => clock.ms },
    );

  test("GIVEN the limit of attempts from one address THEN the next is refused until the window's end, then a new window opens", async () => {
    const subject = limiter();
    for (let attempt = 0; attempt < LIMIT; attempt++) expect(await subject.reserve(username, ADDRESS_A)).toMatchObject({ ok: true });
    expect(await subject.reserve(username, ADDRESS_A)).toMatchObject({ ok: false, reason: "BASIC_SIGN_IN_LIMITED" });
    // AND another address is not affected
    expect(await subject.reserve(username, ADDRESS_B)).toMatchObject({ ok: true });
    // WHEN the window ends THEN the address may try again, LIMIT times
    clock.ms = START_MS + WINDOW_SECONDS * 1000;
    for (let attempt = 0; attempt < LIMIT; attempt++) expect(await subject.reserve(username, ADDRESS_A)).toMatchObject({ ok: true });
    expect(await subject.reserve(username, ADDRESS_A)).toMatchObject({ ok: false, reason: "BASIC_SIGN_IN_LIMITED" });
  });

  test("GIVEN attempts given back (they did not fail) THEN they do not count", async () => {
    const subject = limiter();
    for (let attempt = 0; attempt < LIMIT * 3; attempt++) {
      const reservation = await subject.reserve(username, ADDRESS_A);
      expect(reservation).toMatchObject({ ok: true });
      if (reservation.ok) await reservation.release();
    }
    const item = await fixture.dynamoDbAdmin.send(
      new GetItemCommand({ TableName: TABLE_NAME, Key: { [PRINCIPAL_ATTRIBUTE]: { S: signInLimitKeyOf(username, ADDRESS_A) } } }),
    );
    expect(item.Item?.attempts).toEqual({ N: "0" });
  });

  test("GIVEN 20 attempts at once from one address, across two containers THEN exactly the limit is let through", async () => {
    const containers = [limiter(), limiter()];
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => containers[index % 2]!.reserve(username, ADDRESS_A)));
    expect(results.filter((result) => result.ok)).toHaveLength(LIMIT);
    expect(results.filter((result) => !result.ok).map((result) => !result.ok && result.reason)).toEqual(
      Array.from({ length: 20 - LIMIT }, () => "BASIC_SIGN_IN_LIMITED"),
    );
  });

  test("GIVEN a container that counted a pair as refused THEN it answers without DynamoDB until the window ends", async () => {
    const subject = limiter();
    for (let attempt = 0; attempt <= LIMIT; attempt++) await subject.reserve(username, ADDRESS_A);
    fixture.dynamoDbProxy.reset();
    expect(await subject.reserve(username, ADDRESS_A)).toMatchObject({ ok: false, reason: "BASIC_SIGN_IN_LIMITED" });
    expect(fixture.dynamoDbProxy.count()).toBe(0);
  });

  test("GIVEN DynamoDB unreachable THEN SIGN_IN_LIMIT_UNAVAILABLE (the limit fails closed)", async () => {
    const dynamoDb = createGrantsDynamoDb(await closedEndpoint());
    try {
      const subject = createSignInLimiter({ tableName: TABLE_NAME, maxFailures: LIMIT, windowSeconds: WINDOW_SECONDS }, { dynamoDb });
      expect(await subject.reserve(username, ADDRESS_A)).toMatchObject({ ok: false, reason: "SIGN_IN_LIMIT_UNAVAILABLE" });
    } finally {
      dynamoDb.destroy();
    }
  });
});

describe("the handler, with cognito-local and dynalite behind counting proxies", () => {
  let fixture: AuthorizerFixture<CountingProxy>;
  const DESIGNATED = "svc-reports";
  const PERSON = "alice";

  beforeAll(async () => {
    fixture = await startAuthorizerFixture({ cognito: true, proxy: (endpoint) => startCountingProxy(endpoint) });
    await fixture.createUsers([[DESIGNATED, APP_PASSWORD]]);
    await fixture.putGrants([
      [`user#${DESIGNATED}`, ["GET /resource"]],
      [`user#${PERSON}`, ["GET /resource"]],
    ]);
  }, 60_000);

  afterAll(async () => {
    await fixture?.close();
  });

  afterEach(() => {
    fixture.stopContainers();
    fixture.cognitoProxy!.reset();
    fixture.dynamoDbProxy.reset();
  });

  const getResource = (authorization: string, sourceIp: string) =>
    restEvent({ method: "GET", resource: "/resource", path: "/resource", authorization, sourceIp });
  const container = () =>
    fixture.startContainer({
      nowMs: START_MS,
      env: {
        BASIC_USERS: DESIGNATED,
        BASIC_SIGN_IN_FAILURE_LIMIT: String(LIMIT),
        BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS: String(WINDOW_SECONDS),
      },
    });
  const signIns = () => fixture.cognitoProxy!.count("AdminInitiateAuth");
  const grantsItems = async () =>
    (await fixture.dynamoDbAdmin.send(new ScanCommand({ TableName: TABLE_NAME }))).Items!.filter(
      (item) => !item[PRINCIPAL_ATTRIBUTE]!.S!.startsWith(SIGN_IN_LIMIT_KEY_PREFIX),
    );

  test(`GIVEN ${LIMIT} wrong passwords for a designated account from address A THEN A's further attempts, the right password too, get 401 BASIC_SIGN_IN_LIMITED with no AdminInitiateAuth; B still signs in; after the window A may try again`, async () => {
    const grantsBefore = await grantsItems();
    const { handler, clock, captured } = container();
    // GIVEN LIMIT wrong passwords from A, each asking Cognito
    for (let attempt = 0; attempt < LIMIT; attempt++) {
      expect(await invoke(handler, getResource(basic(`${DESIGNATED}:wrong-Pass-${attempt}`), ADDRESS_A))).toEqual({ kind: "unauthorized" });
    }
    expect(signIns()).toBe(LIMIT);
    expect(captured.decisions().map((line) => line.reason)).toEqual(Array.from({ length: LIMIT }, () => "BASIC_SIGN_IN_FAILED"));

    // WHEN A tries again, wrong or right, from this container or a cold one THEN 401 without asking Cognito
    captured.clear();
    const cold = container();
    for (const [subject, password] of [
      [handler, "wrong-Pass-again"],
      [handler, APP_PASSWORD],
      [cold.handler, APP_PASSWORD],
    ] as const) {
      expect(await invoke(subject, getResource(basic(`${DESIGNATED}:${password}`), ADDRESS_A))).toEqual({ kind: "unauthorized" });
    }
    expect(signIns()).toBe(LIMIT);
    const refusals = [...captured.decisions(), ...cold.captured.decisions()];
    expect(refusals.map((line) => [line.reason, line.status])).toEqual(Array.from({ length: 3 }, () => ["BASIC_SIGN_IN_LIMITED", 401]));
    // AND the log names the account and the address, never a password
    expect(refusals[0]!.detail).toContain(`${DESIGNATED} from ${ADDRESS_A}`);
    expect(JSON.stringify(refusals)).not.toMatch(/Pass/);

    // WHEN B sends the right password THEN it signs in (one AdminInitiateAuth)
    expect(await invoke(handler, getResource(basic(`${DESIGNATED}:${APP_PASSWORD}`), ADDRESS_B))).toMatchObject(ALLOWED);
    expect(signIns()).toBe(LIMIT + 1);

    // WHEN the window has ended THEN A may try again (a cold container, so no sign-in cache answers)
    const later = container();
    later.clock.ms = clock.ms + WINDOW_SECONDS * 1000;
    expect(await invoke(later.handler, getResource(basic(`${DESIGNATED}:${APP_PASSWORD}`), ADDRESS_A))).toMatchObject(ALLOWED);
    expect(signIns()).toBe(LIMIT + 2);

    // AND no grants item was touched
    expect(await grantsItems()).toEqual(grantsBefore);
  });

  test("GIVEN a name that is not designated THEN no Cognito call and no counter write, whatever the attempts", async () => {
    const { handler, captured } = container();
    for (let attempt = 0; attempt < LIMIT + 2; attempt++) {
      await invoke(handler, getResource(basic(`${PERSON}:wrong-Pass-${attempt}`), ADDRESS_A));
    }
    expect(captured.decisions().map((line) => line.reason)).toEqual(Array.from({ length: LIMIT + 2 }, () => "BASIC_USER_NOT_DESIGNATED"));
    expect(signIns()).toBe(0);
    expect(fixture.dynamoDbProxy.count("UpdateItem")).toBe(0);
    expect(fixture.dynamoDbProxy.count("GetItem")).toBe(0);
  });

  test("GIVEN a designated account's successful sign-ins THEN each gives its attempt back: the application is never limited by its own traffic", async () => {
    for (let call = 0; call < LIMIT * 2; call++) {
      // A cold container each time: every call asks Cognito.
      const { handler } = container();
      expect(await invoke(handler, getResource(basic(`${DESIGNATED}:${APP_PASSWORD}`), "192.0.2.44"))).toMatchObject(ALLOWED);
    }
    expect(signIns()).toBe(LIMIT * 2);
  });

  test("GIVEN a Bearer token THEN no counter is read or written", async () => {
    const token = signUserAccessToken(fixture.key, {
      issuer: fixture.jwks.issuer,
      clientId: WEB_CLIENT_ID,
      username: PERSON,
      scope: READ_SCOPE,
      nowSeconds: START_MS / 1000,
    });
    const { handler } = container();
    expect(await invoke(handler, getResource(bearer(token), ADDRESS_A))).toMatchObject(ALLOWED);
    expect(fixture.dynamoDbProxy.count("UpdateItem")).toBe(0);
  });

  test("GIVEN DynamoDB unreachable THEN a designated account's attempt is a 500 SIGN_IN_LIMIT_UNAVAILABLE before Cognito is asked", async () => {
    const dynamoDb = createGrantsDynamoDb(await closedEndpoint());
    try {
      const captured = captureLog();
      const handler = createHandler(loadAuthorizerConfig(fixture.env({ BASIC_USERS: DESIGNATED })), {
        dynamoDb,
        cognito: fixture.cognito!,
        log: captured.log,
        now: () => START_MS,
      });
      expect(await invoke(handler, getResource(basic(`${DESIGNATED}:${APP_PASSWORD}`), ADDRESS_A))).toEqual({
        kind: "dependency",
        reason: "SIGN_IN_LIMIT_UNAVAILABLE",
      });
      expect(captured.decisions()[0]).toMatchObject({ reason: "SIGN_IN_LIMIT_UNAVAILABLE", status: 500 });
      expect(signIns()).toBe(0);
    } finally {
      dynamoDb.destroy();
    }
  });
});
