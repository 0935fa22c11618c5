import { scopeIdentifier, splitScopeIdentifier } from "../../core/scopes";
import { Rule, Violation, violation } from "../rule";
import { StackTemplate, TfResource, parseReference } from "../../core/terraform-json/document";
import { UNKNOWN, readBlock, readBlocks, readBoolean, readString, readStrings } from "../../core/terraform-json/values";
import { isExpression } from "../../core/terraform-json/template";
import { show } from "../../core/show";
import { type JsonObject } from "../../core/json";
import { acceptsBasic as acceptsBasicEnvironment } from "../../contracts/authorizer-environment";

/** OpenID Connect scopes Cognito defines itself; a method may require them. */
const STANDARD_SCOPES = ["openid", "email", "profile", "phone"];
/** Carried by every token from a password sign-in (InitiateAuth / AdminInitiateAuth). */
const USER_ADMIN_SCOPE = "aws.cognito.signin.user.admin";
/** The log group API Gateway writes execution logs to. */
const EXECUTION_LOG_GROUP_PREFIX = "API-Gateway-Execution-Logs_";

const methodAuthorization: Rule = {
  id: "SG-APIGW-001",
  severity: "critical",
  title: "Every API method requires authorization",
  fix:
    'Set authorization to "COGNITO_USER_POOLS" (with authorization_scopes) or "CUSTOM" (with authorizer_id) on the aws_api_gateway_method; ' +
    "in the scopegate configuration every route names a guard. An API key is not authentication.",
  see: ["checkov CKV_AWS_59", "trivy AVD-AWS-0004"],
  check: (stack) =>
    stack.resources("aws_api_gateway_method").flatMap((method) => {
      const authorization = readString(method.body.authorization);
      if (authorization === UNKNOWN) return [];
      const apiKey =
        readBoolean(method.body.api_key_required) === true ? " (api_key_required identifies a caller, it does not authenticate one)" : "";
      if (authorization === undefined) {
        return [
          violation(
            method,
            "authorization",
            `authorization is not set: ${routeOf(stack, method)} is open to anyone who can reach the API${apiKey}`,
          ),
        ];
      }
      if (authorization.toUpperCase() !== "NONE") return [];
      return [
        violation(
          method,
          "authorization",
          `authorization is "NONE": ${routeOf(stack, method)} is open to anyone who can reach the API${apiKey}`,
        ),
      ];
    }),
};

const methodAuthorizer: Rule = {
  id: "SG-APIGW-002",
  severity: "high",
  title: "Every authorized method names an authorizer of the matching type in the same API",
  fix:
    'Set authorizer_id to the id of an aws_api_gateway_authorizer of the same REST API: type "COGNITO_USER_POOLS" for authorization ' +
    '"COGNITO_USER_POOLS", type "TOKEN" or "REQUEST" for authorization "CUSTOM".',
  see: ["https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html"],
  check: (stack) =>
    stack.resources("aws_api_gateway_method").flatMap((method): Violation[] => {
      const authorization = readString(method.body.authorization);
      if (authorization !== "CUSTOM" && authorization !== "COGNITO_USER_POOLS") return [];
      const route = routeOf(stack, method);
      const raw = method.body.authorizer_id;
      const literal = readString(raw);
      if (literal === undefined || literal === "") {
        return [
          violation(
            method,
            "authorizer_id",
            `authorizer_id is not set although authorization is "${authorization}": no authorizer guards ${route}`,
          ),
        ];
      }
      const reference = parseReference(raw);
      if (reference === undefined || reference.type !== "aws_api_gateway_authorizer") return [];
      const authorizer = stack.resolve(reference);
      if (authorizer === undefined) {
        return [
          violation(
            method,
            "authorizer_id",
            `authorizer_id refers to aws_api_gateway_authorizer.${reference.name}, which is not in this stack`,
          ),
        ];
      }
      const type = readString(authorizer.body.type) ?? "TOKEN";
      if (type === UNKNOWN) return [];
      const allowed = authorization === "COGNITO_USER_POOLS" ? ["COGNITO_USER_POOLS"] : ["TOKEN", "REQUEST"];
      if (!allowed.includes(type.toUpperCase())) {
        return [
          violation(
            method,
            "authorizer_id",
            `authorizer_id refers to ${authorizer.path} of type "${type}", which cannot guard ${route} with authorization "${authorization}"`,
          ),
        ];
      }
      const methodApi = method.body.rest_api_id;
      const authorizerApi = authorizer.body.rest_api_id;
      if (typeof methodApi === "string" && typeof authorizerApi === "string" && methodApi !== authorizerApi) {
        return [
          violation(
            method,
            "authorizer_id",
            `authorizer_id refers to ${authorizer.path}, which belongs to another REST API (${show(authorizerApi)})`,
          ),
        ];
      }
      return [];
    }),
};

