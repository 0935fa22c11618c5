/**
 * How long a Basic password keeps working after it is changed in the pool: measured with the real
 * authorizer (cognito-local, dynalite) behind the model of API Gateway's result cache. The sign-in
 * cache in the container answers without asking Cognito for `basicAuthCacheTtlSeconds`, and API
 * Gateway's cache answers without invoking the function for `resultTtlSeconds`.
 */
import { AdminSetUserPasswordCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createApiGatewayModel, readLambdaAuthorizer, type ApiGatewayModel } from "../../../testing/api-gateway";
import {
  ROUTE_SCOPES,
  startAuthorizerFixture,
  type AuthorizerContainer,
  type AuthorizerFixture,
} from "../../../testing/authorizer-fixture";
import { basic } from "../../../testing/authorizer-harness";
import { synthStack } from "../../../testing/synth";

const OLD_PASSWORD = "legacy:Pass-word1";
const NEW_PASSWORD = "legacy:Pass-word2";
const START_MS = Date.UTC(2026, 5, 1, 12);
const settings = readLambdaAuthorizer(synthStack().tf);

let fixture: AuthorizerFixture;

beforeAll(async () => {
  fixture = await startAuthorizerFixture({ cognito: true });
  await fixture.createUsers([["legacy", OLD_PASSWORD]]);
  await fixture.putGrants([["user#legacy", ["GET /resource", "GET /resource/{id}"]]]);
}, 60_000);

afterEach(() => fixture.stopContainers());
afterAll(async () => {
  await fixture?.close();
});

const changePassword = (password: string) =>
  fixture.cognitoAdmin!.send(
    new AdminSetUserPasswordCommand({ UserPoolId: fixture.userPoolId, Username: "legacy", Password: password, Permanent: true }),
  );

function behindModel(container: AuthorizerContainer): ApiGatewayModel {
  return createApiGatewayModel({
    ...settings,
    routes: Object.keys(ROUTE_SCOPES),
    invoke: container.handler,
    now: () => container.clock.ms,
  });
}

test("a changed Basic password keeps working at most basicAuthCacheTtlSeconds + resultTtlSeconds (60 + 300 s) after the change; a flushed stage and a new container end it at once", async () => {
  await changePassword(OLD_PASSWORD);
  const container = fixture.startContainer({ nowMs: START_MS });
  const model = behindModel(container);
  const old = [["Authorization", basic(`legacy:${OLD_PASSWORD}`)]] as const;
  const advance = (ms: number) => void (container.clock.ms += ms);
  // t=0: a sign-in, remembered by the container for 60 s; the Allow is cached by API Gateway for 300 s
  expect(await model.send({ method: "GET", path: "/resource", headers: old })).toMatchObject({ status: 200, by: "function" });
  // t=1 s: the password is changed in the pool
  advance(1_000);
  await changePassword(NEW_PASSWORD);
  const changedAtMs = container.clock.ms;
  // t=59 s: another route invokes the function, which answers from its sign-in cache (Cognito not asked), cached for 300 s
  advance(58_000);
  expect(await model.send({ method: "GET", path: "/resource/1", headers: old })).toMatchObject({ status: 200, by: "function" });
  expect(container.captured.decisions().at(-1)).toMatchObject({ reason: "ALLOWED", fromCache: true });
  // Probe every 5 s until the first refusal: each refused old password counts as a failed sign-in of
  // this address, and the failed sign-in limit (3) would refuse the new password too after a few.
  let lastAllowedMs = 0;
  for (let id = 2; container.clock.ms - changedAtMs <= 420_000; id += 1) {
    const { status } = await model.send({ method: "GET", path: `/resource/${id}`, headers: old });
    if (status !== 200) break;
    lastAllowedMs = container.clock.ms;
    advance(5_000);
  }
  expect(lastAllowedMs - changedAtMs).toBeGreaterThan(300_000);
  expect(lastAllowedMs - changedAtMs).toBeLessThanOrEqual((60 + 300) * 1000);
  // THEN the old password is refused by Cognito, and the new one works
  expect(container.captured.decisions().at(-1)).toMatchObject({ reason: "BASIC_SIGN_IN_FAILED" });
  expect(await model.send({ method: "GET", path: "/resource/99", headers: old })).toMatchObject({ status: 401, by: "function" });
  expect(container.captured.decisions().at(-1)).toMatchObject({ reason: "BASIC_SIGN_IN_FAILED" });
  const fresh = [["Authorization", basic(`legacy:${NEW_PASSWORD}`)]] as const;
  expect(await model.send({ method: "GET", path: "/resource/99", headers: fresh })).toMatchObject({ status: 200, by: "function" });

  // Cut short: within the windows above, flushing the stage and starting new containers refuses the old password at once
  await changePassword(OLD_PASSWORD);
  const before = fixture.startContainer({ nowMs: START_MS });
  const stage = behindModel(before);
  expect(await stage.send({ method: "GET", path: "/resource", headers: old })).toMatchObject({ status: 200 });
  await changePassword(NEW_PASSWORD);
  expect(await stage.send({ method: "GET", path: "/resource", headers: old })).toMatchObject({ status: 200, by: "cache" });
  // flushing the stage alone is not enough: the container still remembers the sign-in
  stage.flush();
  expect(await stage.send({ method: "GET", path: "/resource", headers: old })).toMatchObject({ status: 200, by: "function" });
  expect(before.captured.decisions().at(-1)).toMatchObject({ fromCache: true });
  const redeployed = fixture.startContainer({ nowMs: START_MS });
  const flushed = createApiGatewayModel({
    ...settings,
    routes: Object.keys(ROUTE_SCOPES),
    invoke: redeployed.handler,
    now: () => redeployed.clock.ms,
  });
  expect(await flushed.send({ method: "GET", path: "/resource", headers: old })).toMatchObject({ status: 401, by: "function" });
});
