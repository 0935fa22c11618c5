import { Construct } from "constructs";
import { TerraformCondition } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { DynamodbTableItem } from "@cdktf/provider-aws/lib/dynamodb-table-item";
import { GrantItem, PRINCIPAL_ATTRIBUTE, SIGN_IN_LIMIT_EXPIRES_AT_ATTRIBUTE, encodeGrantItem } from "../../core/grant-item";

/** A grant item the table is seeded with, and the name of its construct. */
export interface SeededGrantItem extends GrantItem {
  /** Stable name of the item's construct, e.g. `user-alice` (part of its Terraform address). */
  readonly id: string;
}

/** Props of {@link AuthorizationTable}. */
export interface AuthorizationTableProps {
  /** Table name. */
  readonly tableName: string;
  readonly grants: readonly SeededGrantItem[];
  /** A customer managed KMS key's ARN for server-side encryption. @default the AWS managed key `aws/dynamodb` */
  readonly kmsKeyArn?: string;
  /**
   * Conditions a plan checks before it touches the table, for example that an attached user pool is in
   * the planned region: every stack has this table. @default none
   */
  readonly preconditions?: readonly TerraformCondition[];
}

/**
 * The DynamoDB table of per-principal grants that the Lambda authorizer reads, seeded from the
 * configuration. On-demand, point-in-time recovery, server-side encryption and deletion
 * protection are explicit.
 *
 * Item format (the authorizer's data contract):
 * `{ "principal": {"S": "user#alice"}, "routes": {"L": [{"S": "GET /resource"}]} }`. The authorizer
 * also keeps its failed Basic sign-in counters here, under `lockout#` keys that no grant can have,
 * which DynamoDB deletes after their `expiresAt` (the table's TTL attribute).
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.CoreComponents.html
 */
export class AuthorizationTable extends Construct {
  /** The `aws_dynamodb_table` resource. */
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: AuthorizationTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: PRINCIPAL_ATTRIBUTE,
      attribute: [{ name: PRINCIPAL_ATTRIBUTE, type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, ...(props.kmsKeyArn === undefined ? {} : { kmsKeyArn: props.kmsKeyArn }) },
      deletionProtectionEnabled: true,
      // Clean-up of the authorizer's failed sign-in counters; grants never carry the attribute.
      ttl: { attributeName: SIGN_IN_LIMIT_EXPIRES_AT_ATTRIBUTE, enabled: true },
      ...(props.preconditions?.length ? { lifecycle: { precondition: [...props.preconditions] } } : {}),
    });

    for (const grant of props.grants) {
      new DynamodbTableItem(this, `grant-${grant.id}`, {
        tableName: this.table.name,
        hashKey: this.table.hashKey,
        item: JSON.stringify(encodeGrantItem(grant)),
      });
    }
  }
}