const cognitoMethodScopes: Rule = {
  id: "SG-APIGW-003",
  severity: "high",
  title: "Methods guarded by the Cognito authorizer require OAuth scopes",
  fix:
    "Set authorization_scopes on the method (in the scopegate configuration: the route's scopes). Without scopes the native " +
    "Cognito authorizer accepts any valid ID token of the pool, so every signed-in user passes.",
  see: ["https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html"],
  check: (stack) =>
    stack.resources("aws_api_gateway_method").flatMap((method) => {
      if (readString(method.body.authorization) !== "COGNITO_USER_POOLS") return [];
      const scopes = readStrings(method.body.authorization_scopes);
      if (scopes === UNKNOWN || (scopes !== undefined && scopes.length > 0)) return [];
      return [
        violation(
          method,
          "authorization_scopes",
          `authorization_scopes is ${scopes === undefined ? "not set" : "empty"}: the Cognito authorizer then accepts any valid ID token of the pool for ${routeOf(stack, method)}`,
        ),
      ];
    }),
};

const methodScopesDefined: Rule = {
  id: "SG-APIGW-004",
  severity: "medium",
  title: "Every scope a method requires is defined by a resource server in the same stack",
  fix:
    "Require only scopes of an aws_cognito_resource_server in this stack (`<identifier>/<scope>`), or a standard OpenID scope. " +
    "A scope defined nowhere locks every caller out; one defined outside this stack escapes review.",
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html"],
  check: (stack) => {
    const defined = definedScopes(stack);
    return stack.resources("aws_api_gateway_method").flatMap((method) => {
      if (readString(method.body.authorization) !== "COGNITO_USER_POOLS") return [];
      const raw = method.body.authorization_scopes;
      if (!Array.isArray(raw)) return [];
      return raw.flatMap((scope, index) => {
        const problem = scopeProblem(stack, defined, scope);
        return problem === undefined
          ? []
          : [violation(method, `authorization_scopes[${index}]`, `authorization_scopes[${index}] ${JSON.stringify(scope)} ${problem}`)];
      });
    });
  },
};

const stageAccessLogs: Rule = {
  id: "SG-APIGW-005",
  severity: "medium",
  title: "API stages write access logs",
  fix: "Set access_log_settings { destination_arn = <log group ARN>, format = <JSON line without headers> } on the aws_api_gateway_stage.",
  see: ["checkov CKV_AWS_76", "trivy AVD-AWS-0001"],
  check: (stack) =>
    stack.resources("aws_api_gateway_stage").flatMap((stage) => {
      const settings = readBlock(stage.body.access_log_settings);
      if (settings === UNKNOWN) return [];
      const destination = settings === undefined ? undefined : readString(settings.destination_arn);
      if (destination === UNKNOWN || (destination !== undefined && destination !== "")) return [];
      return [
        violation(
          stage,
          "access_log_settings.destination_arn",
          `access_log_settings${settings === undefined ? "" : ".destination_arn"} is not set: no record of who called which method, or of what the authorizers decided`,
        ),
      ];
    }),
};

