import { PolicyStatement, statementsOfPolicyDocumentData, statementsOfPolicyJson } from "../../core/terraform-json/iam";
import { SIGN_IN_LIMIT_KEY_PREFIX } from "../../core/grant-item";
import { Rule, Violation, violation } from "../rule";
import { StackTemplate, TfResource, parseReference } from "../../core/terraform-json/document";
import { UNKNOWN, Unknown, readBlocks, readString, readStrings } from "../../core/terraform-json/values";

/**
 * Actions that have no resource-level permissions: `"*"` is the only resource they accept.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 */
const ACTIONS_WITHOUT_RESOURCE_TYPES = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
  "cloudwatch:PutMetricData",
].map((action) => action.toLowerCase());

/** AWS managed policies that grant administrator-level access. */
const ADMIN_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

const AWS_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

/** A policy document somewhere in the stack: which resource, which attribute, its statements. */
interface PolicySource {
  readonly resource: TfResource;
  readonly attribute: string;
  readonly statements: readonly PolicyStatement[];
}

/** Every identity policy document the JSON shows (resources with a `policy` string, inline policies, policy document data sources). */
function policySources(stack: StackTemplate): PolicySource[] {
  const sources: PolicySource[] = [];
  const add = (resource: TfResource, attribute: string, statements: readonly PolicyStatement[] | undefined | Unknown) => {
    if (statements !== undefined && statements !== UNKNOWN) sources.push({ resource, attribute, statements });
  };
  for (const type of ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"]) {
    for (const resource of stack.resources(type)) add(resource, "policy", statementsOfPolicyJson(resource.body.policy));
  }
  for (const role of stack.resources("aws_iam_role")) {
    const inline = readBlocks(role.body.inline_policy);
    if (inline === UNKNOWN || inline === undefined) continue;
    inline.forEach((block, index) => add(role, `inline_policy[${index}].policy`, statementsOfPolicyJson(block.policy)));
  }
  for (const data of stack.dataSources("aws_iam_policy_document")) add(data, "", statementsOfPolicyDocumentData(data.body));
  return sources;
}

/** Names of a statement's elements in a policy JSON and in an aws_iam_policy_document data source. */
const ELEMENTS = {
  Action: "actions",
  NotAction: "not_actions",
  Resource: "resources",
  NotResource: "not_resources",
} as const;

/** Where an element is, for messages: `policy Statement[0] (Sid "X").Action` or `statement[0].actions`. */
function where(source: PolicySource, statement: PolicyStatement, element: keyof typeof ELEMENTS): string {
  if (source.attribute === "") return `${statement.label}.${ELEMENTS[element]}`;
  return `${source.attribute} ${statement.label}.${element}`;
}

function known(items: readonly (string | Unknown)[] | undefined | Unknown): string[] {
  return items === undefined || items === UNKNOWN ? [] : items.filter((item): item is string => item !== UNKNOWN);
}

const wildcardActions: Rule = {
  id: "SG-IAM-001",
  severity: "high",
  title: "Policies allow named actions, never wildcards",
  fix: 'List each action the principal needs ("dynamodb:GetItem", not "dynamodb:*" or "dynamodb:Get*"); never Allow with NotAction.',
  see: ["checkov CKV_AWS_63", "trivy AVD-AWS-0057"],
  check: (stack) =>
    policySources(stack).flatMap((source) =>
      source.statements.flatMap((statement): Violation[] => {
        if (statement.effect !== "Allow") return [];
        const result: Violation[] = [];
        const wildcards = known(statement.actions).filter((action) => action.includes("*"));
        if (wildcards.length > 0) {
          const at = where(source, statement, "Action");
          result.push(
            violation(
              source.resource,
              at,
              `${at} allows ${wildcards.map((a) => JSON.stringify(a)).join(", ")}: every matching action, including ones AWS adds later`,
            ),
          );
        }
        if (statement.notActions !== undefined) {
          const at = where(source, statement, "NotAction");
          result.push(violation(source.resource, at, `${at} with Effect "Allow" allows every action except the ones listed`));
        }
        return result;
      }),
    ),
};

