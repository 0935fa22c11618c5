import { Construct } from "constructs";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";

/** Name of the rate-based rule (also its CloudWatch metric name). */
export const BASIC_RATE_LIMIT_RULE_NAME = "basic-credentials-per-ip";

/**
 * WAF's evaluation window of the rate-based rule: 300 seconds, so the configured limit reads
 * "requests per 5 minutes".
 */
export const BASIC_RATE_LIMIT_WINDOW_SECONDS = 300;

/** Props of {@link BasicRateLimitAcl}. */
export interface BasicRateLimitAclProps {
  /** Name of the web ACL (and prefix of its metric names). */
  readonly name: string;
  /** ARN of the API Gateway stage the ACL protects. */
  readonly stageArn: string;
  /** Requests with Basic credentials one source IP may send in 5 minutes before WAF blocks it. */
  readonly requestsPer5MinutesPerIp: number;
}

/**
 * The WAFv2 rule list (the API's JSON `Rules`) of {@link BasicRateLimitAcl}: one rate-based rule
 * that counts, per source IP, the requests whose `Authorization` header starts with `basic ` after
 * lower-casing (the authorizer accepts the scheme in any case), and blocks an address above the limit.
 *
 * @param props - limit and metric name prefix
 * @returns the `Rules` list
 * @see https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
 */
export function basicRateLimitRules(props: Pick<BasicRateLimitAclProps, "name" | "requestsPer5MinutesPerIp">): unknown[] {
  return [
    {
      Name: BASIC_RATE_LIMIT_RULE_NAME,
      Priority: 0,
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          AggregateKeyType: "IP",
          Limit: props.requestsPer5MinutesPerIp,
          EvaluationWindowSec: BASIC_RATE_LIMIT_WINDOW_SECONDS,
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
        MetricName: `${props.name}-${BASIC_RATE_LIMIT_RULE_NAME}`,
        SampledRequestsEnabled: true,
      },
    },
  ];
}

/**
 * A regional WAFv2 web ACL on the API stage that rate-limits HTTP Basic per source IP, so the Basic
 * path cannot serve as a password-guessing oracle (each new credential is one Cognito sign-in, and
 * failed guesses count towards Cognito's lockout of the account). Everything else is allowed.
 * Metrics and sampled requests are on for the ACL and the rule.
 *
 * Not on the user pool: its token endpoint uses HTTP Basic for client secrets.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
 */
export class BasicRateLimitAcl extends Construct {
  /** The `aws_wafv2_web_acl` resource. */
  readonly acl: Wafv2WebAcl;
  /** The `aws_wafv2_web_acl_association` with the stage. */
  readonly association: Wafv2WebAclAssociation;

  constructor(scope: Construct, id: string, props: BasicRateLimitAclProps) {
    super(scope, id);
    this.acl = new Wafv2WebAcl(this, "acl", {
      name: props.name,
      description: "scopegate: rate limit of HTTP Basic credentials per source IP",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      ruleJson: JSON.stringify(basicRateLimitRules(props)),
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: props.name, sampledRequestsEnabled: true },
    });
    this.association = new Wafv2WebAclAssociation(this, "association", {
      resourceArn: props.stageArn,
      webAclArn: this.acl.arn,
    });
  }
}