const stageTracing: Rule = {
  id: "SG-APIGW-006",
  severity: "low",
  title: "API stages trace requests with X-Ray",
  fix: "Set xray_tracing_enabled = true on the aws_api_gateway_stage.",
  see: ["checkov CKV_AWS_73", "trivy AVD-AWS-0003"],
  check: (stack) =>
    stack.resources("aws_api_gateway_stage").flatMap((stage) => {
      const enabled = readBoolean(stage.body.xray_tracing_enabled);
      if (enabled === UNKNOWN || enabled === true) return [];
      return [
        violation(
          stage,
          "xray_tracing_enabled",
          `xray_tracing_enabled is ${enabled === undefined ? "not set (false)" : "false"}: requests through the authorizers cannot be traced`,
        ),
      ];
    }),
};

const executionLogging: Rule = {
  id: "SG-APIGW-007",
  severity: "medium",
  title: 'API stages log execution at level "INFO" or "ERROR"',
  fix: 'Declare aws_api_gateway_method_settings for the stage with method_path "*/*" and settings.logging_level "INFO" (or "ERROR"); never "OFF" for a path.',
  see: ["checkov CKV2_AWS_4", "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html"],
  check: (stack) => [
    ...stagesWithoutWildcardSettings(stack, "execution logging is off for every method (API Gateway's default logging level is OFF)"),
    ...stack.resources("aws_api_gateway_method_settings").flatMap((resource) => {
      const { settings, methodPath } = methodSettings(resource);
      if (settings === UNKNOWN) return [];
      const level = readString(settings?.logging_level);
      if (level === UNKNOWN) return [];
      if (level === undefined) {
        return methodPath === "*/*"
          ? [
              violation(
                resource,
                "settings.logging_level",
                'settings.logging_level is not set: execution logging stays off (API Gateway\'s default is "OFF")',
              ),
            ]
          : [];
      }
      if (level.toUpperCase() !== "OFF") return [];
      return [
        violation(
          resource,
          "settings.logging_level",
          `settings.logging_level is "OFF" for method_path ${show(methodPath)}: those calls leave no execution log`,
        ),
      ];
    }),
  ],
};

const detailedMetrics: Rule = {
  id: "SG-APIGW-008",
  severity: "low",
  title: "API stages publish detailed CloudWatch metrics",
  fix: 'Set settings.metrics_enabled = true in the stage\'s aws_api_gateway_method_settings for method_path "*/*".',
  see: ["https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html"],
  check: (stack) => [
    ...stagesWithoutWildcardSettings(stack, "detailed metrics are off for every method"),
    ...stack.resources("aws_api_gateway_method_settings").flatMap((resource) => {
      const { settings, methodPath } = methodSettings(resource);
      if (settings === UNKNOWN) return [];
      const enabled = readBoolean(settings?.metrics_enabled);
      if (enabled === UNKNOWN || enabled === true) return [];
      if (enabled === undefined && methodPath !== "*/*") return [];
      return [
        violation(
          resource,
          "settings.metrics_enabled",
          `settings.metrics_enabled is ${enabled === undefined ? "not set (false)" : "false"} for method_path ${show(methodPath)}: 4XX spikes from refused tokens go unseen per method`,
        ),
      ];
    }),
  ],
};

const dataTrace: Rule = {
  id: "SG-APIGW-009",
  severity: "medium",
  title: "API stages never log full requests and responses (data trace)",
  fix: "Set settings.data_trace_enabled = false in every aws_api_gateway_method_settings.",
  see: ["checkov CKV_AWS_276", "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html"],
  check: (stack) =>
    stack.resources("aws_api_gateway_method_settings").flatMap((resource) => {
      const { settings, methodPath } = methodSettings(resource);
      if (settings === UNKNOWN || readBoolean(settings?.data_trace_enabled) !== true) return [];
      return [
        violation(
          resource,
          "settings.data_trace_enabled",
          `settings.data_trace_enabled is true for method_path ${show(methodPath)}: request and response bodies, with whatever personal data they hold, go to CloudWatch`,
        ),
      ];
    }),
};

