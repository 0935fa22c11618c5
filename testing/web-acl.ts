/**
 * What the Basic rate-limit rule must be, written out from the WAF API reference rather than taken
 * from stacks/constructs/web-acl.ts: the construct test and the offline plan test both hold the
 * synthesized rule to it.
 *
 * @see https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
 */
import { BASIC_RATE_LIMIT_RULE_NAME } from "../stacks/constructs/web-acl";

/**
 * The rule of the web ACL named `aclName`: blocks a source IP that sends more than
 * `requestsPer5MinutesPerIp` requests with `Authorization: Basic …` in 5 minutes.
 *
 * @param requestsPer5MinutesPerIp - the limit (default 2000, the configuration's default)
 */
export function expectedBasicRateLimitRule(aclName: string, requestsPer5MinutesPerIp = 2000): Record<string, unknown> {
  return {
    Name: BASIC_RATE_LIMIT_RULE_NAME,
    Priority: 0,
    Action: { Block: {} },
    Statement: {
      RateBasedStatement: {
        AggregateKeyType: "IP",
        Limit: requestsPer5MinutesPerIp,
        EvaluationWindowSec: 300,
        ScopeDownStatement: {
          ByteMatchStatement: {
            FieldToMatch: { SingleHeader: { Name: "authorization" } },
            PositionalConstraint: "STARTS_WITH",
            SearchString: "basic ",
            TextTransformations: [{ Priority: 0, Type: "LOWERCASE" }],
          },
        },
      },
    },
    VisibilityConfig: {
      CloudWatchMetricsEnabled: true,
      MetricName: `${aclName}-${BASIC_RATE_LIMIT_RULE_NAME}`,
      SampledRequestsEnabled: true,
    },
  };
}
