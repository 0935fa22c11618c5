import { ExpectedFinding, addressOf, exampleTemplate, expected, findingsOf, ref, resource, summarize } from "../fixtures";

const METHOD = "aws_api_gateway_method";
const SETTINGS = "aws_api_gateway_method_settings";
const STAGE = "aws_api_gateway_stage";

/** A failing fixture: the example's Terraform changed by `mutate`, and the one finding it must produce. */
type Case = [title: string, mutate: (tf: any) => void, finding: ExpectedFinding];

const cases: Case[] = [
  [
    "flags a method whose authorization is NONE",
    (tf) => {
      const method = resource(tf, METHOD, "route-GET:reports/method");
      Object.assign(method, { authorization: "NONE" });
      delete method.authorizer_id;
      delete method.authorization_scopes;
    },
    {
      rule: "SG-APIGW-001",
      severity: "critical",
      type: METHOD,
      path: "rest-api/route-GET:reports/method",
      attribute: "authorization",
      detail: 'authorization is "NONE": GET /reports is open to anyone who can reach the API',
    },
  ],
  [
    "flags an open method even when it requires an API key",
    (tf) => Object.assign(resource(tf, METHOD, "route-POST:resource/method"), { authorization: "NONE", api_key_required: true }),
    {
      rule: "SG-APIGW-001",
      severity: "critical",
      type: METHOD,
      path: "rest-api/route-POST:resource/method",
      attribute: "authorization",
      detail:
        'authorization is "NONE": POST /resource is open to anyone who can reach the API (api_key_required identifies a caller, it does not authenticate one)',
    },
  ],
  [
    "flags a CUSTOM method without an authorizer",
    (tf) => delete resource(tf, METHOD, "route-GET:resource/method").authorizer_id,
    {
      rule: "SG-APIGW-002",
      severity: "high",
      type: METHOD,
      path: "rest-api/route-GET:resource/method",
      attribute: "authorizer_id",
      detail: 'authorizer_id is not set although authorization is "CUSTOM": no authorizer guards GET /resource',
    },
  ],
  [
    "flags a Cognito method that names the Lambda authorizer",
    (tf) =>
      (resource(tf, METHOD, "route-GET:reports/method").authorizer_id = ref(
        tf,
        "aws_api_gateway_authorizer",
        "rest-api/lambda-authorizer",
        "id",
      )),
    {
      rule: "SG-APIGW-002",
      severity: "high",
      type: METHOD,
      path: "rest-api/route-GET:reports/method",
      attribute: "authorizer_id",
      detail:
        'authorizer_id refers to scopegate-example/rest-api/lambda-authorizer of type "REQUEST", which cannot guard GET /reports with authorization "COGNITO_USER_POOLS"',
    },
  ],
  [
    "flags a Cognito method without authorization scopes (ID tokens would pass)",
    (tf) => delete resource(tf, METHOD, "route-GET:reports/method").authorization_scopes,
    {
      rule: "SG-APIGW-003",
      severity: "high",
      type: METHOD,
      path: "rest-api/route-GET:reports/method",
      attribute: "authorization_scopes",
      detail: "authorization_scopes is not set: the Cognito authorizer then accepts any valid ID token of the pool for GET /reports",
    },
  ],
  [
    "flags a literal method scope that no resource server defines",
    (tf) => (resource(tf, METHOD, "route-POST:reports/method").authorization_scopes = ["api.example.com/admin"]),
    {
      rule: "SG-APIGW-004",
      severity: "medium",
      type: METHOD,
      path: "rest-api/route-POST:reports/method",
      attribute: "authorization_scopes[0]",
      detail:
        'authorization_scopes[0] "api.example.com/admin" is defined by no aws_cognito_resource_server in this stack (defined: api.example.com/read, api.example.com/write): ' +
        "no token of this pool carries it, or it is managed outside this review",
    },
  ],
  [
    "flags a referenced resource server scope the server does not define",
    (tf) =>
      (resource(tf, METHOD, "route-POST:reports/method").authorization_scopes = [
        `${ref(tf, "aws_cognito_resource_server", "resource-server-api.example.com/server", "identifier")}/write`,
        `${ref(tf, "aws_cognito_resource_server", "resource-server-api.example.com/server", "identifier")}/delete`,
      ]),
    {
      rule: "SG-APIGW-004",
      severity: "medium",
      type: METHOD,
      path: "rest-api/route-POST:reports/method",
      attribute: "authorization_scopes[1]",
      detail: (tf) =>
        `authorization_scopes[1] "${ref(tf, "aws_cognito_resource_server", "resource-server-api.example.com/server", "identifier")}/delete" ` +
        'names scope "delete", which scopegate-example/resource-server-api.example.com/server does not define (it defines: read, write)',
    },
  ],
  [
    "flags a method that requires the user admin scope",
    (tf) => (resource(tf, METHOD, "route-GET:reports/method").authorization_scopes = ["aws.cognito.signin.user.admin"]),
    {
      rule: "SG-APIGW-004",
      severity: "medium",
      type: METHOD,
      path: "rest-api/route-GET:reports/method",
      attribute: "authorization_scopes[0]",
      detail:
        'authorization_scopes[0] "aws.cognito.signin.user.admin" is not a resource server scope: every token from a password sign-in carries it, so it guards nothing',
    },
  ],
  [
    "flags a stage without access logs",
    (tf) => delete resource(tf, STAGE, "rest-api/stage").access_log_settings,
    {
      rule: "SG-APIGW-005",
      severity: "medium",
      type: STAGE,
      path: "rest-api/stage",
      attribute: "access_log_settings.destination_arn",
      detail: "access_log_settings is not set: no record of who called which method, or of what the authorizers decided",
    },
  ],
  [
    "flags a stage without X-Ray tracing",
    (tf) => (resource(tf, STAGE, "rest-api/stage").xray_tracing_enabled = false),
    {
      rule: "SG-APIGW-006",
      severity: "low",
      type: STAGE,
      path: "rest-api/stage",
      attribute: "xray_tracing_enabled",
      detail: "xray_tracing_enabled is false: requests through the authorizers cannot be traced",
    },
  ],
  [
    "flags execution logging turned OFF",
    (tf) => (resource(tf, SETTINGS, "rest-api/method-settings").settings.logging_level = "OFF"),
    {
      rule: "SG-APIGW-007",
      severity: "medium",
      type: SETTINGS,
      path: "rest-api/method-settings",
      attribute: "settings.logging_level",
      detail: 'settings.logging_level is "OFF" for method_path "*/*": those calls leave no execution log',
    },
  ],
  [
    "flags a stage without method settings for every method",
    (tf) => delete tf.resource[SETTINGS],
    {
      rule: "SG-APIGW-007",
      severity: "medium",
      type: STAGE,
      path: "rest-api/stage",
      attribute: "method settings",
      detail: `has no aws_api_gateway_method_settings with method_path "*/*": execution logging is off for every method (API Gateway's default logging level is OFF)`,
    },
  ],
  [
    "flags detailed metrics turned off",
    (tf) => (resource(tf, SETTINGS, "rest-api/method-settings").settings.metrics_enabled = false),
    {
      rule: "SG-APIGW-008",
      severity: "low",
      type: SETTINGS,
      path: "rest-api/method-settings",
      attribute: "settings.metrics_enabled",
      detail: 'settings.metrics_enabled is false for method_path "*/*": 4XX spikes from refused tokens go unseen per method',
    },
  ],
  [
    "flags data trace (full request and response logging)",
    (tf) => (resource(tf, SETTINGS, "rest-api/method-settings").settings.data_trace_enabled = true),
    {
      rule: "SG-APIGW-009",
      severity: "medium",
      type: SETTINGS,
      path: "rest-api/method-settings",
      attribute: "settings.data_trace_enabled",
      detail:
        'settings.data_trace_enabled is true for method_path "*/*": request and response bodies, with whatever personal data they hold, go to CloudWatch',
    },
  ],
  [
    "flags a cache without encryption",
    (tf) =>
      Object.assign(resource(tf, SETTINGS, "rest-api/method-settings").settings, { caching_enabled: true, cache_data_encrypted: false }),
    {
      rule: "SG-APIGW-010",
      severity: "medium",
      type: SETTINGS,
      path: "rest-api/method-settings",
      attribute: "settings.cache_data_encrypted",
      detail:
        'settings.cache_data_encrypted is false while caching_enabled is true for method_path "*/*": cached responses are stored unencrypted',
    },
  ],
  [
    "flags a deployment without create_before_destroy",
    (tf) => delete resource(tf, "aws_api_gateway_deployment", "rest-api/deployment").lifecycle,
    {
      rule: "SG-APIGW-011",
      severity: "low",
      type: "aws_api_gateway_deployment",
      path: "rest-api/deployment",
      attribute: "lifecycle.create_before_destroy",
      detail:
        "lifecycle.create_before_destroy is not set: a redeployment destroys the deployment a stage still serves (an outage, or a failed apply)",
    },
  ],
  [
    "flags execution logs without a log group the stack manages",
    (tf) => dropExecutionLogGroup(tf),
    {
      rule: "SG-APIGW-012",
      severity: "medium",
      type: STAGE,
      path: "rest-api/stage",
      attribute: "execution log group",
      detail:
        'logs execution at level "INFO", but the stack declares no aws_cloudwatch_log_group "API-Gateway-Execution-Logs_<rest api id>/v1": ' +
        "API Gateway creates it on first use with no retention (kept forever) and no KMS key, outside Terraform",
    },
  ],
  [
    "flags a stage that accepts Basic credentials with no web ACL",
    (tf) => delete tf.resource.aws_wafv2_web_acl_association,
    {
      rule: "SG-APIGW-013",
      severity: "high",
      type: STAGE,
      path: "rest-api/stage",
      attribute: "web ACL",
      detail:
        "the Lambda authorizer accepts Basic credentials and no web ACL is associated with the stage: every new password guess is one Cognito sign-in, and failed guesses lock the account out",
    },
  ],
  [
    "flags a stage whose web ACL does not match the Basic scheme in any case (no lowercase transformation)",
    (tf) => {
      const acl = resource(tf, "aws_wafv2_web_acl", "basic-rate-limit/acl");
      const rules = JSON.parse(acl.rule_json);
      rules[0].Statement.RateBasedStatement.ScopeDownStatement.ByteMatchStatement.TextTransformations = [{ Priority: 0, Type: "NONE" }];
      acl.rule_json = JSON.stringify(rules);
    },
    {
      rule: "SG-APIGW-013",
      severity: "high",
      type: STAGE,
      path: "rest-api/stage",
      attribute: "web ACL",
      detail:
        "the Lambda authorizer accepts Basic credentials and no associated web ACL rate-limits them per source IP: every new password guess is one Cognito sign-in, and failed guesses lock the account out",
    },
  ],
];