const cacheEncryption: Rule = {
  id: "SG-APIGW-010",
  severity: "medium",
  title: "Cached API responses are encrypted",
  fix: "Set settings.cache_data_encrypted = true wherever settings.caching_enabled is true.",
  see: ["checkov CKV_AWS_308", "trivy AVD-AWS-0002"],
  check: (stack) =>
    stack.resources("aws_api_gateway_method_settings").flatMap((resource) => {
      const { settings, methodPath } = methodSettings(resource);
      if (settings === UNKNOWN || readBoolean(settings?.caching_enabled) !== true) return [];
      const encrypted = readBoolean(settings?.cache_data_encrypted);
      if (encrypted === UNKNOWN || encrypted === true) return [];
      return [
        violation(
          resource,
          "settings.cache_data_encrypted",
          `settings.cache_data_encrypted is ${encrypted === undefined ? "not set (false)" : "false"} while caching_enabled is true for method_path ${show(methodPath)}: cached responses are stored unencrypted`,
        ),
      ];
    }),
};

const deploymentCreateBeforeDestroy: Rule = {
  id: "SG-APIGW-011",
  severity: "low",
  title: "API deployments are created before the old one is destroyed",
  fix: "Set lifecycle { create_before_destroy = true } on the aws_api_gateway_deployment (and redeploy through triggers).",
  see: ["checkov CKV_AWS_217"],
  check: (stack) =>
    stack.resources("aws_api_gateway_deployment").flatMap((deployment) => {
      const lifecycle = readBlock(deployment.body.lifecycle);
      if (lifecycle === UNKNOWN) return [];
      const value = readBoolean(lifecycle?.create_before_destroy);
      if (value === UNKNOWN || value === true) return [];
      return [
        violation(
          deployment,
          "lifecycle.create_before_destroy",
          `lifecycle.create_before_destroy is ${value === undefined ? "not set" : "false"}: a redeployment destroys the deployment a stage still serves (an outage, or a failed apply)`,
        ),
      ];
    }),
};

const executionLogGroup: Rule = {
  id: "SG-APIGW-012",
  severity: "medium",
  title: "Execution logs go to a log group the stack manages",
  fix:
    'Declare aws_cloudwatch_log_group "API-Gateway-Execution-Logs_${<rest api>.id}/<stage name>" with retention_in_days (and kms_key_id), ' +
    "and make the stage depend on it, so it exists, with retention, before API Gateway writes the first line.",
  see: [
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html",
    "terraform aws_api_gateway_stage: Managing the API Logging CloudWatch Log Group",
  ],
  check: (stack) => {
    const links = settingsLinks(stack);
    const logGroups = stack.resources("aws_cloudwatch_log_group");
    return stack.resources("aws_api_gateway_stage").flatMap((stage) => {
      const level = links
        .filter((link) => link.stage === stage)
        .map((link) => methodSettings(link.settings).settings)
        .map((settings) => (settings === UNKNOWN ? undefined : readString(settings?.logging_level)))
        .find((value): value is string => typeof value === "string" && ["INFO", "ERROR"].includes(value.toUpperCase()));
      if (level === undefined) return [];
      const restApi = stage.body.rest_api_id;
      const stageName = readString(stage.body.stage_name);
      if (typeof restApi !== "string" || typeof stageName !== "string") return [];
      const expected = [stageName, StackTemplate.expression(stage, "stage_name")].map(
        (name) => `${EXECUTION_LOG_GROUP_PREFIX}${restApi}/${name}`,
      );
      if (logGroups.some((group) => mayBeExecutionLogGroup(group, restApi, expected))) return [];
      const shown = `${EXECUTION_LOG_GROUP_PREFIX}${isExpression(restApi) ? "<rest api id>" : restApi}/${stageName}`;
      return [
        violation(
          stage,
          "execution log group",
          `logs execution at level "${level}", but the stack declares no aws_cloudwatch_log_group "${shown}": API Gateway creates it on first use with no retention (kept forever) and no KMS key, outside Terraform`,
        ),
      ];
    });
  },
};

