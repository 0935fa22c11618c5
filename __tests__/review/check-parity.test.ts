import { RULE_IDS, RuleId } from "../../contracts/check-rules";
import type { Finding } from "../../checks/evaluate";
import { atOrAbove, countBySeverity } from "../../core/severity";
import type { SynthOutput } from "../../review/load";
import type { RiskFlag } from "../../review/model";
import { RISK_RULES } from "../../review/risks";
import type { ScopegateConfig } from "../../stacks/config/model";
import { reviewOutputs } from "../../testing/review";
import { exampleConfig, synthStack } from "../../testing/synth";
import { STACK, exampleTemplate, findingsOf, ref, resource } from "../checks/fixtures";

/**
 * The review is the check's diff plus what only a change can show: for every rule of
 * `npm run check`, a change that brings its finding is flagged by the review of that change.
 */

type Mutation = (doc: Record<string, any>) => void;

/** How a pull request brings one rule's finding. */
interface Trigger {
  readonly title: string;
  /**
   * Where the example itself has the finding (an `info` one it suppresses): a base configuration
   * without it, and why. @default the example
   */
  readonly base?: { readonly config: Mutation; readonly why: string };
  /** The head's change to the example's configuration, wherever the configuration can express it. */
  readonly config?: Mutation;
  /** A hand edit of the head's `cdk.tf.json` (a pull request can edit the output), where it cannot. */
  readonly edit?: (tf: any) => void;
}

const METHOD = "aws_api_gateway_method";
const STAGE = "aws_api_gateway_stage";
const SETTINGS = "aws_api_gateway_method_settings";
const POOL = "aws_cognito_user_pool";
const CLIENT = "aws_cognito_user_pool_client";
const TABLE = "aws_dynamodb_table";
const FUNCTION = "aws_lambda_function";

/** Changes the authorizer role's policy document. */
function editPolicy(tf: any, edit: (document: any) => void): void {
  const policy = resource(tf, "aws_iam_role_policy", "authorizer/policy");
  const document = JSON.parse(policy.policy);
  edit(document);
  policy.policy = JSON.stringify(document);
}

/** A customer managed key of the stack's account and region. */
const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const WITH_KMS_KEY = {
  config: (d: Record<string, any>) => (d.encryption = { kmsKey: "create" }),
  why: "the example uses AWS managed keys (an info finding it suppresses); the base is the example with a customer managed key of its own",
};

/**
 * One trigger per rule. A route's guard is `cognito` or `lambda`, and the configuration refuses
 * what the hand edits below write (a short password, a password flow, a Cognito route without
 * scopes or with a scope no server defines, threat protection without Plus, template sequences in
 * text); the stage's logging, tracing, metrics, caching, the deployment's lifecycle, the table's
 * recovery and encryption switch, the function's tracing and log group, the invoke permission and
 * the role's policy are not configurable at all: those rules are triggered by an edit of the output.
 */
