import { exampleConfig, resourceAt, resourcesOf, synthStack } from "../../../testing/synth";
import { expectedBasicRateLimitRule } from "../../../testing/web-acl";

describe("BasicRateLimitAcl", () => {
  const { tf } = synthStack();

  test("GIVEN the example (a legacy client) THEN a regional web ACL allows by default and rate-limits Basic per source IP, with metrics and samples", () => {
    const acl = resourceAt(tf, "aws_wafv2_web_acl", "basic-rate-limit/acl");
    expect(acl).toMatchObject({
      name: "scopegate-example-basic-rate-limit",
      scope: "REGIONAL",
      default_action: { allow: {} },
      visibility_config: {
        cloudwatch_metrics_enabled: true,
        metric_name: "scopegate-example-basic-rate-limit",
        sampled_requests_enabled: true,
      },
    });
    expect(JSON.parse(acl.rule_json)).toEqual([expectedBasicRateLimitRule("scopegate-example-basic-rate-limit")]);
  });

  test("is associated with the API stage, not the user pool", () => {
    const association = resourceAt(tf, "aws_wafv2_web_acl_association", "basic-rate-limit/association");
    expect(association.resource_arn).toMatch(/^\$\{aws_api_gateway_stage\.rest-api_stage_[0-9A-F]{8}\.arn\}$/);
    expect(association.web_acl_arn).toMatch(/^\$\{aws_wafv2_web_acl\.basic-rate-limit_acl_[0-9A-F]{8}\.arn\}$/);
  });

  test("takes its limit from api.basicRateLimit.requestsPer5MinutesPerIp", () => {
    const { tf: strict } = synthStack(exampleConfig((d) => (d.api.basicRateLimit = { requestsPer5MinutesPerIp: 300 })));
    const [rule] = JSON.parse(resourceAt(strict, "aws_wafv2_web_acl", "basic-rate-limit/acl").rule_json);
    expect(rule.Statement.RateBasedStatement.Limit).toBe(300);
  });

  test.each([
    ["turned off on purpose", (d: Record<string, any>) => (d.api.basicRateLimit = { enabled: false })],
    ["without a legacy client (the stage accepts no Basic)", (d: Record<string, any>) => d.appClients.pop()],
  ])("is left out when %s", (_title, change) => {
    const { tf: without } = synthStack(exampleConfig(change));
    expect(resourcesOf(without, "aws_wafv2_web_acl")).toEqual({});
    expect(resourcesOf(without, "aws_wafv2_web_acl_association")).toEqual({});
  });
});
