import { lambdaIdentitySourceAttribute } from "../../../contracts/result-cache";
import { exampleConfig, resourceAt, resourcesOf, synthStack } from "../../../testing/synth";

/** The identity sources the stack writes (the shared contract). */
const LAMBDA_IDENTITY_SOURCE = lambdaIdentitySourceAttribute();

describe("RestApi", () => {
  const { tf } = synthStack();
  const ref = (type: string, suffix: string, attribute: string) => {
    const entry = Object.entries(resourcesOf(tf, type)).find(([, r]: [string, any]) => r["//"].metadata.path.endsWith(suffix));
    if (!entry) throw new Error(`no ${type} at ${suffix}`);
    return `\${${type}.${entry[0]}.${attribute}}`;
  };

  test("a route on the cognito guard uses the native authorizer with its scopes", () => {
    expect(resourceAt(tf, "aws_api_gateway_method", "route-GET:reports/method")).toMatchObject({
      http_method: "GET",
      authorization: "COGNITO_USER_POOLS",
      authorizer_id: ref("aws_api_gateway_authorizer", "cognito-authorizer", "id"),
      authorization_scopes: ["api.example.com/read"],
    });
    expect(resourceAt(tf, "aws_api_gateway_authorizer", "cognito-authorizer")).toMatchObject({
      type: "COGNITO_USER_POOLS",
      provider_arns: [ref("aws_cognito_user_pool", "user-pool/pool", "arn")],
      identity_source: "method.request.header.Authorization",
    });
  });

  test("GIVEN threat protection THEN the caller's source IP joins the Lambda authorizer's cache key, and the API is redeployed", () => {
    const { tf: plus } = synthStack(exampleConfig((d) => Object.assign(d.userPool, { tier: "PLUS", threatProtection: "enforced" })));
    expect(resourceAt(plus, "aws_api_gateway_authorizer", "lambda-authorizer").identity_source).toBe(
      `${LAMBDA_IDENTITY_SOURCE},context.identity.sourceIp`,
    );
    expect(lambdaIdentitySourceAttribute({ sourceIp: false })).toBe(LAMBDA_IDENTITY_SOURCE);
    const trigger = (t: any) => resourceAt(t, "aws_api_gateway_deployment", "rest-api/deployment").triggers.redeployment;
    expect(trigger(plus)).not.toBe(trigger(tf));
  });

  test("a route on the lambda guard uses the scopegate authorizer, cached per token and route", () => {
    const method = resourceAt(tf, "aws_api_gateway_method", "route-POST:resource/method");
    expect(method).toMatchObject({ authorization: "CUSTOM", authorizer_id: ref("aws_api_gateway_authorizer", "lambda-authorizer", "id") });
    expect(method.authorization_scopes).toBeUndefined();
    expect(resourceAt(tf, "aws_api_gateway_authorizer", "lambda-authorizer")).toMatchObject({
      type: "REQUEST",
      authorizer_uri: ref("aws_lambda_function", "authorizer/function", "invoke_arn"),
      identity_source: LAMBDA_IDENTITY_SOURCE,
      authorizer_result_ttl_in_seconds: 300,
    });
    expect(LAMBDA_IDENTITY_SOURCE.split(",")).toEqual([
      "method.request.header.Authorization",
      "context.httpMethod",
      "context.resourcePath",
    ]);
  });

  test("API Gateway may invoke the authorizer only as this API's authorizer", () => {
    expect(resourceAt(tf, "aws_lambda_permission", "authorizer-invoke")).toMatchObject({
      action: "lambda:InvokeFunction",
      principal: "apigateway.amazonaws.com",
      function_name: ref("aws_lambda_function", "authorizer/function", "function_name"),
      source_arn: `${ref("aws_api_gateway_rest_api", "rest-api/api", "execution_arn")}/authorizers/${ref("aws_api_gateway_authorizer", "lambda-authorizer", "id")}`,
    });
  });

  test("every method has an authorizer", () => {
    const methods = Object.values<any>(resourcesOf(tf, "aws_api_gateway_method"));
    expect(methods).toHaveLength(4);
    for (const method of methods) expect(["COGNITO_USER_POOLS", "CUSTOM"]).toContain(method.authorization);
  });

  test("the deployment is replaced before it is destroyed, and redeploys when a route changes", () => {
    const deployment = resourceAt(tf, "aws_api_gateway_deployment", "rest-api/deployment");
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect(deployment.stage_name).toBeUndefined();
    const changed = synthStack(exampleConfig((d) => (d.api.routes[2].scopes = ["api.example.com/write"]))).tf;
    const trigger = (t: any) => resourceAt(t, "aws_api_gateway_deployment", "rest-api/deployment").triggers.redeployment;
    expect(trigger(changed)).not.toEqual(trigger(tf));
    expect(trigger(synthStack().tf)).toEqual(trigger(tf));
  });

  test("the stage writes JSON access logs to its own log group, traces, and logs without data", () => {
    const stage = resourceAt(tf, "aws_api_gateway_stage", "rest-api/stage");
    expect(stage).toMatchObject({ stage_name: "v1", xray_tracing_enabled: true, cache_cluster_enabled: false });
    expect(stage.access_log_settings.destination_arn).toBe(ref("aws_cloudwatch_log_group", "rest-api/access-logs", "arn"));
    expect(Object.keys(JSON.parse(stage.access_log_settings.format))).toEqual(
      expect.arrayContaining(["requestId", "status", "principalId", "authorizerError"]),
    );
    expect(resourceAt(tf, "aws_cloudwatch_log_group", "rest-api/access-logs").retention_in_days).toBe(365);
    expect(resourceAt(tf, "aws_api_gateway_method_settings", "method-settings")).toMatchObject({
      method_path: "*/*",
      settings: {
        logging_level: "INFO",
        metrics_enabled: true,
        data_trace_enabled: false,
        caching_enabled: false,
        cache_data_encrypted: true,
      },
    });
  });

  test("401 and 403 answer JSON and name the accepted schemes", () => {
    expect(resourceAt(tf, "aws_api_gateway_gateway_response", "response-unauthorized")).toMatchObject({
      response_type: "UNAUTHORIZED",
      status_code: "401",
      response_templates: { "application/json": '{"message": $context.error.messageString}' },
      response_parameters: {
        "gatewayresponse.header.WWW-Authenticate": `'Bearer realm="scopegate-example-api", Basic realm="scopegate-example-api", charset="UTF-8"'`,
      },
    });
    expect(resourceAt(tf, "aws_api_gateway_gateway_response", "response-access_denied")).toMatchObject({
      status_code: "403",
      response_parameters: {
        "gatewayresponse.header.WWW-Authenticate": `'Bearer realm="scopegate-example-api", error="insufficient_scope"'`,
      },
    });
  });

  test("Basic is not advertised without a legacy client", () => {
    const { tf: noLegacy } = synthStack(exampleConfig((d) => d.appClients.pop()));
    expect(
      resourceAt(noLegacy, "aws_api_gateway_gateway_response", "response-unauthorized").response_parameters[
        "gatewayresponse.header.WWW-Authenticate"
      ],
    ).toBe(`'Bearer realm="scopegate-example-api"'`);
  });

  test("an HTTP proxy integration forwards path parameters", () => {
    const { tf: proxied } = synthStack(
      exampleConfig((d) =>
        d.api.routes.push({
          method: "GET",
          path: "/orders/{id}",
          guard: "cognito",
          scopes: ["api.example.com/read"],
          integration: { type: "http_proxy", url: "https://backend.example.com/orders/{id}" },
        }),
      ),
    );
    expect(resourceAt(proxied, "aws_api_gateway_integration", "route-GET:orders:{id}/integration")).toMatchObject({
      type: "HTTP_PROXY",
      integration_http_method: "GET",
      uri: "https://backend.example.com/orders/{id}",
      request_parameters: { "integration.request.path.id": "method.request.path.id" },
    });
    expect(resourceAt(proxied, "aws_api_gateway_method", "route-GET:orders:{id}/method").request_parameters).toEqual({
      "method.request.path.id": true,
    });
    expect(
      Object.values<any>(resourcesOf(proxied, "aws_api_gateway_resource"))
        .map((r) => r.path_part)
        .sort(),
    ).toEqual(["orders", "reports", "resource", "{id}"]);
  });

  test("the account logging role is left out when another stack owns it", () => {
    const { tf: without } = synthStack(exampleConfig((d) => (d.api.manageAccountLoggingRole = false)));
    expect(resourcesOf(without, "aws_api_gateway_account")).toEqual({});
    expect(Object.keys(resourcesOf(tf, "aws_api_gateway_account"))).toHaveLength(1);
  });
});