/** Removes the execution log group the stack declares, as a stack without it would be. */
function dropExecutionLogGroup(tf: any): void {
  const groups = tf.resource.aws_cloudwatch_log_group;
  for (const [id, group] of Object.entries<any>(groups)) {
    if (String(group.name).startsWith("API-Gateway-Execution-Logs_")) delete groups[id];
  }
}

describe("API Gateway rules", () => {
  test.each(cases)("%s", (_title, mutate, finding) => {
    // GIVEN the synthesized example with one weakness
    const tf = exampleTemplate();
    mutate(tf);
    // WHEN the rule runs
    const findings = findingsOf(tf, finding.rule);
    // THEN it reports exactly that resource and attribute, at the rule's severity, with the message
    expect(summarize(findings)).toEqual([expected(tf, finding)]);
  });

  test("the example's methods, stage, settings, deployment and execution log group pass every rule", () => {
    // GIVEN the synthesized example WHEN the API Gateway rules run
    const tf = exampleTemplate();
    const ids = ["SG-APIGW-001", "SG-APIGW-002", "SG-APIGW-003", "SG-APIGW-004", "SG-APIGW-005", "SG-APIGW-006"] as const;
    const more = ["SG-APIGW-007", "SG-APIGW-008", "SG-APIGW-009", "SG-APIGW-010", "SG-APIGW-011", "SG-APIGW-012", "SG-APIGW-013"] as const;
    // THEN none reports anything
    expect([...ids, ...more].flatMap((id) => findingsOf(tf, id))).toEqual([]);
  });

  test("accepts resource server scopes written as references, standard scopes and unknown scopes", () => {
    // GIVEN methods requiring a referenced defined scope, "openid", and a scope only Terraform knows
    const tf = exampleTemplate();
    const server = ref(tf, "aws_cognito_resource_server", "resource-server-api.example.com/server", "identifier");
    resource(tf, METHOD, "route-GET:reports/method").authorization_scopes = [`${server}/read`, "openid"];
    resource(tf, METHOD, "route-POST:reports/method").authorization_scopes = ["${var.scope}"];
    // WHEN the scope rule runs THEN it reports nothing
    expect(findingsOf(tf, "SG-APIGW-004")).toEqual([]);
  });

  test("accepts a literal scope when a resource server's identifier is only known at apply", () => {
    // GIVEN the resource server's identifier is an interpolation
    const tf = exampleTemplate();
    resource(tf, "aws_cognito_resource_server", "resource-server-api.example.com/server").identifier = "${var.identifier}";
    resource(tf, METHOD, "route-POST:reports/method").authorization_scopes = ["api.example.com/admin"];
    // WHEN the scope rule runs THEN it cannot tell, so it reports nothing
    expect(findingsOf(tf, "SG-APIGW-004")).toEqual([]);
  });

  test("a stage whose authorizer accepts no Basic credentials needs no web ACL", () => {
    // GIVEN the example without its web ACL, and its authorizer without a Basic sign-in client
    const tf = exampleTemplate();
    delete tf.resource.aws_wafv2_web_acl_association;
    delete resource(tf, "aws_lambda_function", "authorizer/function").environment.variables.BASIC_AUTH_CLIENT_ID;
    // WHEN the rule runs THEN it reports nothing
    expect(findingsOf(tf, "SG-APIGW-013")).toEqual([]);
  });

  test("an empty Basic sign-in client reads as unset, as the function reads its environment", () => {
    // GIVEN the example without its web ACL, and its authorizer's Basic sign-in client set to ""
    const tf = exampleTemplate();
    delete tf.resource.aws_wafv2_web_acl_association;
    const withClient = findingsOf(tf, "SG-APIGW-013");
    resource(tf, "aws_lambda_function", "authorizer/function").environment.variables.BASIC_AUTH_CLIENT_ID = "";
    // WHEN the rule runs THEN Basic is off there (the function refuses Basic credentials), so it reports nothing
    expect(withClient).not.toEqual([]);
    expect(findingsOf(tf, "SG-APIGW-013")).toEqual([]);
  });

  test("a managed execution log group clears the finding", () => {
    // GIVEN the example with the log group API Gateway would otherwise create, written by hand
    const tf = exampleTemplate();
    dropExecutionLogGroup(tf);
    const api = ref(tf, "aws_api_gateway_rest_api", "rest-api/api", "id");
    tf.resource.aws_cloudwatch_log_group["rest-api_execution-logs"] = {
      name: `API-Gateway-Execution-Logs_${api}/v1`,
      retention_in_days: 365,
    };
    // WHEN the rule runs THEN it reports nothing
    expect(findingsOf(tf, "SG-APIGW-012")).toEqual([]);
  });

  test("an execution log group of another API does not count", () => {
    // GIVEN only a log group named for some other REST API
    const tf = exampleTemplate();
    dropExecutionLogGroup(tf);
    tf.resource.aws_cloudwatch_log_group.other = {
      name: "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.other.id}/v1",
      retention_in_days: 7,
    };
    // WHEN the rule runs THEN the stage is still reported
    expect(findingsOf(tf, "SG-APIGW-012").map((f) => f.address)).toEqual([addressOf(tf, STAGE, "rest-api/stage")]);
  });
});
