/**
 * One credential per request: an `Authorization` header sent more than once is refused before
 * Cognito or DynamoDB is asked, whatever its values (a decoy Bearer value in front of a designated
 * account's password must not sign the account in, nor reach it past a WAF rule that reads one
 * value); so is one value joining two credentials with a comma (already HEADER_MALFORMED). Against
 * cognito-local and dynalite, through counting proxies that see every AWS request.
 */
import { loadAuthorizerConfig } from "../../../functions/authorizer/config";
import { createHandler, type AuthorizerHandler } from "../../../functions/authorizer/handler";
import { startAuthorizerFixture, type AuthorizerFixture } from "../../../testing/authorizer-fixture";
import { basic, captureLog, invoke, restEvent, type CapturedLog } from "../../../testing/authorizer-harness";
import { startCountingProxy, type CountingProxy } from "../../../testing/counting-proxy";

const LEGACY_PASSWORD = "legacy:Pass-word1";
const SOURCE_IP = "203.0.113.7";

let fixture: AuthorizerFixture<CountingProxy>;
let cognitoProxy: CountingProxy;
let dynamoDbProxy: CountingProxy;
let handler: AuthorizerHandler;
let captured: CapturedLog;

beforeAll(async () => {
  fixture = await startAuthorizerFixture({ cognito: true, proxy: (endpoint) => startCountingProxy(endpoint) });
  cognitoProxy = fixture.cognitoProxy!;
  dynamoDbProxy = fixture.dynamoDbProxy;
  await fixture.createUsers([["legacy", LEGACY_PASSWORD]]);
  await fixture.putGrants([["user#legacy", ["GET /resource"]]]);
}, 60_000);

afterAll(async () => {
  await fixture?.close();
});

beforeEach(() => {
  // A cold container each time: no sign-in or grant cached by an earlier test.
  captured = captureLog();
  const clients = fixture.authorizerClients();
  handler = createHandler(loadAuthorizerConfig(fixture.env()), {
    dynamoDb: clients.dynamoDb,
    cognito: clients.cognito!,
    log: captured.log,
  });
  cognitoProxy.reset();
  dynamoDbProxy.reset();
});

const send = (authorization: string | readonly string[], headerName?: string) =>
  invoke(
    handler,
    restEvent({
      method: "GET",
      resource: "/resource",
      path: "/resource",
      authorization,
      sourceIp: SOURCE_IP,
      ...(headerName === undefined ? {} : { headerName }),
    }),
    10_000,
  );

test("GIVEN the designated account's right password sent once THEN Allow, after one AdminInitiateAuth and one GetItem (the proxies count)", async () => {
  expect(await send(basic(`legacy:${LEGACY_PASSWORD}`))).toMatchObject({ kind: "response", response: { context: { reason: "ALLOWED" } } });
  expect([cognitoProxy.count("AdminInitiateAuth"), dynamoDbProxy.count("GetItem")]).toEqual([1, 1]);
});

test.each([
  ["a decoy Bearer value, then the right password", () => ["Bearer decoy", basic(`legacy:${LEGACY_PASSWORD}`)]],
  ["the right password, then a decoy Bearer value", () => [basic(`legacy:${LEGACY_PASSWORD}`), "Bearer decoy"]],
  ["a wrong password, then the right one", () => [basic("legacy:guess-1"), basic(`legacy:${LEGACY_PASSWORD}`)]],
  ["the right password twice", () => [basic(`legacy:${LEGACY_PASSWORD}`), basic(`legacy:${LEGACY_PASSWORD}`)]],
])(
  "fails when the Authorization header is sent twice (%s): 401 HEADER_REPEATED, no AdminInitiateAuth, no GetItem",
  async (_title, values) => {
    expect(await send(values())).toEqual({ kind: "unauthorized" });
    expect(captured.decisions()).toEqual([expect.objectContaining({ reason: "HEADER_REPEATED", effect: "Unauthorized", status: 401 })]);
    expect([cognitoProxy.count("AdminInitiateAuth"), dynamoDbProxy.count("GetItem")]).toEqual([0, 0]);
  },
);

test("fails when the header is sent under two spellings of its name: HEADER_REPEATED, no AdminInitiateAuth", async () => {
  const event = restEvent({ method: "GET", resource: "/resource", path: "/resource", authorization: "Bearer decoy", sourceIp: SOURCE_IP });
  const right = basic(`legacy:${LEGACY_PASSWORD}`);
  const outcome = await invoke(
    handler,
    {
      ...event,
      headers: { ...event.headers, authorization: right },
      multiValueHeaders: { ...event.multiValueHeaders, authorization: [right] },
    },
    10_000,
  );
  expect(outcome).toEqual({ kind: "unauthorized" });
  expect(captured.decisions()[0]).toMatchObject({ reason: "HEADER_REPEATED" });
  expect([cognitoProxy.count("AdminInitiateAuth"), dynamoDbProxy.count("GetItem")]).toEqual([0, 0]);
});

test.each([
  ["a decoy Bearer value and the right password", () => `Bearer decoy, ${basic(`legacy:${LEGACY_PASSWORD}`)}`],
  ["the right password and a decoy Bearer value", () => `${basic(`legacy:${LEGACY_PASSWORD}`)}, Bearer decoy`],
])(
  "fails when one header value joins two credentials with a comma (%s): HEADER_MALFORMED, no AdminInitiateAuth, no GetItem",
  async (_title, value) => {
    expect(await send(value())).toEqual({ kind: "unauthorized" });
    expect(captured.decisions()).toEqual([expect.objectContaining({ reason: "HEADER_MALFORMED", status: 401 })]);
    expect([cognitoProxy.count("AdminInitiateAuth"), dynamoDbProxy.count("GetItem")]).toEqual([0, 0]);
  },
);