const wildcardResources: Rule = {
  id: "SG-IAM-002",
  severity: "high",
  title: 'Policies name resources; "*" only for actions without resource-level permissions',
  fix: 'Name the resources (ARNs or references) each action applies to. "*" is right only for actions that accept nothing else, such as xray:PutTraceSegments.',
  see: ["checkov CKV_AWS_355", "trivy AVD-AWS-0057"],
  check: (stack) =>
    policySources(stack).flatMap((source) =>
      source.statements.flatMap((statement): Violation[] => {
        if (statement.effect !== "Allow") return [];
        if (statement.notResources !== undefined) {
          const at = where(source, statement, "NotResource");
          return [violation(source.resource, at, `${at} with Effect "Allow" applies to every resource except the ones listed`)];
        }
        const wildcards = known(statement.resources).filter(isWildcardResource);
        if (wildcards.length === 0 || statement.actions === UNKNOWN) return [];
        const actions = statement.actions ?? [];
        const restrictable = known(actions).filter((action) => !ACTIONS_WITHOUT_RESOURCE_TYPES.includes(action.toLowerCase()));
        if (restrictable.length === 0) return [];
        const at = where(source, statement, "Resource");
        return [
          violation(
            source.resource,
            at,
            `${at} is ${wildcards.map((r) => JSON.stringify(r)).join(", ")} for ${restrictable.map((a) => JSON.stringify(a)).join(", ")}, which can be limited to named resources`,
          ),
        ];
      }),
    ),
};

/** `"*"`, or an ARN whose every part after the service is a wildcard. */
function isWildcardResource(resource: string): boolean {
  if (resource === "*") return true;
  const parts = resource.split(":");
  return parts.length >= 6 && parts[0] === "arn" && parts.slice(5).join(":") === "*";
}

/** Every AWS managed policy ARN attached in the stack, with where it is attached. */
function managedPolicyAttachments(stack: StackTemplate): { resource: TfResource; attribute: string; arn: string; name: string }[] {
  const found: { resource: TfResource; attribute: string; arn: string; name: string }[] = [];
  const consider = (resource: TfResource, attribute: string, value: string | undefined | Unknown) => {
    if (typeof value !== "string") return;
    const match = AWS_MANAGED_POLICY.exec(value);
    if (match !== null) found.push({ resource, attribute, arn: value, name: match[1] });
  };
  for (const type of [
    "aws_iam_role_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_policy_attachment",
  ]) {
    for (const resource of stack.resources(type)) consider(resource, "policy_arn", readString(resource.body.policy_arn));
  }
  const lists: [string, string][] = [
    ["aws_iam_role", "managed_policy_arns"],
    ["aws_iam_role_policy_attachments_exclusive", "policy_arns"],
  ];
  for (const [type, attribute] of lists) {
    for (const resource of stack.resources(type)) {
      const arns = readStrings(resource.body[attribute]);
      if (arns === UNKNOWN || arns === undefined) continue;
      arns.forEach((arn, index) => consider(resource, `${attribute}[${index}]`, arn));
    }
  }
  return found;
}

/**
 * The AWS managed policy AWS documents for the account-wide role API Gateway writes execution
 * logs with (`aws_api_gateway_account.cloudwatch_role_arn`).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
 */
const API_GATEWAY_LOGGING_POLICY = "AmazonAPIGatewayPushToCloudWatchLogs";

/** What to set when an organisation forbids the AWS managed policy on the account's logging role. */
const ACCOUNT_LOGGING_ROLE_IF_REQUIRED =
  "If your organisation forbids AWS managed policies, set api.manageAccountLoggingRole false and have the account's owner set the API Gateway account's CloudWatch role (one per account and region, shared by every REST API there) with a policy of its own allowing logs:CreateLogGroup, logs:CreateLogStream, logs:DescribeLogGroups, logs:DescribeLogStreams, logs:PutLogEvents and logs:GetLogEvents.";

/** Addresses of the roles an `aws_api_gateway_account` names as its CloudWatch role. */
function accountLoggingRoles(stack: StackTemplate): Set<string> {
  const roles = new Set<string>();
  for (const account of stack.resources("aws_api_gateway_account")) {
    const reference = parseReference(account.body.cloudwatch_role_arn);
    if (reference !== undefined && reference.type === "aws_iam_role") roles.add(`aws_iam_role.${reference.name}`);
  }
  return roles;
}

const awsManagedPolicies: Rule = {
  id: "SG-IAM-003",
  severity: "medium",
  title: "Roles get policies written for them, not AWS managed policies",
  fix: "Replace the attachment with an aws_iam_role_policy that lists the actions and resources the role needs.",
  see: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html"],
  check: (stack) => {
    const loggingRoles = accountLoggingRoles(stack);
    return managedPolicyAttachments(stack)
      .filter((attachment) => !ADMIN_POLICIES.includes(attachment.name))
      .map((attachment) => {
        const role = parseReference(attachment.resource.body.role);
        // The account-wide logging role serves every REST API of the account and region: whether it
        // may carry the AWS managed policy AWS documents for it is the account owner's decision.
        const accountWide =
          attachment.name === API_GATEWAY_LOGGING_POLICY && role !== undefined && loggingRoles.has(`aws_iam_role.${role.name}`);
        return violation(
          attachment.resource,
          attachment.attribute,
          `${attachment.attribute} attaches the AWS managed policy ${JSON.stringify(attachment.name)}: its permissions are not in this plan, are written for every account, and change when AWS changes them`,
          accountWide ? ACCOUNT_LOGGING_ROLE_IF_REQUIRED : undefined,
        );
      });
  },
};

