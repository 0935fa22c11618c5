import { show } from "../errors";
import { EncryptionConfig, KmsKeyChoice } from "../model";
import { Reader } from "../reader";
import { KMS_KEY_ARN } from "../rules";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";

const DEFAULT_KEY: KmsKeyChoice = { type: CONFIGURATION_DEFAULTS.encryption.kmsKey };

/** The `encryption` section: which KMS key encrypts the table, the log groups and the function's environment. */
export function readEncryption(r: Reader, value: unknown, region: string): EncryptionConfig {
  if (value === undefined) return { kmsKey: DEFAULT_KEY };
  const o = r.object(value, "encryption", ["kmsKey"]) ?? {};
  const key = o.kmsKey;
  if (key === undefined) return { kmsKey: DEFAULT_KEY };
  if (key === "aws-managed") return { kmsKey: { type: "aws-managed" } };
  if (key === "create") return { kmsKey: { type: "create" } };
  const match = typeof key === "string" ? KMS_KEY_ARN.pattern.exec(key) : null;
  if (match === null) {
    r.report("encryption.kmsKey", `must be "aws-managed" (the default), "create", or ${KMS_KEY_ARN.hint}, got ${show(key)}`);
    return { kmsKey: { type: "aws-managed" } };
  }
  if (match[1] !== region) {
    r.report(
      "encryption.kmsKey",
      `the key is in ${match[1]} but the stack's region is ${region}; DynamoDB, Lambda and CloudWatch Logs use a key of their own region: name a key in ${region}, or "create"`,
    );
  }
  return { kmsKey: { type: "existing", arn: key as string } };
}
