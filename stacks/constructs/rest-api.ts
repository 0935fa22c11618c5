import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { ApiGatewayAuthorizer } from "@cdktf/provider-aws/lib/api-gateway-authorizer";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { ApiConfig, RouteConfig } from "../config/model";
import { KmsKeyUse } from "./encryption-key";
import { lambdaIdentitySourceAttribute } from "../../contracts/result-cache";
import { formatRouteKey, pathParameterNames, resourcePathPrefixes, resourcePathSegments } from "../../core/routes";

/** The scopegate Lambda authorizer as the API sees it. */
export interface LambdaGuard {
  /** The function's `invoke_arn`. */
  readonly invokeArn: string;
  /** The function's name, for the invoke permission. */
  readonly functionName: string;
  /** Seconds API Gateway caches an answer per token and route; 0 turns caching off. */
  readonly resultTtlSeconds: number;
  /** Whether the authorizer accepts HTTP Basic credentials (named in `WWW-Authenticate`). */
  readonly acceptsBasic: boolean;
  /**
   * Whether the caller's source IP joins the authorizer's cache key (user pool threat protection on).
   *
   * @default false
   */
  readonly sourceIpInCacheKey?: boolean;
}

/** Props of {@link RestApi}. */
export interface RestApiProps {
  readonly config: ApiConfig;
  /** The user pool whose tokens the native Cognito authorizer accepts. */
  readonly userPoolArn: string;
  /** Required when a route uses the `lambda` guard. */
  readonly lambdaGuard?: LambdaGuard;
  /** A customer managed KMS key for the access and execution log groups. @default CloudWatch Logs' own encryption */
  readonly logsKmsKey?: KmsKeyUse;
}

/**
 * An API Gateway REST API whose every method is guarded: by the native Cognito authorizer with
 * OAuth scopes, or by the scopegate Lambda authorizer. Includes the deployment (redeployed when
 * any route, guard or response changes, created before the old one is destroyed), a stage with
 * JSON access logs, X-Ray and method settings, and 401/403 responses with a JSON body and
 * `WWW-Authenticate`.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 */