const TRIGGERS = {
  "SG-APIGW-001": {
    title: "a method opened to anyone (authorization NONE)",
    edit: (tf) => {
      const method = resource(tf, METHOD, "route-GET:reports/method");
      Object.assign(method, { authorization: "NONE" });
      delete method.authorizer_id;
      delete method.authorization_scopes;
    },
  },
  "SG-APIGW-002": {
    title: "a CUSTOM method without an authorizer",
    edit: (tf) => delete resource(tf, METHOD, "route-GET:resource/method").authorizer_id,
  },
  "SG-APIGW-003": {
    title: "a Cognito method without authorization scopes",
    edit: (tf) => delete resource(tf, METHOD, "route-GET:reports/method").authorization_scopes,
  },
  "SG-APIGW-004": {
    title: "a method requiring a scope no resource server defines",
    edit: (tf) => (resource(tf, METHOD, "route-POST:reports/method").authorization_scopes = ["api.example.com/admin"]),
  },
  "SG-APIGW-005": {
    title: "a stage without access logs",
    edit: (tf) => delete resource(tf, STAGE, "rest-api/stage").access_log_settings,
  },
  "SG-APIGW-006": {
    title: "a stage without X-Ray tracing",
    edit: (tf) => (resource(tf, STAGE, "rest-api/stage").xray_tracing_enabled = false),
  },
  "SG-APIGW-007": {
    title: "execution logging turned off",
    edit: (tf) => (resource(tf, SETTINGS, "rest-api/method-settings").settings.logging_level = "OFF"),
  },
  "SG-APIGW-008": {
    title: "detailed metrics turned off",
    edit: (tf) => (resource(tf, SETTINGS, "rest-api/method-settings").settings.metrics_enabled = false),
  },
  "SG-APIGW-009": {
    title: "data trace turned on",
    edit: (tf) => (resource(tf, SETTINGS, "rest-api/method-settings").settings.data_trace_enabled = true),
  },
  "SG-APIGW-010": {
    title: "a cache without encryption",
    edit: (tf) =>
      Object.assign(resource(tf, SETTINGS, "rest-api/method-settings").settings, { caching_enabled: true, cache_data_encrypted: false }),
  },
  "SG-APIGW-011": {
    title: "a deployment without create_before_destroy",
    edit: (tf) => delete resource(tf, "aws_api_gateway_deployment", "rest-api/deployment").lifecycle,
  },
  "SG-APIGW-012": {
    title: "the execution log group removed from the stack",
    edit: (tf) => {
      const groups = tf.resource.aws_cloudwatch_log_group;
      for (const [id, group] of Object.entries<any>(groups)) {
        if (String(group.name).startsWith("API-Gateway-Execution-Logs_")) delete groups[id];
      }
    },
  },
  "SG-APIGW-013": {
    title: "the Basic rate limit turned off while the stage accepts Basic",
    config: (d) => (d.api.basicRateLimit = { enabled: false }),
  },
  "SG-USERPOOL-001": {
    title: "deletion protection turned off",
    config: (d) => (d.userPool.deletionProtection = false),
  },
  "SG-USERPOOL-002": {
    title: "MFA turned off",
    config: (d) => (d.userPool.mfa = "OFF"),
  },
  "SG-USERPOOL-003": {
    title: "self sign-up opened (admin_create_user_config removed)",
    edit: (tf) => delete resource(tf, POOL, "user-pool/pool").admin_create_user_config,
  },
  "SG-USERPOOL-004": {
    title: "passwords of 8 characters",
    edit: (tf) => (resource(tf, POOL, "user-pool/pool").password_policy.minimum_length = 8),
  },
  "SG-USERPOOL-005": {
    title: "passwords without numbers and symbols",
    config: (d) => (d.userPool.passwordPolicy = { requireNumbers: false, requireSymbols: false }),
  },
  "SG-USERPOOL-006": {
    title: "threat protection on the Essentials tier",
    edit: (tf) => (resource(tf, POOL, "user-pool/pool").user_pool_add_ons = { advanced_security_mode: "ENFORCED" }),
  },
  "SG-USERPOOL-007": {
    title: "threat protection turned off while a legacy client signs users in with a password",
    base: {
      config: (d) => Object.assign(d.userPool, { tier: "PLUS", threatProtection: "audit" }),
      why: "the example stays on Essentials without threat protection (an info finding it suppresses); the base is on Plus with it",
    },
  },
  "SG-APPCLIENT-001": {
    title: "a client revealing whether a user exists",
    edit: (tf) => (resource(tf, CLIENT, "client-legacy/client").prevent_user_existence_errors = "LEGACY"),
  },
  "SG-APPCLIENT-002": {
    title: "token revocation turned off",
    edit: (tf) => (resource(tf, CLIENT, "client-web/client").enable_token_revocation = false),
  },
  "SG-APPCLIENT-003": {
    title: "the implicit flow, opted into",
    config: (d) => (d.appClients[0].allowImplicitFlow = true),
  },
  "SG-APPCLIENT-004": {
    title: "password sign-in through the public API",
    edit: (tf) =>
      (resource(tf, CLIENT, "client-legacy/client").explicit_auth_flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
  },
  "SG-APPCLIENT-005": {
    title: "a client leaving its authentication flows to Cognito",
    edit: (tf) => delete resource(tf, CLIENT, "client-machine/client").explicit_auth_flows,
  },
  "SG-APPCLIENT-006": {
    title: "access tokens valid 120 minutes",
    config: (d) => (d.appClients[0].accessTokenValidityMinutes = 120),
  },
  "SG-APPCLIENT-007": {
    title: "refresh tokens valid 90 days",
    config: (d) => (d.appClients[0].refreshTokenValidityDays = 90),
  },
  "SG-APPCLIENT-008": {
    title: "a client asking for the user admin scope, opted into",
    config: (d) => {
      d.appClients[0].allowUserAdminScope = true;
      d.appClients[0].scopes.push("aws.cognito.signin.user.admin");
    },
  },
  "SG-DYNAMODB-001": {
    title: "point-in-time recovery removed",
    edit: (tf) => delete resource(tf, TABLE, "authorization-table/table").point_in_time_recovery,
  },
  "SG-DYNAMODB-002": {
    title: "server-side encryption with KMS turned off",
    edit: (tf) => (resource(tf, TABLE, "authorization-table/table").server_side_encryption.enabled = false),
  },
  "SG-DYNAMODB-003": {
    title: "the table's customer managed key given up",
    base: WITH_KMS_KEY,
  },
  "SG-LAMBDA-001": {
    title: "the function's X-Ray tracing turned to PassThrough",
    edit: (tf) => (resource(tf, FUNCTION, "authorizer/function").tracing_config.mode = "PassThrough"),
  },
  "SG-LAMBDA-002": {
    title: "the function's reserved concurrency given up",
    base: {
      config: (d) => (d.authorizer = { ...d.authorizer, reservedConcurrency: 20 }),
      why: "the example leaves reservedConcurrency null (an info finding it suppresses); the base reserves 20",
    },
  },
  "SG-LAMBDA-003": {
    title: "the environment's customer managed key given up",
    base: WITH_KMS_KEY,
  },
  "SG-LAMBDA-004": {
    title: "an invoke permission for API Gateway without source_arn",
    edit: (tf) => delete resource(tf, "aws_lambda_permission", "rest-api/authorizer-invoke").source_arn,
  },
  "SG-LAMBDA-005": {
    title: "the function's log group no longer managed by the stack",
    edit: (tf) => {
      delete resource(tf, FUNCTION, "authorizer/function").logging_config;
      resource(tf, "aws_cloudwatch_log_group", "authorizer/logs").name = "/custom/authorizer";
    },
  },
  "SG-LOGS-001": {
    // logRetentionDays accepts only CloudWatch's retention periods: "never expire" is refused.
    title: "a log group without retention",
    edit: (tf) => delete resource(tf, "aws_cloudwatch_log_group", "rest-api/access-logs").retention_in_days,
  },
  "SG-LOGS-002": {
    title: "the log groups' customer managed key given up",
    base: WITH_KMS_KEY,
  },
  "SG-IAM-001": {
    title: "a wildcard action in the authorizer's policy",
    edit: (tf) => editPolicy(tf, (d) => (d.Statement[0].Action = ["dynamodb:*"])),
  },
  "SG-IAM-002": {
    title: "a wildcard resource for an action with resource-level permissions",
    edit: (tf) => editPolicy(tf, (d) => d.Statement[2].Action.push("dynamodb:GetItem")),
  },
  "SG-IAM-003": {
    title: "the account-wide logging role (an AWS managed policy) managed by the stack",
    base: {
      config: (d) => (d.api.manageAccountLoggingRole = false),
      why: "the example manages the account's API Gateway logging role (an info finding it suppresses); the base leaves it to another stack",
    },
  },
  "SG-IAM-004": {
    title: "AdministratorAccess attached to the authorizer's role",
    edit: (tf) =>
      (tf.resource.aws_iam_role_policy_attachment.admin = {
        role: ref(tf, "aws_iam_role", "authorizer/role", "name"),
        policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess",
      }),
  },
  "SG-IAM-005": {
    title: "the authorizer allowed to write grants",
    edit: (tf) => editPolicy(tf, (d) => d.Statement[0].Action.push("dynamodb:PutItem")),
  },
  "SG-TF-001": {
    // The configuration's text gate refuses `${` everywhere: only an edit of the output plants it.
    title: "a scope description that reads a file",
    edit: (tf) => (resource(tf, "aws_cognito_resource_server", "server").scope[0].scope_description = 'Read ${file("x")}'),
  },
} satisfies Record<RuleId, Trigger>;

/** A synth output of one stack's Terraform JSON, with the suppressions its checks file would carry. */
function outputOf(tf: unknown, config?: ScopegateConfig): SynthOutput {
  return {
    stacks: new Map([[STACK, tf as any]]),
    ...(config ? { checks: new Map([[STACK, { suppressions: config.checks.suppressions, checksFile: true }]]) } : {}),
  };
}

/** The base and the head of a trigger's pull request, as Terraform JSON. */
function sides(trigger: Trigger): { base: any; head: any } {
  const base = trigger.base ? synthStack(exampleConfig(trigger.base.config)).tf : exampleTemplate();
  const head = trigger.config ? synthStack(exampleConfig(trigger.config)).tf : exampleTemplate();
  trigger.edit?.(head);
  return { base, head };
}

/** The review rules that speak of the same change as a check rule. */
const spokenOfBy = (id: RuleId): string[] =>
  RISK_RULES.filter((rule) => ("checkRules" in rule ? (rule.checkRules as readonly string[]) : []).includes(id)).map((rule) => rule.id);

/** The flag that stands for a check finding: its own, or a corresponding review rule's that names it. */
function flagOf(flags: readonly RiskFlag[], finding: Finding): RiskFlag | undefined {
  const corresponding = spokenOfBy(finding.rule as RuleId);
  return flags.find(
    (flag) =>
      flag.stack === finding.stack &&
      flag.address === finding.address &&
      (flag.rule === finding.rule || (corresponding.includes(flag.rule) && flag.summary.includes(finding.rule))),
  );
}

const triggers: [RuleId, string, Trigger][] = Object.entries(TRIGGERS).map(([id, trigger]) => [id as RuleId, trigger.title, trigger]);

describe("every check rule, triggered by a change, is flagged by the review of that change", () => {
  test("the table has one trigger for each rule npm run check knows, and each changes the head", () => {
    expect(Object.keys(TRIGGERS).sort()).toEqual([...RULE_IDS].sort());
    for (const [, , trigger] of triggers) {
      expect(trigger.config !== undefined || trigger.edit !== undefined || trigger.base !== undefined).toBe(true);
    }
  });

  test.each(triggers)("%s: %s", (id, _title, trigger) => {
    // GIVEN a base without the rule's finding and a head that has it
    const { base, head } = sides(trigger);
    const before = findingsOf(base, id);
    const after = findingsOf(head, id);
    expect(before.map((f) => f.message)).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    // WHEN the change is reviewed
    const review = reviewOutputs(outputOf(base), outputOf(head));
    // THEN each of the head's findings is a flag, under the rule's id or a review rule that names it, at least as severe
    for (const finding of after) {
      const flag = flagOf(review.report.flags, finding);
      expect({ finding: finding.message, flag: flag && `${flag.rule}@${flag.severity}: ${flag.summary}` }).toEqual({
        finding: finding.message,
        flag: expect.any(String),
      });
      expect(`${flag!.severity} at or above ${finding.severity}: ${atOrAbove(flag!.severity, finding.severity)}`).toBe(
        `${flag!.severity} at or above ${finding.severity}: true`,
      );
    }
  });
});

describe("what the review does not count", () => {
  test("a finding the head suppresses with a reason is accepted, with the reason, and not counted", () => {
    // GIVEN a head without the Basic rate limit (SG-APIGW-013, which no review rule speaks of), once without and once with a suppression
    const reason = "The stage is reachable only through the corporate proxy, which rate-limits Basic requests per source address.";
    const noLimit = (d: Record<string, any>) => (d.api.basicRateLimit = { enabled: false });
    const baseConfig = exampleConfig();
    const plain = exampleConfig(noLimit);
    const suppressed = exampleConfig((d) => {
      noLimit(d);
      d.checks.suppressions.push({ rule: "SG-APIGW-013", resource: "rest-api/stage", reason });
    });
    const base = outputOf(synthStack(baseConfig).tf, baseConfig);
    const counted = reviewOutputs(base, outputOf(synthStack(plain).tf, plain));
    // WHEN the head that suppresses it is reviewed
    const review = reviewOutputs(base, outputOf(synthStack(suppressed).tf, suppressed));
    // THEN without the suppression it is a high flag; with it, it is accepted with the reason
    expect(counted.report.flags.filter((f) => f.rule === "SG-APIGW-013").map((f) => f.severity)).toEqual(["high"]);
    expect(review.report.accepted).toEqual([
      expect.objectContaining({
        rule: "SG-APIGW-013",
        severity: "high",
        stack: STACK,
        path: "rest-api/stage",
        attribute: "web ACL",
        reason,
      }),
    ]);
    // AND it is no flag: the other flags are those of the head without the suppression, and the counts one high fewer
    expect(review.report.flags.filter((f) => f.rule === "SG-APIGW-013")).toEqual([]);
    expect(review.report.flags).toEqual(counted.report.flags.filter((f) => f.rule !== "SG-APIGW-013"));
    expect(review.summary.flagCounts).toEqual(countBySeverity(review.report.flags));
    expect(review.summary.flagCounts).toEqual({ ...counted.summary.flagCounts, high: counted.summary.flagCounts.high - 1 });
    // AND the example's own suppressions, accepted in the base already, are not listed again
    expect(review.report.accepted!.map((f) => f.rule)).toEqual(["SG-APIGW-013"]);
  });

  test("a finding the head suppresses that is more severe than in the base is shown as accepted again, at the head's severity", () => {
    // GIVEN the example, which accepts its log groups' info findings (SG-LOGS-002), and a head that gives one log group a key
    const config = exampleConfig();
    const base = exampleTemplate();
    const head = exampleTemplate();
    resource(head, "aws_cloudwatch_log_group", "rest-api/access-logs").kms_key_id = KEY_ARN;
    // WHEN reviewed, each side with the example's suppressions
    const review = reviewOutputs(outputOf(base, config), outputOf(head, config));
    // THEN the other two log groups, low now that the stack has a key, are shown as accepted with their reasons, and not flagged
    const reasons = new Map(config.checks.suppressions.map((s) => [s.resource, s.reason]));
    expect(review.report.accepted!.filter((f) => f.rule === "SG-LOGS-002").map((f) => [f.path, f.severity, f.reason])).toEqual([
      ["authorizer/logs", "low", reasons.get("authorizer/logs")],
      ["rest-api/execution-logs", "low", reasons.get("rest-api/execution-logs")],
    ]);
    expect(review.report.flags.filter((f) => f.rule === "SG-LOGS-002")).toEqual([]);
  });

  test("a finding in both base and head at the same severity is not flagged", () => {
    // GIVEN a base whose stage has no X-Ray tracing (SG-APIGW-006, low), and a head that keeps it so and adds a scope to a client
    const noTracing = (tf: any) => (resource(tf, STAGE, "rest-api/stage").xray_tracing_enabled = false);
    const base = exampleTemplate();
    noTracing(base);
    const head = synthStack(exampleConfig((d) => d.appClients[0].scopes.push("api.example.com/write"))).tf;
    noTracing(head);
    expect(findingsOf(base, "SG-APIGW-006").map((f) => f.severity)).toEqual(["low"]);
    expect(findingsOf(head, "SG-APIGW-006").map((f) => f.severity)).toEqual(["low"]);
    // WHEN reviewed
    const review = reviewOutputs(outputOf(base), outputOf(head));
    // THEN the scope is flagged, and neither the tracing nor the example's own info findings (present in both) are
    expect(review.report.flags.map((f) => f.rule)).toEqual(["scope-added"]);
    expect(findingsOf(head).filter((f) => f.severity === "info").length).toBeGreaterThan(0);
  });

  test("a finding more severe in the head than in the base is flagged at the head's severity", () => {
    // GIVEN the example (log groups without a key of the stack: info) and a head that gives one log group a key
    const base = exampleTemplate();
    const head = exampleTemplate();
    resource(head, "aws_cloudwatch_log_group", "rest-api/access-logs").kms_key_id = KEY_ARN;
    // WHEN reviewed THEN the other two log groups are flagged low: the stack now has a key they do not use
    const review = reviewOutputs(outputOf(base), outputOf(head));
    expect(review.report.flags.filter((f) => f.rule === "SG-LOGS-002").map((f) => [f.path, f.severity])).toEqual([
      ["authorizer/logs", "low"],
      ["rest-api/execution-logs", "low"],
    ]);
  });
});