/** Whether a REST API's Lambda authorizer accepts Basic: its function's environment turns Basic on, as the function reads it. */
function acceptsBasic(stack: StackTemplate, restApi: unknown): boolean | typeof UNKNOWN {
  let unknown = false;
  for (const authorizer of stack.resources("aws_api_gateway_authorizer")) {
    if (authorizer.body.rest_api_id !== restApi) continue;
    const reference = parseReference(authorizer.body.authorizer_uri);
    const fn = reference?.type === "aws_lambda_function" ? stack.resolve(reference) : undefined;
    if (fn === undefined) continue;
    const environment = readBlock(fn.body.environment);
    if (environment === UNKNOWN) {
      unknown = true;
      continue;
    }
    const variables = environment?.variables;
    if (isExpression(variables)) unknown = true;
    else if (typeof variables === "object" && variables !== null && acceptsBasicEnvironment(variables as JsonObject)) return true;
  }
  return unknown ? UNKNOWN : false;
}

/** Whether a WAFv2 rule list (`rule_json`) holds a rate-based rule per IP scoped down to Basic credentials. */
function hasBasicRateRule(ruleJson: unknown): boolean | typeof UNKNOWN {
  if (typeof ruleJson !== "string" || isExpression(ruleJson)) return ruleJson === undefined ? false : UNKNOWN;
  let rules: unknown;
  try {
    rules = JSON.parse(ruleJson);
  } catch {
    return false;
  }
  if (!Array.isArray(rules)) return false;
  return rules.some((rule) => {
    const statement = (rule as { Statement?: { RateBasedStatement?: JsonObject } })?.Statement?.RateBasedStatement;
    const action = (rule as { Action?: JsonObject })?.Action;
    if (statement === undefined || statement.AggregateKeyType !== "IP" || action?.Block === undefined) return false;
    const match = (statement.ScopeDownStatement as { ByteMatchStatement?: JsonObject } | undefined)?.ByteMatchStatement;
    if (match === undefined) return false;
    const header = (match.FieldToMatch as { SingleHeader?: { Name?: unknown } } | undefined)?.SingleHeader?.Name;
    const transformations = Array.isArray(match.TextTransformations) ? (match.TextTransformations as JsonObject[]) : [];
    return (
      typeof header === "string" &&
      header.toLowerCase() === "authorization" &&
      match.PositionalConstraint === "STARTS_WITH" &&
      match.SearchString === "basic " &&
      transformations.some((t) => t.Type === "LOWERCASE")
    );
  });
}

const basicRateLimit: Rule = {
  id: "SG-APIGW-013",
  severity: "high",
  title: "A stage that accepts Basic credentials has a per-IP rate limit on them",
  fix:
    "Associate a REGIONAL aws_wafv2_web_acl with the stage whose rule_json holds a blocking RateBasedStatement (AggregateKeyType IP) " +
    'scoped down to a ByteMatchStatement on the "authorization" header, STARTS_WITH "basic " after a LOWERCASE transformation ' +
    "(scopegate: api.basicRateLimit, on by default with a legacy client).",
  see: ["https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html"],
  check: (stack) =>
    stack.resources("aws_api_gateway_stage").flatMap((stage) => {
      if (acceptsBasic(stack, stage.body.rest_api_id) !== true) return [];
      const stageArn = StackTemplate.expression(stage, "arn");
      const verdicts = stack
        .resources("aws_wafv2_web_acl_association")
        .filter((association) => association.body.resource_arn === stageArn)
        .map((association) => {
          const reference = parseReference(association.body.web_acl_arn);
          const acl = reference?.type === "aws_wafv2_web_acl" ? stack.resolve(reference) : undefined;
          return acl === undefined ? UNKNOWN : hasBasicRateRule(acl.body.rule_json);
        });
      if (verdicts.some((verdict) => verdict !== false)) return [];
      return [
        violation(
          stage,
          "web ACL",
          `the Lambda authorizer accepts Basic credentials and ${verdicts.length === 0 ? "no web ACL is associated with the stage" : "no associated web ACL rate-limits them per source IP"}: every new password guess is one Cognito sign-in, and failed guesses lock the account out`,
        ),
      ];
    }),
};

