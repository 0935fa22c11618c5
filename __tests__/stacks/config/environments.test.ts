import { ConfigError } from "../../../stacks/config/errors";
import { parseConfigs, writtenIn } from "../../../stacks/config/environments";
import { exampleDocument } from "../../../testing/config";
import { synthStack } from "../../../testing/synth";

function refused(document: unknown): ConfigError {
  try {
    parseConfigs(document, "envs.json");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected the configuration to be refused");
}

describe("environments", () => {
  test("without environments there is one configuration", () => {
    expect(parseConfigs(exampleDocument(), "x").map((c) => c.name)).toEqual(["scopegate-example"]);
  });

  test("each environment gets its own stack, resource prefix, domain prefix and state object", () => {
    // GIVEN a shared configuration with S3 state and two environments, prod with stricter settings
    const doc = exampleDocument();
    doc.backend = { type: "s3", bucket: "team-state", key: "scopegate.tfstate" };
    doc.environments = { dev: {}, prod: { region: "eu-west-1", authorizer: { reservedConcurrency: 50 } } };
    // WHEN parsed
    const [dev, prod] = parseConfigs(doc, "envs.json");
    // THEN names cannot collide, and overrides apply to their environment only
    expect([dev.name, prod.name]).toEqual(["scopegate-example-dev", "scopegate-example-prod"]);
    expect([dev.userPool.domainPrefix, prod.userPool.domainPrefix]).toEqual(["scopegate-example-auth-dev", "scopegate-example-auth-prod"]);
    expect([dev.backend, prod.backend]).toEqual([
      { type: "s3", bucket: "team-state", key: "dev/scopegate.tfstate", region: "us-east-1", useLockfile: true },
      { type: "s3", bucket: "team-state", key: "prod/scopegate.tfstate", region: "eu-west-1", useLockfile: true },
    ]);
    expect([dev.region, prod.region]).toEqual(["us-east-1", "eu-west-1"]);
    expect([dev.authorizer.reservedConcurrency, prod.authorizer.reservedConcurrency]).toEqual([null, 50]);
    // AND each synthesizes to its own stack with prefixed resource names
    const { tf } = synthStack(prod);
    expect(
      Object.values<any>(tf.resource.aws_cognito_user_pool_client)
        .map((c) => c.name)
        .sort(),
    ).toEqual(["scopegate-example-prod-legacy", "scopegate-example-prod-machine", "scopegate-example-prod-web"]);
  });

  test("fails when an environment's override is invalid, naming the environment", () => {
    const doc = exampleDocument();
    doc.environments = { dev: {}, prod: { userPool: { mfa: "NEVER" } } };
    expect(refused(doc).issues).toEqual([
      { path: "environments.prod.userPool.mfa", message: 'must be one of "OPTIONAL", "ON", "OFF", got "NEVER"' },
    ]);
  });

  test("fails when two environments would share a domain prefix", () => {
    const doc = exampleDocument();
    doc.environments = { dev: { userPool: { domainPrefix: "shared-login" } }, prod: { userPool: { domainPrefix: "shared-login" } } };
    expect(refused(doc).issues).toEqual([
      {
        path: "environments",
        message:
          'hosted-UI domain prefix "shared-login" is used by both "scopegate-example-dev" and "scopegate-example-prod"; give each environment its own',
      },
    ]);
  });

  test("fails when an environment name is not short and plain", () => {
    const doc = exampleDocument();
    doc.environments = { Production: {} };
    expect(refused(doc).issues[0]).toEqual({ path: "environments.Production", message: expect.stringContaining('got "Production"') });
  });

  test("fails when the derived name is too long for resource names", () => {
    const doc = exampleDocument();
    doc.name = "a-very-long-service-name-here";
    doc.environments = { staging: {} };
    // the value at fault is the shared name, from which the environment's is derived
    expect(refused(doc).issues.map((i) => i.path)).toEqual(["name"]);
  });

  describe("each problem is reported once, where its value is written", () => {
    test("a problem in the shared part is reported once, at its own path, not once per environment", () => {
      const doc = exampleDocument();
      doc.api.routes[1].method = "FETCH";
      doc.environments = { dev: {}, prod: {} };
      expect(refused(doc).issues).toEqual([
        { path: "api.routes[1].method", message: 'must be one of "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", got "FETCH"' },
      ]);
    });

    test("an invalid value is shown as written, never as a stand-in (FETCH is not reported as a duplicate GET)", () => {
      const doc = exampleDocument();
      doc.api.routes[1].method = "FETCH";
      const messages = refused(doc)
        .issues.map((i) => i.message)
        .join("\n");
      expect(messages).not.toMatch(/duplicate route/);
      expect(messages).not.toMatch(/GET \/resource, GET \/resource/);
    });

    test("a problem in an override is reported under environments.<name>, and a shared value wrong in some environments says which", () => {
      const doc = exampleDocument();
      doc.environments = { dev: { users: [{ username: "dev-only", email: "not-an-address" }] }, prod: {} };
      const issues = refused(doc).issues;
      expect(issues.find((i) => i.path === "environments.dev.users[0].email")?.message).toMatch(/got "not-an-address"/);
      expect(issues.find((i) => i.path === "authorizationTable.grants[0].principal.user")?.message).toBe(
        'user "alice" is not configured; configured users: dev-only (in environment dev)',
      );
      expect(issues.every((i) => !i.path.includes("→"))).toBe(true);
    });

    test("writtenIn follows the overrides: fields it holds, lists it replaces whole, keys with dots", () => {
      const overrides = { userPool: { mfa: "ON" }, users: [{ username: "x" }], api: { "GET /v1.2": { a: 1 } } };
      expect(writtenIn(overrides, "userPool.mfa")).toBe(true);
      expect(writtenIn(overrides, "userPool.name")).toBe(false);
      expect(writtenIn(overrides, "users[3].email")).toBe(true);
      expect(writtenIn(overrides, "api.GET /v1.2.a")).toBe(true);
      expect(writtenIn(overrides, "api.routes[0]")).toBe(false);
      expect(writtenIn(overrides, "name")).toBe(false);
    });
  });
});
