import { AuthorizerConfigurationError, loadAuthorizerConfig } from "../../../functions/authorizer/config";
import { AUTHORIZER_ENVIRONMENT_DEFAULTS } from "../../../core/defaults";
import { createSigningKey } from "../../../testing/keys";

const snapshotKey = createSigningKey("snapshot-1").publicJwk;

const VALID = {
  AWS_REGION: "eu-west-1",
  USER_POOL_ID: "eu-west-1_AbC123xyZ",
  APP_CLIENT_IDS: "web1, machine2",
  AUTHZ_TABLE_NAME: "scopegate-grants",
  ROUTE_SCOPES: JSON.stringify({ "GET /resource": ["api.example.com/read"], "POST /resource/{id}": [] }),
};

function problemsOf(env: Record<string, string | undefined>): Array<{ variable: string; received: string | undefined; allowed: string }> {
  try {
    loadAuthorizerConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthorizerConfigurationError);
    return [...(error as AuthorizerConfigurationError).problems];
  }
  throw new Error("expected a configuration error");
}

describe("loadAuthorizerConfig", () => {
  test("GIVEN the required variables only THEN the issuer, JWKS and every tuning value take their defaults", () => {
    const config = loadAuthorizerConfig(VALID);
    expect(config).toEqual({
      region: "eu-west-1",
      userPoolId: "eu-west-1_AbC123xyZ",
      issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ",
      jwksUri: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ/.well-known/jwks.json",
      appClientIds: ["web1", "machine2"],
      tableName: "scopegate-grants",
      basicAuthClientId: undefined,
      basicUsers: [],
      routeScopes: new Map([
        ["GET /resource", ["api.example.com/read"]],
        ["POST /resource/{id}", []],
      ]),
      jwksSnapshot: undefined,
      ...AUTHORIZER_ENVIRONMENT_DEFAULTS,
    });
    expect(AUTHORIZER_ENVIRONMENT_DEFAULTS).toEqual({
      threatProtection: "off",
      grantCacheTtlSeconds: 30,
      basicAuthCacheTtlSeconds: 60,
      clockToleranceSeconds: 5,
      maxTokenAgeSeconds: 86_400,
      maxTokenLifetimeSeconds: 86_400,
      maxTokenLengthBytes: 8_192,
      verifiedTokenCacheSize: 10_000,
      basicSignInFailureLimit: 3,
      basicSignInFailureWindowSeconds: 900,
    });
  });

  test("GIVEN every optional variable THEN each is used", () => {
    const snapshot = { keys: [snapshotKey] };
    const config = loadAuthorizerConfig({
      ...VALID,
      TOKEN_ISSUER: "http://127.0.0.1:9229/eu-west-1_AbC123xyZ",
      BASIC_AUTH_CLIENT_ID: "legacy3",
      BASIC_USERS: "svc-reports, svc-billing",
      THREAT_PROTECTION: "enforced",
      GRANT_CACHE_TTL_SECONDS: "0",
      BASIC_AUTH_CACHE_TTL_SECONDS: "120",
      CLOCK_TOLERANCE_SECONDS: "300",
      MAX_TOKEN_AGE_SECONDS: "3600",
      MAX_TOKEN_LIFETIME_SECONDS: "1800",
      MAX_TOKEN_LENGTH: "4096",
      JWKS_SNAPSHOT: JSON.stringify(snapshot),
      VERIFIED_TOKEN_CACHE_SIZE: "0",
    });
    expect(config).toMatchObject({
      issuer: "http://127.0.0.1:9229/eu-west-1_AbC123xyZ",
      jwksUri: "http://127.0.0.1:9229/eu-west-1_AbC123xyZ/.well-known/jwks.json",
      basicAuthClientId: "legacy3",
      basicUsers: ["svc-reports", "svc-billing"],
      threatProtection: "enforced",
      grantCacheTtlSeconds: 0,
      basicAuthCacheTtlSeconds: 120,
      clockToleranceSeconds: 300,
      maxTokenAgeSeconds: 3600,
      maxTokenLifetimeSeconds: 1800,
      maxTokenLengthBytes: 4096,
      jwksSnapshot: snapshot,
      verifiedTokenCacheSize: 0,
    });
  });

  test("GIVEN BASIC_AUTH_CLIENT_ID not among APP_CLIENT_IDS THEN it is accepted (it signs in, it does not issue bearer tokens)", () => {
    expect(loadAuthorizerConfig({ ...VALID, BASIC_AUTH_CLIENT_ID: "elsewhere9", BASIC_USERS: "svc" }).basicAuthClientId).toBe("elsewhere9");
  });

  test("GIVEN an empty optional variable THEN it counts as unset", () => {
    expect(loadAuthorizerConfig({ ...VALID, BASIC_AUTH_CLIENT_ID: "", TOKEN_ISSUER: "" })).toMatchObject({
      basicAuthClientId: undefined,
      issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ",
    });
  });

  test("fails when everything is missing, listing every required variable at once", () => {
    expect(problemsOf({}).map((problem) => problem.variable)).toEqual([
      "AWS_REGION",
      "USER_POOL_ID",
      "APP_CLIENT_IDS",
      "AUTHZ_TABLE_NAME",
      "ROUTE_SCOPES",
    ]);
  });

  test("fails with a message naming the variable, the value received and what is allowed", () => {
    expect(() => loadAuthorizerConfig({ ...VALID, CLOCK_TOLERANCE_SECONDS: "301" })).toThrow(
      'CLOCK_TOLERANCE_SECONDS: must be a whole number from 0 to 300 (default 5), got "301"',
    );
  });

  test.each([
    ["AWS_REGION", "upper case", { AWS_REGION: "EU-WEST-1" }],
    ["USER_POOL_ID", "no region prefix", { USER_POOL_ID: "AbC123xyZ" }],
    ["USER_POOL_ID", "a pool of another region", { USER_POOL_ID: "us-east-1_AbC123xyZ" }],
    ["TOKEN_ISSUER", "http to a non-loopback host", { TOKEN_ISSUER: "http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ" }],
    ["TOKEN_ISSUER", "a trailing slash", { TOKEN_ISSUER: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ/" }],
    ["TOKEN_ISSUER", "a query", { TOKEN_ISSUER: "https://example.com/pool?x=1" }],
    ["TOKEN_ISSUER", "not a URL", { TOKEN_ISSUER: "not a url" }],
    ["APP_CLIENT_IDS", "an empty entry", { APP_CLIENT_IDS: "web1,,machine2" }],
    ["APP_CLIENT_IDS", "a character Cognito never uses", { APP_CLIENT_IDS: "web-1" }],
    ["AUTHZ_TABLE_NAME", "too short", { AUTHZ_TABLE_NAME: "t" }],
    ["BASIC_AUTH_CLIENT_ID", "a space", { BASIC_AUTH_CLIENT_ID: "has space", BASIC_USERS: "svc" }],
    ["BASIC_USERS", "an empty entry", { BASIC_AUTH_CLIENT_ID: "legacy3", BASIC_USERS: "svc,,other" }],
    ["BASIC_USERS", "set while Basic is off (no BASIC_AUTH_CLIENT_ID)", { BASIC_USERS: "svc" }],
    ["THREAT_PROTECTION", "another case", { THREAT_PROTECTION: "AUDIT" }],
    ["ROUTE_SCOPES", "not JSON", { ROUTE_SCOPES: "{GET /resource: read}" }],
    ["ROUTE_SCOPES", "an array", { ROUTE_SCOPES: "[]" }],
    ["ROUTE_SCOPES", "no route", { ROUTE_SCOPES: "{}" }],
    ["ROUTE_SCOPES", "the * method (grants only)", { ROUTE_SCOPES: JSON.stringify({ "* /resource": [] }) }],
    ["ROUTE_SCOPES", "a relative path", { ROUTE_SCOPES: JSON.stringify({ "GET resource": [] }) }],
    ["ROUTE_SCOPES", "scopes as a string", { ROUTE_SCOPES: JSON.stringify({ "GET /resource": "api.example.com/read" }) }],
    ["ROUTE_SCOPES", "a scope with a space", { ROUTE_SCOPES: JSON.stringify({ "GET /resource": ["two words"] }) }],
    ["GRANT_CACHE_TTL_SECONDS", "negative", { GRANT_CACHE_TTL_SECONDS: "-1" }],
    ["BASIC_AUTH_CACHE_TTL_SECONDS", "a fraction", { BASIC_AUTH_CACHE_TTL_SECONDS: "1.5" }],
    ["BASIC_SIGN_IN_FAILURE_LIMIT", "Cognito's own lock-out threshold (5)", { BASIC_SIGN_IN_FAILURE_LIMIT: "5" }],
    ["BASIC_SIGN_IN_FAILURE_LIMIT", "0 (no attempt at all)", { BASIC_SIGN_IN_FAILURE_LIMIT: "0" }],
    ["BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS", "below a minute", { BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS: "59" }],
    ["MAX_TOKEN_AGE_SECONDS", "beyond a day", { MAX_TOKEN_AGE_SECONDS: "86401" }],
    ["MAX_TOKEN_LIFETIME_SECONDS", "beyond a day", { MAX_TOKEN_LIFETIME_SECONDS: "86401" }],
    ["MAX_TOKEN_LIFETIME_SECONDS", "below Cognito's 5 minutes", { MAX_TOKEN_LIFETIME_SECONDS: "299" }],
    ["MAX_TOKEN_LENGTH", "a unit", { MAX_TOKEN_LENGTH: "8k" }],
    ["VERIFIED_TOKEN_CACHE_SIZE", "an exponent", { VERIFIED_TOKEN_CACHE_SIZE: "1e3" }],
    ["JWKS_SNAPSHOT", "not JSON", { JWKS_SNAPSHOT: "keys" }],
    ["JWKS_SNAPSHOT", "no key", { JWKS_SNAPSHOT: JSON.stringify({ keys: [] }) }],
    ["JWKS_SNAPSHOT", "a key without kid", { JWKS_SNAPSHOT: JSON.stringify({ keys: [{ ...snapshotKey, kid: undefined }] }) }],
    ["JWKS_SNAPSHOT", "a private key", { JWKS_SNAPSHOT: JSON.stringify({ keys: [{ ...snapshotKey, d: "private" }] }) }],
    ["JWKS_SNAPSHOT", "a symmetric key", { JWKS_SNAPSHOT: JSON.stringify({ keys: [{ kty: "oct", kid: "k", k: "c2VjcmV0" }] }) }],
    ["JWKS_SNAPSHOT", "a duplicate kid", { JWKS_SNAPSHOT: JSON.stringify({ keys: [snapshotKey, snapshotKey] }) }],
    ["JWKS_SNAPSHOT", "a key shorter than 2048 bits", { JWKS_SNAPSHOT: JSON.stringify({ keys: [{ ...snapshotKey, n: "AQAB" }] }) }],
    ["JWKS_SNAPSHOT", "a key that does not import", { JWKS_SNAPSHOT: JSON.stringify({ keys: [{ ...snapshotKey, n: "not base64url!" }] }) }],
    ["JWKS_SNAPSHOT", "alg RS512", { JWKS_SNAPSHOT: JSON.stringify({ keys: [{ ...snapshotKey, alg: "RS512" }] }) }],
    ["JWKS_SNAPSHOT", "use enc", { JWKS_SNAPSHOT: JSON.stringify({ keys: [{ ...snapshotKey, use: "enc" }] }) }],
  ])("fails when %s is invalid: %s", (variable, _title, overrides) => {
    const problems = problemsOf({ ...VALID, ...overrides });
    expect(problems.map((problem) => problem.variable)).toEqual([variable]);
    const received = (overrides as Record<string, string>)[variable]!;
    expect(problems[0]!.received!.startsWith(received.slice(0, 200))).toBe(true);
  });

  test("fails when BASIC_AUTH_CLIENT_ID is set without BASIC_USERS: Basic needs its designated accounts", () => {
    expect(problemsOf({ ...VALID, BASIC_AUTH_CLIENT_ID: "legacy3" })).toEqual([
      {
        variable: "BASIC_USERS",
        received: undefined,
        allowed: "must name the designated Basic accounts (comma-separated usernames) when BASIC_AUTH_CLIENT_ID is set",
      },
    ]);
  });

  test("fails when a received value is huge, showing it shortened", () => {
    const [problem] = problemsOf({ ...VALID, ROUTE_SCOPES: `{${"x".repeat(5000)}` });
    expect(problem!.received!.length).toBeLessThan(250);
    expect(problem!.received).toContain("(5001 chars)");
  });
});