const adminPolicies: Rule = {
  id: "SG-IAM-004",
  severity: "critical",
  title: "No administrator-level AWS managed policy is attached",
  fix: `Never attach ${ADMIN_POLICIES.join(", ")}: write a policy with the actions and resources the principal needs.`,
  see: ["checkov CKV_AWS_274"],
  check: (stack) =>
    managedPolicyAttachments(stack)
      .filter((attachment) => ADMIN_POLICIES.includes(attachment.name))
      .map((attachment) =>
        violation(
          attachment.resource,
          attachment.attribute,
          `${attachment.attribute} attaches ${JSON.stringify(attachment.name)}: administrator-level access to the account`,
        ),
      ),
};

/**
 * The DynamoDB actions that write items.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 */
const DYNAMODB_ITEM_WRITES = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
];

/** Whether an IAM action pattern (`*` and `?`, case-insensitive) matches an action. */
function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "i").test(action);
}

/** Whether a resource, as written, may name a table of the stack: `*`, a reference to one, or a DynamoDB ARN with a wildcard or its name. */
function mayNameTable(resource: string, tables: readonly TfResource[]): boolean {
  if (resource === "*") return true;
  if (tables.some((table) => resource.includes(`aws_dynamodb_table.${table.name}.`))) return true;
  const parts = resource.split(":");
  if (parts[0] !== "arn" || !(parts[2] === "dynamodb" || parts[2]?.includes("*"))) return false;
  const tablePart = parts.slice(5).join(":");
  const names = tables.map((table) => readString(table.body.name)).filter((name): name is string => typeof name === "string");
  return tablePart.includes("*") || names.some((name) => tablePart === `table/${name}` || tablePart.startsWith(`table/${name}/`));
}

/** Whether a statement may write only keys under the failed sign-in counters' prefix (`ForAllValues` on `dynamodb:LeadingKeys`). */
function onlyCounterKeys(statement: PolicyStatement): boolean {
  if (statement.conditions === undefined || statement.conditions === UNKNOWN) return false;
  return statement.conditions.some(
    (condition) =>
      /^ForAllValues:String(Like|Equals)$/.test(condition.test) &&
      condition.variable.toLowerCase() === "dynamodb:leadingkeys" &&
      condition.values.length > 0 &&
      condition.values.every((value) => typeof value === "string" && value.startsWith(SIGN_IN_LIMIT_KEY_PREFIX)),
  );
}

const grantWrites: Rule = {
  id: "SG-IAM-005",
  severity: "high",
  title: "No role may write the grants table, but for the authorizer's failed sign-in counters",
  fix:
    `Remove the write. Grants are written by Terraform (aws_dynamodb_table_item); the authorizer writes only its counters, with ` +
    `dynamodb:UpdateItem under the condition "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["${SIGN_IN_LIMIT_KEY_PREFIX}*"]}.`,
  see: ["https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html"],
  check: (stack) => {
    const tables = stack.resources("aws_dynamodb_table");
    if (tables.length === 0) return [];
    return policySources(stack).flatMap((source) =>
      source.statements.flatMap((statement): Violation[] => {
        if (statement.effect !== "Allow" || statement.actions === UNKNOWN || onlyCounterKeys(statement)) return [];
        const writes = DYNAMODB_ITEM_WRITES.filter((write) => known(statement.actions).some((pattern) => actionMatches(pattern, write)));
        if (writes.length === 0) return [];
        const named = (statement.written.resources ?? []).filter((resource) => mayNameTable(resource, tables));
        if (named.length === 0) return [];
        const at = where(source, statement, "Action");
        return [
          violation(
            source.resource,
            at,
            `${at} allows ${writes.join(", ")} on ${named.map((r) => JSON.stringify(r)).join(", ")} without a dynamodb:LeadingKeys ` +
              `condition limiting it to "${SIGN_IN_LIMIT_KEY_PREFIX}" keys: whoever holds the role can write grants, so grant anyone any route`,
          ),
        ];
      }),
    );
  },
};

/** The IAM rules. */
export const IAM_RULES: readonly Rule[] = [wildcardActions, wildcardResources, awsManagedPolicies, adminPolicies, grantWrites];
