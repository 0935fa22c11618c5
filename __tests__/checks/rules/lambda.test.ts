import { ExpectedFinding, exampleTemplate, expected, findingsOf, resource, summarize, templateOf } from "../fixtures";

const FUNCTION = "aws_lambda_function";
const PERMISSION = "aws_lambda_permission";

type Case = [title: string, mutate: (tf: any) => void, finding: ExpectedFinding];

const cases: Case[] = [
  [
    "flags a function without active X-Ray tracing",
    (tf) => (resource(tf, FUNCTION, "authorizer/function").tracing_config.mode = "PassThrough"),
    {
      rule: "SG-LAMBDA-001",
      severity: "low",
      type: FUNCTION,
      path: "authorizer/function",
      attribute: "tracing_config.mode",
      detail: 'tracing_config.mode is "PassThrough": an authorization decision cannot be traced end to end',
    },
  ],
  [
    "reports a function on the account's unreserved concurrency at info: the account owner's decision",
    () => undefined,
    {
      rule: "SG-LAMBDA-002",
      severity: "info",
      type: FUNCTION,
      path: "authorizer/function",
      attribute: "reserved_concurrent_executions",
      detail:
        "reserved_concurrent_executions is -1: the function shares the account's unreserved pool, so a flood of calls can starve it or other functions",
    },
  ],
  [
    "reports an environment without a customer managed key at info while the stack uses none (as the example stands)",
    () => undefined,
    {
      rule: "SG-LAMBDA-003",
      severity: "info",
      type: FUNCTION,
      path: "authorizer/function",
      attribute: "kms_key_arn",
      detail:
        'kms_key_arn is not set: environment variables are encrypted with the AWS managed key "aws/lambda", so anyone allowed lambda:GetFunctionConfiguration reads them in clear',
    },
  ],
  [
    "flags an environment without the customer managed key the stack uses elsewhere, at full severity",
    (tf) =>
      (resource(tf, "aws_dynamodb_table", "authorization-table/table").server_side_encryption.kms_key_arn =
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    {
      rule: "SG-LAMBDA-003",
      severity: "low",
      type: FUNCTION,
      path: "authorizer/function",
      attribute: "kms_key_arn",
      detail:
        'kms_key_arn is not set: environment variables are encrypted with the AWS managed key "aws/lambda", so anyone allowed lambda:GetFunctionConfiguration reads them in clear',
    },
  ],
  [
    "flags an invoke permission for API Gateway without source_arn",
    (tf) => delete resource(tf, PERMISSION, "rest-api/authorizer-invoke").source_arn,
    {
      rule: "SG-LAMBDA-004",
      severity: "high",
      type: PERMISSION,
      path: "rest-api/authorizer-invoke",
      attribute: "source_arn",
      detail:
        'source_arn is not set for principal "apigateway.amazonaws.com": any apigateway.amazonaws.com resource, in any account, can invoke the function',
    },
  ],
  [
    "flags a function whose log group the stack does not manage",
    (tf) => {
      delete resource(tf, FUNCTION, "authorizer/function").logging_config;
      resource(tf, "aws_cloudwatch_log_group", "authorizer/logs").name = "/custom/authorizer";
    },
    {
      rule: "SG-LAMBDA-005",
      severity: "medium",
      type: FUNCTION,
      path: "authorizer/function",
      attribute: "logging_config.log_group",
      detail:
        'logging_config.log_group is not set and the stack declares no aws_cloudwatch_log_group "/aws/lambda/scopegate-example-authorizer": ' +
        "Lambda creates it on first invocation with no retention (kept forever), outside Terraform",
    },
  ],
];

describe("Lambda rules", () => {
  test.each(cases)("%s", (_title, mutate, finding) => {
    // GIVEN the synthesized example with one weakness
    const tf = exampleTemplate();
    mutate(tf);
    // WHEN the rule runs
    const findings = findingsOf(tf, finding.rule);
    // THEN it reports exactly that resource and attribute, at the rule's severity, with the message
    expect(summarize(findings)).toEqual([expected(tf, finding)]);
  });

  test("reserved concurrency from the configuration passes", () => {
    // GIVEN the example with authorizer.reservedConcurrency set
    const tf = templateOf((d) => (d.authorizer = { reservedConcurrency: 20 }));
    // WHEN the rule runs THEN it reports nothing
    expect(findingsOf(tf, "SG-LAMBDA-002")).toEqual([]);
  });

  test("a function logging to the conventional log group the stack declares passes", () => {
    // GIVEN the function without logging_config, and the stack's "/aws/lambda/<name>" log group
    const tf = exampleTemplate();
    delete resource(tf, FUNCTION, "authorizer/function").logging_config;
    // WHEN the rule runs THEN it reports nothing
    expect(findingsOf(tf, "SG-LAMBDA-005")).toEqual([]);
  });

  test("a permission for an account principal needs no source_arn", () => {
    // GIVEN a permission for another account, without source_arn
    const tf = exampleTemplate();
    const permission = resource(tf, PERMISSION, "rest-api/authorizer-invoke");
    permission.principal = "123456789012";
    delete permission.source_arn;
    // WHEN the rule runs THEN it reports nothing
    expect(findingsOf(tf, "SG-LAMBDA-004")).toEqual([]);
  });
});
