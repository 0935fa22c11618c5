/**
 * What the configuration, the stack and the checks share, as plain data without imports: the
 * configuration validates suppressions against {@link RULE_IDS} and the stack writes
 * {@link CHECKS_FILE} without loading a single rule, and the checks read that file without the
 * configuration.
 */

/**
 * Every rule id `npm run check` knows, grouped by service. Ids are stable: a suppression names
 * one, so a rule is never renumbered, and a retired id is never reused.
 */
export const RULE_IDS = [
  "SG-APIGW-001",
  "SG-APIGW-002",
  "SG-APIGW-003",
  "SG-APIGW-004",
  "SG-APIGW-005",
  "SG-APIGW-006",
  "SG-APIGW-007",
  "SG-APIGW-008",
  "SG-APIGW-009",
  "SG-APIGW-010",
  "SG-APIGW-011",
  "SG-APIGW-012",
  "SG-APIGW-013",
  "SG-USERPOOL-001",
  "SG-USERPOOL-002",
  "SG-USERPOOL-003",
  "SG-USERPOOL-004",
  "SG-USERPOOL-005",
  "SG-USERPOOL-006",
  "SG-USERPOOL-007",
  "SG-APPCLIENT-001",
  "SG-APPCLIENT-002",
  "SG-APPCLIENT-003",
  "SG-APPCLIENT-004",
  "SG-APPCLIENT-005",
  "SG-APPCLIENT-006",
  "SG-APPCLIENT-007",
  "SG-APPCLIENT-008",
  "SG-DYNAMODB-001",
  "SG-DYNAMODB-002",
  "SG-DYNAMODB-003",
  "SG-LAMBDA-001",
  "SG-LAMBDA-002",
  "SG-LAMBDA-003",
  "SG-LAMBDA-004",
  "SG-LAMBDA-005",
  "SG-LOGS-001",
  "SG-LOGS-002",
  "SG-IAM-001",
  "SG-IAM-002",
  "SG-IAM-003",
  "SG-IAM-004",
  "SG-IAM-005",
  "SG-TF-001",
] as const;

/** A rule id, e.g. `SG-APIGW-001`. */
export type RuleId = (typeof RULE_IDS)[number];

/**
 * Rules no suppression can accept: their finding means the output must not be planned at all, and
 * the same hand that edits the output can edit its suppressions. The configuration refuses a
 * suppression of one; `npm run check` ignores any that reaches it.
 */
export const UNSUPPRESSIBLE_RULE_IDS: readonly RuleId[] = ["SG-TF-001"];

/** Whether `value` is a rule id `npm run check` knows. */
export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

/**
 * Name of the file the stack writes next to its `cdk.tf.json`. Terraform reads only `*.tf` and
 * `*.tf.json` files, so it has no effect on a plan.
 */
export const CHECKS_FILE = "scopegate-checks.json";

/** Format version of {@link CHECKS_FILE}; the checks refuse a version they do not know. */
export const CHECKS_FILE_VERSION = 1;

/**
 * A finding accepted on purpose. `resource` is a construct path, with or without the stack name
 * in front (`authorizer/function` or `my-stack/authorizer/function`), or a prefix of one that
 * ends at a `/` boundary (`rest-api` covers everything below it). No wildcards.
 */
export interface Suppression {
  /** The rule, e.g. `SG-LAMBDA-002`. */
  readonly rule: string;
  /** The construct path, or a prefix of it at a `/` boundary. */
  readonly resource: string;
  /** Why the finding is acceptable here; shown in every report. */
  readonly reason: string;
}

/** Contents of {@link CHECKS_FILE}. */
export interface ChecksFile {
  readonly version: number;
  readonly suppressions: readonly Suppression[];
}
