import { join } from "node:path";
import { synthOutput } from "../../testing/app";
import { describeWithTerraform, planAlone, validateAlone } from "../../testing/terraform";
import { expectedBasicRateLimitRule } from "../../testing/web-acl";

/**
 * The synthesized example, handed to the real Terraform CLI and provider (from the offline
 * mirror): init, validate with zero warnings, and a plan without credentials or network. The
 * validation and the plan are the run's shared ones of the example's stack folder (testing/terraform.ts).
 */
describeWithTerraform("the synthesized example under Terraform (offline)", (tf) => {
  let stackDir: string;
  let plan: any;

  beforeAll(() => {
    stackDir = join(synthOutput(), "stacks", "scopegate-example");
  }, 120000);

  test("validates with zero errors and zero warnings", async () => {
    const result = await validateAlone(tf, stackDir);
    expect({ valid: result.valid, errors: result.error_count, warnings: result.warning_count, diagnostics: result.diagnostics }).toEqual({
      valid: true,
      errors: 0,
      warnings: 0,
      diagnostics: [],
    });
  });

  describe("plans offline", () => {
    beforeAll(async () => {
      plan = (await planAlone(tf, stackDir)).plan;
    }, 300000);

    const changes = () => plan.resource_changes as any[];
    const byType = (type: string) => changes().filter((c) => c.type === type);
    const after = (type: string, predicate: (a: any) => boolean = () => true) => {
      const found = byType(type)
        .map((c) => c.change.after)
        .filter(predicate);
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
      return found[0];
    };

    test("creates exactly the expected resources", () => {
      expect(changes().every((c) => c.change.actions.join() === "create")).toBe(true);
      const counts: Record<string, number> = {};
      for (const c of changes()) counts[c.type] = (counts[c.type] ?? 0) + 1;
      expect(counts).toEqual({
        aws_api_gateway_account: 1,
        aws_api_gateway_authorizer: 2,
        aws_api_gateway_deployment: 1,
        aws_api_gateway_gateway_response: 2,
        aws_api_gateway_integration: 4,
        aws_api_gateway_integration_response: 4,
        aws_api_gateway_method: 4,
        aws_api_gateway_method_response: 4,
        aws_api_gateway_method_settings: 1,
        aws_api_gateway_resource: 2,
        aws_api_gateway_rest_api: 1,
        aws_api_gateway_stage: 1,
        aws_cloudwatch_log_group: 3,
        aws_cognito_resource_server: 1,
        aws_cognito_user: 3,
        aws_cognito_user_group: 2,
        aws_cognito_user_in_group: 2,
        aws_cognito_user_pool: 1,
        aws_cognito_user_pool_client: 3,
        aws_cognito_user_pool_domain: 1,
        aws_dynamodb_table: 1,
        aws_dynamodb_table_item: 3,
        aws_iam_role: 2,
        aws_iam_role_policy: 1,
        aws_iam_role_policy_attachment: 1,
        aws_lambda_function: 1,
        aws_lambda_permission: 1,
        aws_wafv2_web_acl: 1,
        aws_wafv2_web_acl_association: 1,
        terraform_data: 1,
      });
    });

    test("methods carry their guard and, on the cognito guard, their scopes", () => {
      const methods = byType("aws_api_gateway_method").map((c) => c.change.after);
      const summary = methods.map((m) => [m.http_method, m.authorization, m.authorization_scopes ?? null]).sort();
      // Both resources have a GET and a POST; the cognito ones list their scopes.
      expect(summary).toEqual([
        ["GET", "COGNITO_USER_POOLS", ["api.example.com/read"]],
        ["GET", "CUSTOM", null],
        ["POST", "COGNITO_USER_POOLS", ["api.example.com/write"]],
        ["POST", "CUSTOM", null],
      ]);
    });

    test("clients get their flows, and the scopes are known at plan time", () => {
      const flows = byType("aws_cognito_user_pool_client")
        .map((c) => c.change.after)
        .map((c) => [c.name, c.allowed_oauth_flows, c.allowed_oauth_scopes, c.generate_secret, c.prevent_user_existence_errors])
        .sort();
      expect(flows).toEqual([
        ["scopegate-example-legacy", [], [], false, "ENABLED"],
        ["scopegate-example-machine", ["client_credentials"], ["api.example.com/write"], true, "ENABLED"],
        ["scopegate-example-web", ["code"], ["api.example.com/read", "openid"], false, "ENABLED"],
      ]);
    });

    test("the grants table is keyed by principal and the user's item is known at plan time", () => {
      expect(after("aws_dynamodb_table")).toMatchObject({
        hash_key: "principal",
        billing_mode: "PAY_PER_REQUEST",
        deletion_protection_enabled: true,
      });
      const items = byType("aws_dynamodb_table_item")
        .map((c) => c.change.after.item)
        .filter((i) => i !== undefined);
      expect(items.map((i) => JSON.parse(i))).toEqual([
        { principal: { S: "user#alice" }, routes: { L: [{ S: "GET /resource" }] } },
        { principal: { S: "user#svc-reports" }, routes: { L: [{ S: "GET /resource" }] } },
      ]);
    });

    test("a regional web ACL on the stage rate-limits Basic credentials per source IP", () => {
      const acl = after("aws_wafv2_web_acl");
      expect(acl).toMatchObject({ scope: "REGIONAL", name: "scopegate-example-basic-rate-limit" });
      expect(JSON.parse(acl.rule_json)).toEqual([expectedBasicRateLimitRule("scopegate-example-basic-rate-limit")]);
      expect(byType("aws_wafv2_web_acl_association")).toHaveLength(1);
    });

    test("the user pool keeps its protections", () => {
      expect(after("aws_cognito_user_pool")).toMatchObject({ deletion_protection: "ACTIVE", mfa_configuration: "OPTIONAL" });
    });

    test("passwords stay out of the plan's configuration", () => {
      const users = byType("aws_cognito_user").map((c) => c.change.after);
      expect(users.map((u) => u.password ?? null)).toEqual([null, null, null]);
      const configured = plan.configuration.root_module.resources.filter((r: any) => r.type === "aws_cognito_user");
      expect(configured.map((r: any) => r.expressions.password.constant_value).sort()).toEqual([
        '${lookup(var.user_passwords, "alice", null)}',
        '${lookup(var.user_passwords, "bob", null)}',
        '${lookup(var.user_passwords, "svc-reports", null)}',
      ]);
    });
  });
});