export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: CloudwatchLogGroup;
  /** `https://<api id>.execute-api.<region>.amazonaws.com/<stage>` */
  readonly invokeUrl: string;
  readonly cognitoAuthorizer?: ApiGatewayAuthorizer;
  readonly lambdaAuthorizer?: ApiGatewayAuthorizer;
  /** Methods by route key, e.g. `GET /resource`. */
  readonly methods: ReadonlyMap<string, ApiGatewayMethod>;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const { config } = props;
    const routes = config.routes;

    this.api = new ApiGatewayRestApi(this, "api", {
      name: config.name,
      description: "Managed by scopegate",
      endpointConfiguration: { types: ["REGIONAL"] },
      apiKeySource: "HEADER",
      disableExecuteApiEndpoint: false,
    });

    const resources = this.createResources(routes);
    if (routes.some((r) => r.guard === "cognito")) this.cognitoAuthorizer = this.createCognitoAuthorizer(props.userPoolArn);
    const guard = props.lambdaGuard;
    if (routes.some((r) => r.guard === "lambda")) {
      if (guard === undefined) throw new Error("routes use the lambda guard but no Lambda authorizer was given");
      this.lambdaAuthorizer = this.createLambdaAuthorizer(guard);
    }

    const methods = new Map<string, ApiGatewayMethod>();
    const dependencies: ITerraformDependable[] = [];
    for (const route of routes) {
      const { method, parts } = this.createRoute(route, resources.get(route.path) ?? this.api.rootResourceId);
      methods.set(formatRouteKey({ method: route.method, resourcePath: route.path }), method);
      dependencies.push(...parts);
    }
    this.methods = methods;
    const responses = this.createChallengeResponses(config.name, guard?.acceptsBasic === true);

    const deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: this.api.id,
      description: "Managed by scopegate",
      triggers: { redeployment: apiFingerprint(config, guard) },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [...dependencies, ...responses],
    });
    this.accessLogGroup = this.createLogGroup("access-logs", `/aws/apigateway/${config.name}/${config.stageName}/access`, props);
    this.stage = this.createStage(deployment, props);
    this.invokeUrl = this.stage.invokeUrl;
  }

  /** The native Cognito authorizer: access tokens of the pool, checked against each method's scopes. */
  private createCognitoAuthorizer(userPoolArn: string): ApiGatewayAuthorizer {
    return new ApiGatewayAuthorizer(this, "cognito-authorizer", {
      restApiId: this.api.id,
      name: "cognito",
      type: "COGNITO_USER_POOLS",
      providerArns: [userPoolArn],
      identitySource: "method.request.header.Authorization",
    });
  }

  /** The scopegate Lambda authorizer (a REQUEST authorizer, cached per identity source) and API Gateway's permission to invoke it. */
  private createLambdaAuthorizer(guard: LambdaGuard): ApiGatewayAuthorizer {
    const authorizer = new ApiGatewayAuthorizer(this, "lambda-authorizer", {
      restApiId: this.api.id,
      name: "scopegate",
      type: "REQUEST",
      authorizerUri: guard.invokeArn,
      identitySource: lambdaIdentitySourceAttribute({ sourceIp: guard.sourceIpInCacheKey === true }),
      authorizerResultTtlInSeconds: guard.resultTtlSeconds,
    });
    new LambdaPermission(this, "authorizer-invoke", {
      statementId: "AllowApiGatewayAuthorizer",
      action: "lambda:InvokeFunction",
      functionName: guard.functionName,
      principal: "apigateway.amazonaws.com",
      sourceArn: `${this.api.executionArn}/authorizers/${authorizer.id}`,
    });
    return authorizer;
  }

  /**
   * The 401 and 403 responses with their `WWW-Authenticate` challenges: Bearer (and Basic where the
   * authorizer accepts it) for a missing or failed authentication, `insufficient_scope` for a denial.
   */
  private createChallengeResponses(apiName: string, acceptsBasic: boolean): ApiGatewayGatewayResponse[] {
    const realm = apiName.replace(/["\\]/g, "");
    const challenges = [`Bearer realm="${realm}"`, ...(acceptsBasic ? [`Basic realm="${realm}", charset="UTF-8"`] : [])];
    return [
      this.gatewayResponse("UNAUTHORIZED", "401", challenges.join(", ")),
      this.gatewayResponse("ACCESS_DENIED", "403", `Bearer realm="${realm}", error="insufficient_scope"`),
    ];
  }

  /** A log group of the stage, with the configured retention and, where given, the customer managed key. */
  private createLogGroup(id: string, name: string, props: RestApiProps): CloudwatchLogGroup {
    const key = props.logsKmsKey;
    return new CloudwatchLogGroup(this, id, {
      name,
      retentionInDays: props.config.logRetentionDays,
      ...(key ? { kmsKeyId: key.arn, dependsOn: [...key.dependsOn] } : {}),
    });
  }

  /**
   * The stage of `deployment`, with JSON access logs, X-Ray and execution logs (into a group the stack
   * owns), and the method settings of every method: logging, metrics, no caching, the throttling limits.
   */
  private createStage(deployment: ApiGatewayDeployment, props: RestApiProps): ApiGatewayStage {
    const { config } = props;
    // With execution logging on, API Gateway would create this group itself, outside Terraform,
    // kept forever: the stack owns it so that its retention is set.
    const executionLogs = this.createLogGroup("execution-logs", `API-Gateway-Execution-Logs_${this.api.id}/${config.stageName}`, props);
    const account = config.manageAccountLoggingRole ? this.createAccountLoggingRole() : undefined;
    const stage = new ApiGatewayStage(this, "stage", {
      restApiId: this.api.id,
      deploymentId: deployment.id,
      stageName: config.stageName,
      xrayTracingEnabled: true,
      cacheClusterEnabled: false,
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      dependsOn: [executionLogs, ...(account ? [account] : [])],
    });

    new ApiGatewayMethodSettings(this, "method-settings", {
      restApiId: this.api.id,
      stageName: stage.stageName,
      methodPath: "*/*",
      settings: {
        loggingLevel: "INFO",
        metricsEnabled: true,
        dataTraceEnabled: false,
        cachingEnabled: false,
        cacheDataEncrypted: true,
        throttlingBurstLimit: config.throttlingBurstLimit,
        throttlingRateLimit: config.throttlingRateLimit,
      },
    });
    return stage;
  }

  /** One `aws_api_gateway_resource` per distinct path prefix, parents first. */
  private createResources(routes: readonly RouteConfig[]): Map<string, string> {
    const ids = new Map<string, string>();
    const paths = [...new Set(routes.map((r) => r.path))].sort();
    for (const path of paths) {
      const segments = resourcePathSegments(path);
      let parentId = this.api.rootResourceId;
      for (const [index, current] of resourcePathPrefixes(path).entries()) {
        let id = ids.get(current);
        if (id === undefined) {
          id = new ApiGatewayResource(this, `resource${current.replace(/\//g, ":")}`, {
            restApiId: this.api.id,
            parentId,
            pathPart: segments[index]!.text,
          }).id;
          ids.set(current, id);
        }
        parentId = id;
      }
    }
    return ids;
  }

  /** The method, its guard and its integration for one route. */
  private createRoute(route: RouteConfig, resourceId: string): { method: ApiGatewayMethod; parts: ITerraformDependable[] } {
    const key = formatRouteKey({ method: route.method, resourcePath: route.path });
    const scope = new Construct(this, `route-${route.method}${route.path.replace(/\//g, ":")}`);
    const pathParameters = pathParameterNames(route.path);
    const proxy = route.integration.type === "http_proxy";
    const authorizer = route.guard === "cognito" ? this.cognitoAuthorizer : this.lambdaAuthorizer;
    if (authorizer === undefined) throw new Error(`route ${key} has no authorizer`);

    const method = new ApiGatewayMethod(scope, "method", {
      restApiId: this.api.id,
      resourceId,
      httpMethod: route.method,
      authorization: route.guard === "cognito" ? "COGNITO_USER_POOLS" : "CUSTOM",
      authorizerId: authorizer.id,
      // API Gateway applies authorization scopes only with the Cognito authorizer; the Lambda
      // authorizer receives the route's scopes in its own configuration.
      ...(route.guard === "cognito" ? { authorizationScopes: [...route.scopes] } : {}),
      apiKeyRequired: false,
      ...(proxy && pathParameters.length > 0
        ? { requestParameters: Object.fromEntries(pathParameters.map((p) => [`method.request.path.${p}`, true])) }
        : {}),
    });

    if (route.integration.type === "http_proxy") {
      const integration = new ApiGatewayIntegration(scope, "integration", {
        restApiId: this.api.id,
        resourceId,
        httpMethod: method.httpMethod,
        type: "HTTP_PROXY",
        integrationHttpMethod: route.method,
        uri: route.integration.url,
        timeoutMilliseconds: 29000,
        ...(pathParameters.length > 0
          ? {
              requestParameters: Object.fromEntries(
                pathParameters.map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`]),
              ),
            }
          : {}),
      });
      return { method, parts: [method, integration] };
    }

    const integration = new ApiGatewayIntegration(scope, "integration", {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      type: "MOCK",
      passthroughBehavior: "WHEN_NO_TEMPLATES",
      requestTemplates: { "application/json": '{"statusCode": 200}' },
    });
    const methodResponse = new ApiGatewayMethodResponse(scope, "response-200", {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      statusCode: "200",
    });
    const principal = route.guard === "lambda" ? "$context.authorizer.principalId" : "$context.authorizer.claims.sub";
    const integrationResponse = new ApiGatewayIntegrationResponse(scope, "integration-response-200", {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      statusCode: methodResponse.statusCode,
      responseTemplates: { "application/json": `{"route": "${key}", "principal": "$util.escapeJavaScript(${principal})"}` },
      dependsOn: [integration],
    });
    return { method, parts: [method, integration, methodResponse, integrationResponse] };
  }

  private gatewayResponse(type: string, statusCode: string, challenge: string): ApiGatewayGatewayResponse {
    return new ApiGatewayGatewayResponse(this, `response-${type.toLowerCase()}`, {
      restApiId: this.api.id,
      responseType: type,
      statusCode,
      responseTemplates: { "application/json": '{"message": $context.error.messageString}' },
      responseParameters: { "gatewayresponse.header.WWW-Authenticate": `'${challenge}'` },
    });
  }

  /**
   * The account-wide role API Gateway uses to write execution logs (one per account and region:
   * turn `api.manageAccountLoggingRole` off where another stack owns it).
   */
  private createAccountLoggingRole(): ApiGatewayAccount {
    const role = new IamRole(this, "account-logging-role", {
      name: `${this.api.name}-apigw-logs`,
      description: "Lets API Gateway write execution logs to CloudWatch (account setting)",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    new IamRolePolicyAttachment(this, "account-logging-policy", {
      role: role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    });
    return new ApiGatewayAccount(this, "account", { cloudwatchRoleArn: role.arn });
  }
}

/** One JSON line per request; no headers, so no credentials. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  sourceIp: "$context.identity.sourceIp",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  status: "$context.status",
  responseLength: "$context.responseLength",
  principalId: "$context.authorizer.principalId",
  authorizerStatus: "$context.authorizer.status",
  authorizerError: "$context.authorizer.error",
  errorMessage: "$context.error.message",
});

/**
 * A digest of everything a deployment snapshots (routes, guards, scopes, integrations,
 * authorizer caching, responses): a change to any of them triggers a new deployment.
 */
function apiFingerprint(config: ApiConfig, guard: LambdaGuard | undefined): string {
  const model = {
    name: config.name,
    routes: config.routes,
    lambda: guard
      ? {
          resultTtlSeconds: guard.resultTtlSeconds,
          acceptsBasic: guard.acceptsBasic,
          identitySource: lambdaIdentitySourceAttribute({ sourceIp: guard.sourceIpInCacheKey === true }),
        }
      : null,
  };
  return createHash("sha256").update(JSON.stringify(model)).digest("hex");
}
