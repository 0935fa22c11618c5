/**
 * Decisions that belong to an organisation or an account, not to one stack: whether data is
 * encrypted with a customer managed KMS key, who owns the account-wide API Gateway logging role,
 * how much of the account's Lambda concurrency a function reserves. A rule whose remedy is such a
 * decision reports at `info` (never failing) with what to set if the organisation requires it;
 * once the stack shows the decision made, the rule applies at its full severity.
 *
 * @packageDocumentation
 */
import { StackTemplate } from "../core/terraform-json/document";
import { UNKNOWN, readBlock, readString } from "../core/terraform-json/values";

/** Shown in the rule catalogue for the customer managed key rules. */
export const UNTIL_CUSTOMER_MANAGED_KEY = "until the stack uses a customer managed KMS key";

/**
 * Whether the stack uses a customer managed KMS key anywhere: it declares an `aws_kms_key`, or a
 * table, function or log group names a key (`kms_key_arn`, `kms_key_id`). Once it does, every
 * table, function environment and log group is expected to use one.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#customer-cmk
 */
export function usesCustomerManagedKey(stack: StackTemplate): boolean {
  if (stack.resources("aws_kms_key").length > 0) return true;
  const set = (value: unknown) => {
    const text = readString(value);
    return text === UNKNOWN || (text !== undefined && text !== "");
  };
  return (
    stack.resources("aws_dynamodb_table").some((table) => {
      const block = readBlock(table.body.server_side_encryption);
      return block !== undefined && block !== UNKNOWN && set(block.kms_key_arn);
    }) ||
    stack.resources("aws_lambda_function").some((fn) => set(fn.body.kms_key_arn)) ||
    stack.resources("aws_cloudwatch_log_group").some((group) => set(group.body.kms_key_id))
  );
}

/** What to set for a customer managed key, in scopegate's and Terraform's terms. */
export const CUSTOMER_MANAGED_KEY_IF_REQUIRED =
  'If your organisation requires customer managed keys, set encryption.kmsKey to "create" (a key with rotation, used by the table, the log groups and the function\'s environment) or to the ARN of an existing key; the rules then check every resource at full severity.';
