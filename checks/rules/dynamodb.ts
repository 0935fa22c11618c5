import { Rule, Violation, violation } from "../rule";
import { StackTemplate } from "../../core/terraform-json/document";
import { UNKNOWN, readBlock, readBoolean, readString } from "../../core/terraform-json/values";
import { CUSTOMER_MANAGED_KEY_IF_REQUIRED, UNTIL_CUSTOMER_MANAGED_KEY, usesCustomerManagedKey } from "../decisions";

const TABLE = "aws_dynamodb_table";

/** Tables whose `<block> { enabled = true }` is missing or false (unknown values pass). */
function tablesWithout(stack: StackTemplate, blockName: string, unsetState: string, why: string): Violation[] {
  return stack.resources(TABLE).flatMap((table) => {
    const block = readBlock(table.body[blockName]);
    if (block === UNKNOWN) return [];
    const enabled = readBoolean(block?.enabled);
    if (enabled === UNKNOWN || enabled === true) return [];
    const state = block === undefined || enabled === undefined ? unsetState : "false";
    return [violation(table, `${blockName}.enabled`, `${blockName}${block === undefined ? "" : ".enabled"} is ${state}: ${why}`)];
  });
}

const pointInTimeRecovery: Rule = {
  id: "SG-DYNAMODB-001",
  severity: "medium",
  title: "Tables have point-in-time recovery",
  fix: "Set point_in_time_recovery { enabled = true } on the aws_dynamodb_table.",
  see: ["checkov CKV_AWS_28", "trivy AVD-AWS-0024"],
  check: (stack) => tablesWithout(stack, "point_in_time_recovery", "not set (off)", "a bad write or a deleted grant cannot be rolled back"),
};

const serverSideEncryption: Rule = {
  id: "SG-DYNAMODB-002",
  severity: "medium",
  title: "Tables set server-side encryption with KMS explicitly",
  fix: "Set server_side_encryption { enabled = true } (the AWS managed key aws/dynamodb), or with kms_key_arn for a customer managed key.",
  see: ["https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html"],
  check: (stack) =>
    tablesWithout(
      stack,
      "server_side_encryption",
      "not set",
      "the table uses an AWS owned key, whose use CloudTrail does not show and no key policy controls",
    ),
};

const customerManagedKey: Rule = {
  id: "SG-DYNAMODB-003",
  severity: "low",
  title: "Tables are encrypted with a customer managed KMS key",
  infoUntil: UNTIL_CUSTOMER_MANAGED_KEY,
  fix: "Set server_side_encryption { enabled = true, kms_key_arn = <aws_kms_key arn> } with a key whose policy names who may decrypt (scopegate: encryption.kmsKey).",
  see: ["checkov CKV_AWS_119", "trivy AVD-AWS-0025"],
  check: (stack) => {
    const decided = usesCustomerManagedKey(stack);
    return stack.resources(TABLE).flatMap((table) => {
      const block = readBlock(table.body.server_side_encryption);
      if (block === UNKNOWN) return [];
      const enabled = readBoolean(block?.enabled);
      const key = readString(block?.kms_key_arn);
      if (enabled === UNKNOWN || key === UNKNOWN || (key !== undefined && key !== "")) return [];
      const owner = enabled === true ? 'the AWS managed key "aws/dynamodb"' : "an AWS owned key";
      return [
        violation(
          table,
          "server_side_encryption.kms_key_arn",
          `server_side_encryption.kms_key_arn is not set: the table uses ${owner}, not a key this stack controls`,
          decided ? undefined : CUSTOMER_MANAGED_KEY_IF_REQUIRED,
        ),
      ];
    });
  },
};

/** The DynamoDB rules. */
export const DYNAMODB_RULES: readonly Rule[] = [pointInTimeRecovery, serverSideEncryption, customerManagedKey];
