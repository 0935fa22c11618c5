/**
 * The environment contract as a pair: what the stack encodes, the function decodes back to the same
 * settings; the readers of a synthesized environment (the review, the checks) read it as the function does.
 */
import {
  AUTHORIZER_VARIABLES as V,
  acceptsBasic,
  decodeAuthorizerEnvironment,
  encodeAuthorizerEnvironment,
  type AuthorizerDeployment,
} from "../../contracts/authorizer-environment";
import { encodePackagedSettings, encodePackagedVariables, PACKAGED_VARIABLES } from "../../contracts/packaged-settings";

const deployment: AuthorizerDeployment = {
  userPoolId: "eu-west-1_AbC123xyZ",
  issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ",
  appClientIds: ["web1", "machine1"],
  tableName: "scopegate-grants",
  threatProtection: "audit",
  grantCacheTtlSeconds: 7,
  basicAuthCacheTtlSeconds: 9,
  maxTokenLifetimeSeconds: 3600,
};
const basic = { clientId: "legacy1", users: ["svc-reports", "Svc-Other"], signInFailureLimit: 2, signInFailureWindowSeconds: 120 };
const region = { [V.region]: "eu-west-1" };

const routeTable = encodePackagedVariables({ routeScopes: new Map([["GET /items", []]]) }) as Record<string, string>;

function decode(env: Record<string, string>, packaged: Record<string, string> = routeTable) {
  const decoded = decodeAuthorizerEnvironment(env, packaged);
  if (!decoded.ok) throw new Error(JSON.stringify(decoded.problems));
  return decoded.config;
}

describe("encodeAuthorizerEnvironment / decodeAuthorizerEnvironment", () => {
  test("GIVEN a deployment with Basic THEN the function reads back every setting the stack wrote", () => {
    const config = decode({ ...region, ...encodeAuthorizerEnvironment({ ...deployment, basic }) });
    expect(config).toMatchObject({
      userPoolId: deployment.userPoolId,
      issuer: deployment.issuer,
      appClientIds: deployment.appClientIds,
      tableName: deployment.tableName,
      threatProtection: "audit",
      grantCacheTtlSeconds: 7,
      basicAuthCacheTtlSeconds: 9,
      maxTokenLifetimeSeconds: 3600,
      basicAuthClientId: "legacy1",
      basicUsers: basic.users,
      basicSignInFailureLimit: 2,
      basicSignInFailureWindowSeconds: 120,
    });
  });

  test("GIVEN a deployment without Basic THEN no Basic variable is written and Basic reads as off", () => {
    const env = encodeAuthorizerEnvironment(deployment);
    expect(Object.keys(env)).not.toEqual(
      expect.arrayContaining([V.basicAuthClientId, V.basicUsers, V.basicSignInFailureLimit, V.basicSignInFailureWindowSeconds]),
    );
    expect(Object.keys(env).some((name) => name.startsWith("BASIC_") && name !== V.basicAuthCacheTtlSeconds)).toBe(false);
    expect(decode({ ...region, ...env })).toMatchObject({ basicAuthClientId: undefined, basicUsers: [] });
    expect(acceptsBasic(env)).toBe(false);
  });

  test("GIVEN the packaged settings THEN the function reads the route table and the snapshot from the package", () => {
    const routeScopes = new Map([["GET /items", ["api.example.com/read"]]]);
    const packaged = encodePackagedVariables({ routeScopes });
    expect(Object.keys(packaged)).toEqual([V.routeScopes]);
    expect(JSON.parse(encodePackagedSettings(packaged))).toEqual(packaged);
    const config = decode({ ...region, ...encodeAuthorizerEnvironment(deployment) }, packaged as Record<string, string>);
    expect([...config.routeScopes]).toEqual([["GET /items", ["api.example.com/read"]]]);
    expect(PACKAGED_VARIABLES).toEqual([V.routeScopes, V.jwksSnapshot]);
  });

  test("fails when a packaged variable is also in the environment, naming both places", () => {
    const packaged = encodePackagedVariables({ routeScopes: new Map([["GET /items", []]]) }) as Record<string, string>;
    const decoded = decodeAuthorizerEnvironment({ ...region, ...encodeAuthorizerEnvironment(deployment), ...packaged }, packaged);
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.problems.map((p) => [p.variable, p.allowed])).toEqual([
      [V.routeScopes, "must be set in authorizer-settings.json or in the environment, not both (the package holds it)"],
    ]);
  });
});

describe("acceptsBasic (the checks' reading of a synthesized environment)", () => {
  test("reads BASIC_AUTH_CLIENT_ID as the function does: a reference or an id turns Basic on, empty or absent does not", () => {
    expect(acceptsBasic(encodeAuthorizerEnvironment({ ...deployment, basic }))).toBe(true);
    expect(acceptsBasic({ [V.basicAuthClientId]: "${aws_cognito_user_pool_client.legacy.id}" })).toBe(true);
    expect(acceptsBasic({ [V.basicAuthClientId]: "" })).toBe(false);
    expect(acceptsBasic({})).toBe(false);
  });
});
