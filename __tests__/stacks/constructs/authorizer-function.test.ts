import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadAuthorizerConfig } from "../../../functions/authorizer/config";
import { PACKAGED_SETTINGS_FILE, readPackagedSettings } from "../../../contracts/packaged-settings";
import { exampleConfig, resourceAt, stubBundle, synthStack } from "../../../testing/synth";
import { readZip } from "../../../testing/zip";

describe("AuthorizerFunction", () => {
  const { tf } = synthStack();
  const policyOf = (t: any) => {
    const policy = resourceAt(t, "aws_iam_role_policy", "authorizer/policy").policy as string;
    return policy;
  };

  test("may read only the grants table, sign in only to the pool, and write only its own logs and its failed sign-in counters", () => {
    const statements = JSON.parse(policyOf(tf)).Statement;
    expect(statements).toEqual([
      {
        Sid: "ReadGrants",
        Effect: "Allow",
        Action: ["dynamodb:GetItem"],
        Resource: [expect.stringMatching(/^\$\{aws_dynamodb_table\.authorization-table_[0-9A-F]{8}\.arn\}$/)],
      },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.authorizer_logs_[0-9A-F]{8}\.arn\}:\*$/)],
      },
      // X-Ray has no resource-level permissions: its "*" is the only one.
      { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: ["*"] },
      {
        Sid: "SignInLegacyUsers",
        Effect: "Allow",
        Action: ["cognito-idp:AdminInitiateAuth"],
        Resource: [expect.stringMatching(/^\$\{aws_cognito_user_pool\.user-pool_[0-9A-F]{8}\.arn\}$/)],
      },
      // The one write: the failed Basic sign-in counters, whose keys no grant can have.
      {
        Sid: "CountFailedSignIns",
        Effect: "Allow",
        Action: ["dynamodb:UpdateItem"],
        Resource: [expect.stringMatching(/^\$\{aws_dynamodb_table\.authorization-table_[0-9A-F]{8}\.arn\}$/)],
        Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["lockout#*"] } },
      },
    ]);
  });

  test("gets no sign-in permission without a legacy client", () => {
    const { tf: noLegacy } = synthStack(exampleConfig((d) => d.appClients.pop()));
    expect(policyOf(noLegacy)).not.toContain("cognito-idp");
    // AND no write at all: the counters exist only for Basic
    expect(policyOf(noLegacy)).not.toContain("dynamodb:UpdateItem");
    expect(resourceAt(noLegacy, "aws_lambda_function", "authorizer/function").environment.variables.BASIC_AUTH_CLIENT_ID).toBeUndefined();
  });

  test("runs the bundle from a hashed asset, traced, with its own log group", () => {
    const fn = resourceAt(tf, "aws_lambda_function", "authorizer/function");
    expect(fn).toMatchObject({
      function_name: "scopegate-example-authorizer",
      runtime: "nodejs22.x",
      handler: "index.handler",
      tracing_config: { mode: "Active" },
      reserved_concurrent_executions: -1,
      memory_size: 256,
      timeout: 10,
    });
    expect(fn.filename).toMatch(/^assets\/authorizer_bundle_[0-9A-F]{8}\/[0-9A-F]{32}\/authorizer\.zip$/);
    expect(fn.source_code_hash).toBe(`\${filebase64sha256("${fn.filename}")}`);
    expect(resourceAt(tf, "aws_cloudwatch_log_group", "authorizer/logs")).toMatchObject({
      name: "/aws/lambda/scopegate-example-authorizer",
      retention_in_days: 90,
    });
  });

  test("takes the failed Basic sign-in limit and window from the configuration", () => {
    const { tf: limited } = synthStack(
      exampleConfig((d) => (d.authorizer = { basicSignInFailureLimit: 2, basicSignInFailureWindowSeconds: 3600 })),
    );
    expect(resourceAt(limited, "aws_lambda_function", "authorizer/function").environment.variables).toMatchObject({
      BASIC_SIGN_IN_FAILURE_LIMIT: "2",
      BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS: "3600",
    });
  });

  test("takes reserved concurrency from the configuration", () => {
    const { tf: reserved } = synthStack(exampleConfig((d) => (d.authorizer = { reservedConcurrency: 20 })));
    expect(resourceAt(reserved, "aws_lambda_function", "authorizer/function").reserved_concurrent_executions).toBe(20);
  });

  test("is configured through the documented environment", () => {
    const variables = resourceAt(tf, "aws_lambda_function", "authorizer/function").environment.variables;
    expect(Object.keys(variables).sort()).toEqual([
      "APP_CLIENT_IDS",
      "AUTHZ_TABLE_NAME",
      "BASIC_AUTH_CACHE_TTL_SECONDS",
      "BASIC_AUTH_CLIENT_ID",
      "BASIC_SIGN_IN_FAILURE_LIMIT",
      "BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS",
      "BASIC_USERS",
      "GRANT_CACHE_TTL_SECONDS",
      "MAX_TOKEN_LIFETIME_SECONDS",
      "THREAT_PROTECTION",
      "TOKEN_ISSUER",
      "USER_POOL_ID",
    ]);
    // Only the clients that obtain access tokens; the legacy client signs in through Basic.
    expect(variables.APP_CLIENT_IDS).toMatch(
      /^\$\{aws_cognito_user_pool_client\.client-web_client_[0-9A-F]{8}\.id\},\$\{aws_cognito_user_pool_client\.client-machine_client_[0-9A-F]{8}\.id\}$/,
    );
    expect(variables.BASIC_AUTH_CLIENT_ID).toMatch(/client-legacy_client_/);
    // The designated Basic accounts, and the pool's threat protection (which puts the source IP in the sign-in cache key)
    expect(variables.BASIC_USERS).toBe("svc-reports");
    expect(variables.THREAT_PROTECTION).toBe("off");
  });

  test("GIVEN e-mail sign-in THEN BASIC_USERS also names the sub each designated account's tokens carry", () => {
    const { tf: email } = synthStack(
      exampleConfig((d) => {
        d.userPool.signInWith = "email";
        d.users = [{ username: "alice@example.com" }, { username: "svc-reports@example.com" }];
        d.authorizationTable.grants[0].principal.user = "alice@example.com";
        d.authorizationTable.grants[1].principal.user = "svc-reports@example.com";
        d.appClients[2].basicUsers = ["svc-reports@example.com"];
      }),
    );
    const variables = resourceAt(email, "aws_lambda_function", "authorizer/function").environment.variables;
    expect(variables.BASIC_USERS).toMatch(
      /^svc-reports@example\.com,\$\{aws_cognito_user\.users_user-svc-reportsexamplecom_[0-9A-F]{8}\.sub\}$/,
    );
  });

  test("ships the route table in the package's settings file, and records it where a plan shows it", () => {
    const zip = readZip(readFileSync(join(dirname(stubBundle()), "scopegate-example-authorizer", "authorizer.zip")));
    expect(zip.map((entry) => entry.name)).toEqual([PACKAGED_SETTINGS_FILE, "index.js"]);
    const settings = JSON.parse(zip[0]!.content);
    expect(Object.keys(settings)).toEqual(["ROUTE_SCOPES"]);
    const routeScopes = { "GET /resource": ["api.example.com/read"], "POST /resource": ["api.example.com/write"] };
    expect(JSON.parse(settings.ROUTE_SCOPES)).toEqual(routeScopes);
    expect(resourceAt(tf, "terraform_data", "authorizer/settings").input).toEqual({ ROUTE_SCOPES: routeScopes });
  });

  test("fails synth, naming Lambda's 4 KB limit and the largest variables, when the environment would not fit", () => {
    const many = Array.from({ length: 70 }, (_, i) => ({ name: `svc${i}`, kind: "machine", scopes: ["api.example.com/write"] }));
    expect(() => synthStack(exampleConfig((d) => d.appClients.push(...many)))).toThrow(
      /appClients: the authorizer's environment needs about \d+ bytes, over Lambda's limit of 4096 bytes for all variables together \(largest: APP_CLIENT_IDS \d+ bytes/,
    );
  });

  test("caps a token's lifetime at the longest access-token validity of the clients whose tokens it accepts (60 min by default)", () => {
    const variables = (t: any) => resourceAt(t, "aws_lambda_function", "authorizer/function").environment.variables;
    expect(variables(tf).MAX_TOKEN_LIFETIME_SECONDS).toBe("3600");
    const { tf: varied } = synthStack(
      exampleConfig((d) => {
        const validity: Record<string, number> = { browser: 90, machine: 30, legacy: 1440 };
        for (const client of d.appClients) client.accessTokenValidityMinutes = validity[client.kind];
      }),
    );
    // The legacy client's tokens never reach the verifier (Basic signs in on the caller's behalf).
    expect(variables(varied).MAX_TOKEN_LIFETIME_SECONDS).toBe("5400");
  });

  test("is left out when no route uses the lambda guard", () => {
    const { tf: cognitoOnly } = synthStack(
      exampleConfig((d) => {
        d.api.routes = d.api.routes.filter((r: any) => r.guard === "cognito");
        d.authorizationTable.grants = [];
      }),
    );
    expect(cognitoOnly.resource.aws_lambda_function).toBeUndefined();
    expect(cognitoOnly.resource.aws_lambda_permission).toBeUndefined();
  });
});

