import { Rule, violation } from "../rule";
import { TfResource } from "../../core/terraform-json/document";
import { UNKNOWN, readBlock, readNumber, readString } from "../../core/terraform-json/values";
import { isExpression } from "../../core/terraform-json/template";
import { CUSTOMER_MANAGED_KEY_IF_REQUIRED, UNTIL_CUSTOMER_MANAGED_KEY, usesCustomerManagedKey } from "../decisions";
import { isJsonObject } from "../../core/json";

const FUNCTION = "aws_lambda_function";

const tracing: Rule = {
  id: "SG-LAMBDA-001",
  severity: "low",
  title: "Functions trace invocations with X-Ray",
  fix: 'Set tracing_config { mode = "Active" } on the aws_lambda_function (its role then needs xray:PutTraceSegments and xray:PutTelemetryRecords).',
  see: ["checkov CKV_AWS_50", "trivy AVD-AWS-0066"],
  check: (stack) =>
    stack.resources(FUNCTION).flatMap((fn) => {
      const config = readBlock(fn.body.tracing_config);
      if (config === UNKNOWN) return [];
      const mode = readString(config?.mode);
      if (mode === UNKNOWN || mode === "Active") return [];
      return [
        violation(
          fn,
          "tracing_config.mode",
          `tracing_config.mode is ${mode === undefined ? 'not set ("PassThrough")' : JSON.stringify(mode)}: an authorization decision cannot be traced end to end`,
        ),
      ];
    }),
};

/**
 * Reserved concurrency is carved out of the account's regional quota, which every function of the
 * account shares (Lambda keeps 100 unreserved): sizing it is the account owner's decision, so a
 * missing reservation is `info`.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
const reservedConcurrency: Rule = {
  id: "SG-LAMBDA-002",
  severity: "info",
  title: "Functions have reserved concurrency",
  fix: "If your organisation requires it, set reserved_concurrent_executions to a positive number (scopegate: authorizer.reservedConcurrency, sized to the API's throttling), leaving the account's unreserved pool at least 100.",
  see: ["checkov CKV_AWS_115"],
  check: (stack) =>
    stack.resources(FUNCTION).flatMap((fn) => {
      const value = readNumber(fn.body.reserved_concurrent_executions);
      if (value === UNKNOWN || (value !== undefined && value >= 0)) return [];
      return [
        violation(
          fn,
          "reserved_concurrent_executions",
          `reserved_concurrent_executions is ${value === undefined ? "not set" : value}: the function shares the account's unreserved pool, so a flood of calls can starve it or other functions`,
        ),
      ];
    }),
};

const environmentKey: Rule = {
  id: "SG-LAMBDA-003",
  severity: "low",
  title: "Function environments are encrypted with a customer managed KMS key",
  infoUntil: UNTIL_CUSTOMER_MANAGED_KEY,
  fix: "Set kms_key_arn on the aws_lambda_function to an aws_kms_key its role may use (scopegate: encryption.kmsKey), or keep secrets out of the environment.",
  see: ["checkov CKV_AWS_173"],
  check: (stack) => {
    const decided = usesCustomerManagedKey(stack);
    return stack.resources(FUNCTION).flatMap((fn) => {
      const environment = readBlock(fn.body.environment);
      if (environment === undefined) return [];
      const variables = environment === UNKNOWN ? UNKNOWN : environment.variables;
      if (variables === undefined || variables === null || (isJsonObject(variables) && Object.keys(variables).length === 0)) return [];
      const key = readString(fn.body.kms_key_arn);
      if (key === UNKNOWN || (key !== undefined && key !== "")) return [];
      return [
        violation(
          fn,
          "kms_key_arn",
          'kms_key_arn is not set: environment variables are encrypted with the AWS managed key "aws/lambda", so anyone allowed lambda:GetFunctionConfiguration reads them in clear',
          decided ? undefined : CUSTOMER_MANAGED_KEY_IF_REQUIRED,
        ),
      ];
    });
  },
};

const sourceArn: Rule = {
  id: "SG-LAMBDA-004",
  severity: "high",
  title: "Invoke permissions for AWS services name the source ARN",
  fix: "Set source_arn on the aws_lambda_permission to the one resource that may invoke (an API authorizer: <api execution_arn>/authorizers/<authorizer id>).",
  see: ["checkov CKV_AWS_364", "trivy AVD-AWS-0067"],
  check: (stack) =>
    stack.resources("aws_lambda_permission").flatMap((permission) => {
      const principal = readString(permission.body.principal);
      if (typeof principal !== "string" || !(principal === "*" || principal.endsWith(".amazonaws.com"))) return [];
      const arn = readString(permission.body.source_arn);
      if (arn === UNKNOWN || (arn !== undefined && arn !== "")) return [];
      const who = principal === "*" ? "anyone" : `any ${principal} resource`;
      return [
        violation(
          permission,
          "source_arn",
          `source_arn is not set for principal "${principal}": ${who}, in any account, can invoke the function`,
        ),
      ];
    }),
};

const functionLogGroup: Rule = {
  id: "SG-LAMBDA-005",
  severity: "medium",
  title: "Functions log to a log group the stack manages",
  fix: 'Declare aws_cloudwatch_log_group "/aws/lambda/<function name>" with retention_in_days, and point logging_config.log_group at it (or make the function depend on it).',
  see: ["https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html"],
  check: (stack) => {
    const groups = stack.resources("aws_cloudwatch_log_group");
    return stack.resources(FUNCTION).flatMap((fn) => {
      const logging = readBlock(fn.body.logging_config);
      if (logging === UNKNOWN) return [];
      const target = logging?.log_group;
      if (target !== undefined && target !== null && target !== "") return [];
      const name = readString(fn.body.function_name);
      if (typeof name !== "string") return [];
      const expected = `/aws/lambda/${name}`;
      if (groups.some((group) => mayBeNamed(group, expected))) return [];
      return [
        violation(
          fn,
          "logging_config.log_group",
          `logging_config.log_group is not set and the stack declares no aws_cloudwatch_log_group "${expected}": Lambda creates it on first invocation with no retention (kept forever), outside Terraform`,
        ),
      ];
    });
  },
};

/** The Lambda rules. */
export const LAMBDA_RULES: readonly Rule[] = [tracing, reservedConcurrency, environmentKey, sourceArn, functionLogGroup];

/** Whether a log group is (or, as far as the JSON tells, may be) named `expected`. */
function mayBeNamed(group: TfResource, expected: string): boolean {
  const name = group.body.name;
  if (name === undefined || name === null) return false;
  if (typeof name !== "string") return true;
  if (!isExpression(name)) return name === expected;
  const literalStart = name.split(/\$\{|%\{/)[0];
  return expected.startsWith(literalStart);
}