/** The API Gateway rules. */
export const API_GATEWAY_RULES: readonly Rule[] = [
  methodAuthorization,
  methodAuthorizer,
  cognitoMethodScopes,
  methodScopesDefined,
  stageAccessLogs,
  stageTracing,
  executionLogging,
  detailedMetrics,
  dataTrace,
  cacheEncryption,
  deploymentCreateBeforeDestroy,
  executionLogGroup,
  basicRateLimit,
];

/** Whether a log group is (or, as far as the JSON tells, may be) a stage's execution log group. */
function mayBeExecutionLogGroup(group: TfResource, restApi: string, expected: readonly string[]): boolean {
  const name = group.body.name;
  if (name === undefined || name === null) return false;
  if (typeof name !== "string") return true;
  if (expected.includes(name)) return true;
  if (!isExpression(name)) return false;
  const literalStart = name.split(/\$\{|%\{/)[0];
  if (literalStart.startsWith(EXECUTION_LOG_GROUP_PREFIX)) return name.includes(restApi);
  return EXECUTION_LOG_GROUP_PREFIX.startsWith(literalStart);
}

/** `GET /orders/{id}` as far as the JSON tells (`?` for a part only Terraform knows). */
function routeOf(stack: StackTemplate, method: TfResource): string {
  const verb = readString(method.body.http_method);
  return `${typeof verb === "string" ? verb : "?"} ${resourcePath(stack, method.body.resource_id, 0)}`;
}

function resourcePath(stack: StackTemplate, resourceId: unknown, depth: number): string {
  const reference = parseReference(resourceId);
  if (reference?.type === "aws_api_gateway_rest_api" && reference.attribute === "root_resource_id") return "/";
  if (depth > 32 || reference?.type !== "aws_api_gateway_resource") return "/?";
  const resource = stack.resolve(reference);
  if (resource === undefined) return "/?";
  const part = readString(resource.body.path_part);
  const parent = resourcePath(stack, resource.body.parent_id, depth + 1);
  return `${parent === "/" ? "" : parent}/${typeof part === "string" ? part : "?"}`;
}

interface DefinedScopes {
  /** Full scope names of servers whose identifier and scopes are literal. */
  readonly literal: ReadonlySet<string>;
  /** Scope names by resource server address; unknown when only Terraform knows them. */
  readonly byServer: ReadonlyMap<string, ReadonlySet<string> | typeof UNKNOWN>;
  /** Whether some server's identifier or scopes are unknown (a literal scope could be one of them). */
  readonly incomplete: boolean;
}

function definedScopes(stack: StackTemplate): DefinedScopes {
  const literal = new Set<string>();
  const byServer = new Map<string, ReadonlySet<string> | typeof UNKNOWN>();
  let incomplete = false;
  for (const server of stack.resources("aws_cognito_resource_server")) {
    const identifier = readString(server.body.identifier);
    const blocks = readBlocks(server.body.scope);
    const names = blocks === UNKNOWN ? UNKNOWN : (blocks ?? []).map((block: JsonObject) => readString(block.scope_name));
    if (names === UNKNOWN || names.some((name) => typeof name !== "string")) {
      byServer.set(server.address, UNKNOWN);
      incomplete = true;
      continue;
    }
    const known = names as string[];
    byServer.set(server.address, new Set(known));
    if (typeof identifier === "string") known.forEach((name) => literal.add(scopeIdentifier(identifier, name)));
    else incomplete = true;
  }
  return { literal, byServer, incomplete };
}

/** A resource server's identifier as cdktf writes a reference to it. */
const SERVER_IDENTIFIER = /^\$\{aws_cognito_resource_server\.([A-Za-z0-9_-]+)\.identifier\}$/;

/** The resource server address and scope name of a scope written as a reference, else `undefined`. */
function serverScopeReference(scope: string): { address: string; name: string } | undefined {
  const parts = splitScopeIdentifier(scope);
  const server = parts === undefined ? null : SERVER_IDENTIFIER.exec(parts.identifier);
  if (parts === undefined || server === null || /[$%]/.test(parts.name)) return undefined;
  return { address: `aws_cognito_resource_server.${server[1]}`, name: parts.name };
}

/** Why a method's scope is not defined in this stack, or `undefined` when it is (or cannot be told). */
function scopeProblem(stack: StackTemplate, defined: DefinedScopes, scope: unknown): string | undefined {
  if (typeof scope !== "string") return undefined;
  const match = serverScopeReference(scope);
  if (match !== undefined) {
    const { address, name } = match;
    const names = defined.byServer.get(address);
    if (names === undefined) return `refers to ${address}, which is not in this stack`;
    if (names === UNKNOWN || names.has(name)) return undefined;
    const server = stack.all.find((resource) => resource.address === address);
    return `names scope "${name}", which ${server?.path ?? address} does not define (it defines: ${[...names].join(", ") || "none"})`;
  }
  if (isExpression(scope)) return undefined;
  if (STANDARD_SCOPES.includes(scope)) return undefined;
  if (scope === USER_ADMIN_SCOPE)
    return "is not a resource server scope: every token from a password sign-in carries it, so it guards nothing";
  if (defined.literal.has(scope) || defined.incomplete) return undefined;
  const list = [...defined.literal].join(", ") || "none";
  return `is defined by no aws_cognito_resource_server in this stack (defined: ${list}): no token of this pool carries it, or it is managed outside this review`;
}

interface SettingsLink {
  readonly settings: TfResource;
  /** The stage the settings apply to, `undefined` when only Terraform can tell. */
  readonly stage: TfResource | undefined;
}

/** Which stage each aws_api_gateway_method_settings applies to. */
function settingsLinks(stack: StackTemplate): SettingsLink[] {
  const stages = stack.resources("aws_api_gateway_stage");
  return stack.resources("aws_api_gateway_method_settings").map((settings) => {
    const raw = settings.body.stage_name;
    const reference = parseReference(raw);
    if (reference !== undefined) {
      const target = reference.type === "aws_api_gateway_stage" ? stack.resolve(reference) : undefined;
      return { settings, stage: target };
    }
    const name = readString(raw);
    const stage =
      typeof name === "string"
        ? stages.find((s) => readString(s.body.stage_name) === name && s.body.rest_api_id === settings.body.rest_api_id)
        : undefined;
    return { settings, stage };
  });
}

/** Stages no method settings for all methods (method_path of every resource and method) cover; only when every settings resource's stage is known. */
function stagesWithoutWildcardSettings(stack: StackTemplate, consequence: string): Violation[] {
  const links = settingsLinks(stack);
  if (links.some((link) => link.stage === undefined || readString(link.settings.body.method_path) === UNKNOWN)) return [];
  return stack.resources("aws_api_gateway_stage").flatMap((stage) => {
    const covered = links.some((link) => link.stage === stage && readString(link.settings.body.method_path) === "*/*");
    return covered
      ? []
      : [violation(stage, "method settings", `has no aws_api_gateway_method_settings with method_path "*/*": ${consequence}`)];
  });
}

function methodSettings(resource: TfResource): {
  settings: JsonObject | undefined | typeof UNKNOWN;
  methodPath: string | undefined | typeof UNKNOWN;
} {
  return { settings: readBlock(resource.body.settings), methodPath: readString(resource.body.method_path) };
}