describe("the function's environment and the authorizer's configuration contract", () => {
  test("the synthesized environment, once Terraform fills in the ids, is a valid authorizer configuration", () => {
    // GIVEN the environment as synthesized, with every Terraform reference replaced the way apply would
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const snapshot = { keys: [{ ...publicKey.export({ format: "jwk" }), kid: "key-1", alg: "RS256", use: "sig" }] };
    const { tf } = synthStack(exampleConfig((d) => (d.authorizer = { jwksSnapshot: snapshot })));
    const variables: Record<string, string> = resourceAt(tf, "aws_lambda_function", "authorizer/function").environment.variables;
    const resolved = Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [
        name,
        value
          .replace(/\$\{aws_cognito_user_pool\.[^}]+\.id\}/g, "us-east-1_AbCdEf123")
          .replace(/\$\{aws_cognito_user_pool\.[^}]+\.endpoint\}/g, "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123")
          .replace(/\$\{aws_cognito_user_pool_client\.client-(\w+)_client_[0-9A-F]{8}\.id\}/g, (_m, name: string) =>
            `${name}client0123456789abcdef`.slice(0, 26),
          )
          .replace(/\$\{aws_dynamodb_table\.[^}]+\.name\}/g, "scopegate-example-grants"),
      ]),
    );
    expect(Object.values(resolved).join(" ")).not.toContain("${");
    // AND the package unpacked as Lambda unpacks it
    const taskRoot = mkdtempSync(join(tmpdir(), "scopegate-task-root-"));
    for (const entry of readZip(readFileSync(join(dirname(stubBundle()), "scopegate-example-authorizer", "authorizer.zip")))) {
      writeFileSync(join(taskRoot, entry.name), entry.content);
    }
    // WHEN the authorizer reads both at cold start (Lambda sets AWS_REGION itself)
    const config = loadAuthorizerConfig({ ...resolved, AWS_REGION: "us-east-1" }, readPackagedSettings(taskRoot));
    // THEN it sees the pool, clients, table, routes and caches the stack configured
    expect(config).toMatchObject({
      region: "us-east-1",
      userPoolId: "us-east-1_AbCdEf123",
      issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
      tableName: "scopegate-example-grants",
      grantCacheTtlSeconds: 30,
      basicAuthCacheTtlSeconds: 60,
    });
    expect(config.jwksSnapshot).toEqual(snapshot);
    expect(config.appClientIds).toEqual(["webclient0123456789abcdef", "machineclient0123456789abc"]);
    expect(config.basicAuthClientId).toBe("legacyclient0123456789abcd");
    expect([...config.routeScopes.entries()]).toEqual([
      ["GET /resource", ["api.example.com/read"]],
      ["POST /resource", ["api.example.com/write"]],
    ]);
  });
});
