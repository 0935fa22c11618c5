import { Construct } from "constructs";
import { Fn, ITerraformDependable } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";

/**
 * How a resource uses the stack's customer managed key: its ARN, and what must exist before the
 * resource is created (the key policy that lets CloudWatch Logs use a created key; nothing for a
 * key the organisation manages).
 */
export interface KmsKeyUse {
  /** The key's ARN (DynamoDB's `kms_key_arn`, Lambda's `kms_key_arn`, CloudWatch Logs' `kms_key_id`). */
  readonly arn: string;
  /** Resources a log group encrypted with the key must depend on. @default none */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** Props of {@link EncryptionKey}. */
export interface EncryptionKeyProps {
  /** The stack's name: the key's alias is `alias/<name>` and its description names it. */
  readonly name: string;
  /**
   * Days between automatic rotations of the key material (90-2560).
   * @default 365
   */
  readonly rotationPeriodDays?: number;
  /**
   * Days a scheduled deletion waits, during which it can be cancelled (7-30).
   * @default 30
   */
  readonly deletionWindowDays?: number;
}

/**
 * A customer managed KMS key for the stack's data at rest (`encryption.kmsKey: "create"`): the
 * grants table, the log groups and the authorizer's environment. Symmetric, rotated
 * automatically, deletion after the longest window, an alias `alias/<name>`.
 *
 * Its key policy (a separate `aws_kms_key_policy`, because the account, region and partition are
 * read from the key's own ARN: the stack makes no account lookup, so it plans without an AWS
 * account) lets:
 * - the account (`arn:<partition>:iam::<account>:root`) administer and use the key, which is what
 *   lets IAM policies grant its use: the deployer creating the table and the function (DynamoDB and
 *   Lambda create grants for the caller) and the authorizer's role (`kms:Decrypt`);
 * - CloudWatch Logs of the key's region (`logs.<region>.amazonaws.com`) encrypt and decrypt, only
 *   for log groups of this account and region (an `ArnLike` condition on the
 *   `kms:EncryptionContext:aws:logs:arn` encryption context).
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys.html
 */
export class EncryptionKey extends Construct {
  /** The `aws_kms_key` resource. */
  readonly key: KmsKey;
  /** The `aws_kms_key_policy` resource. */
  readonly policy: KmsKeyPolicy;
  /** The key as the table, the function and the log groups use it. */
  readonly use: KmsKeyUse;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, "key", {
      description: `scopegate ${props.name}: grants table, log groups and authorizer environment`,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      rotationPeriodInDays: props.rotationPeriodDays ?? 365,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      isEnabled: true,
      multiRegion: false,
    });
    new KmsAlias(this, "alias", { name: `alias/${props.name}`, targetKeyId: this.key.keyId });

    const arnPart = (index: number) => Fn.element(Fn.split(":", this.key.arn), index);
    const partition = arnPart(1);
    const region = arnPart(3);
    const account = arnPart(4);
    this.policy = new KmsKeyPolicy(this, "policy", {
      keyId: this.key.keyId,
      bypassPolicyLockoutSafetyCheck: false,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdministersAndIamGrantsUse",
            Effect: "Allow",
            Principal: { AWS: `arn:${partition}:iam::${account}:root` },
            Action: "kms:*",
            Resource: "*",
          },
          {
            Sid: "CloudWatchLogsOfThisAccountAndRegion",
            Effect: "Allow",
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${account}:log-group:*` } },
          },
        ],
      }),
    });
    this.use = { arn: this.key.arn, dependsOn: [this.policy] };
  }
}
