import { Rule, violation } from "../rule";
import { UNKNOWN, readNumber, readString } from "../../core/terraform-json/values";
import { CUSTOMER_MANAGED_KEY_IF_REQUIRED, UNTIL_CUSTOMER_MANAGED_KEY, usesCustomerManagedKey } from "../decisions";

const LOG_GROUP = "aws_cloudwatch_log_group";

const retention: Rule = {
  id: "SG-LOGS-001",
  severity: "medium",
  title: "Log groups expire their events",
  fix: "Set retention_in_days on the aws_cloudwatch_log_group (scopegate: api.logRetentionDays, authorizer.logRetentionDays).",
  see: ["checkov CKV_AWS_66"],
  check: (stack) =>
    stack.resources(LOG_GROUP).flatMap((group) => {
      const days = readNumber(group.body.retention_in_days);
      if (days === UNKNOWN || (days !== undefined && days > 0)) return [];
      return [
        violation(
          group,
          "retention_in_days",
          `retention_in_days is ${days === undefined ? "not set" : days}: events are kept forever, with the principals and source addresses they name`,
        ),
      ];
    }),
};

const encryption: Rule = {
  id: "SG-LOGS-002",
  severity: "low",
  title: "Log groups are encrypted with a customer managed KMS key",
  infoUntil: UNTIL_CUSTOMER_MANAGED_KEY,
  fix: "Set kms_key_id to an aws_kms_key whose policy lets the CloudWatch Logs service principal of the region use it (scopegate: encryption.kmsKey).",
  see: ["checkov CKV_AWS_158", "trivy AVD-AWS-0017"],
  check: (stack) => {
    const decided = usesCustomerManagedKey(stack);
    return stack.resources(LOG_GROUP).flatMap((group) => {
      const key = readString(group.body.kms_key_id);
      if (key === UNKNOWN || (key !== undefined && key !== "")) return [];
      return [
        violation(
          group,
          "kms_key_id",
          "kms_key_id is not set: CloudWatch Logs encrypts with a key of its own, not one this stack controls",
          decided ? undefined : CUSTOMER_MANAGED_KEY_IF_REQUIRED,
        ),
      ];
    });
  },
};

/** The CloudWatch Logs rules. */
export const LOGS_RULES: readonly Rule[] = [retention, encryption];
