import { evaluateStack } from "../../../checks/evaluate";
import { exampleConfig, resourceAt, resourcesOf, synthStack } from "../../../testing/synth";

const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** Findings of the customer managed key rules on the example synthesized with `kmsKey`. */
function keyFindings(tf: unknown): [string, string, string][] {
  const result = evaluateStack({ name: "scopegate-example", template: tf, suppressions: [], checksFile: true });
  return result.findings
    .filter((f) => ["SG-DYNAMODB-003", "SG-LAMBDA-003", "SG-LOGS-002"].includes(f.rule))
    .map((f) => [f.rule, f.severity, f.path]);
}

describe("EncryptionKey (encryption.kmsKey)", () => {
  describe('"create"', () => {
    const { tf } = synthStack(exampleConfig((d) => (d.encryption = { kmsKey: "create" })));
    const key = resourceAt(tf, "aws_kms_key", "encryption-key/key");
    const keyName = Object.keys(resourcesOf(tf, "aws_kms_key"))[0];
    const keyRef = `\${aws_kms_key.${keyName}.arn}`;

    test("creates a symmetric key with rotation, the longest deletion window and an alias", () => {
      expect(key).toMatchObject({
        key_usage: "ENCRYPT_DECRYPT",
        customer_master_key_spec: "SYMMETRIC_DEFAULT",
        enable_key_rotation: true,
        rotation_period_in_days: 365,
        deletion_window_in_days: 30,
        multi_region: false,
      });
      expect(resourceAt(tf, "aws_kms_alias", "encryption-key/alias").name).toBe("alias/scopegate-example");
    });

    test("its policy lets the account administer it and CloudWatch Logs of the region use it for this account's log groups only", () => {
      // The account, region and partition are interpolations inside the JSON (their quotes unescaped
      // until Terraform evaluates them): escape them to read the document.
      const template: string = resourceAt(tf, "aws_kms_key_policy", "encryption-key/policy").policy;
      const policy = JSON.parse(template.replace(/\$\{[^}]*\}/g, (interpolation) => interpolation.replace(/"/g, '\\"')));
      const arnPart = (i: number) => `\${element(split(":", aws_kms_key.${keyName}.arn), ${i})}`;
      expect(policy.Statement).toEqual([
        {
          Sid: "AccountAdministersAndIamGrantsUse",
          Effect: "Allow",
          Principal: { AWS: expect.stringMatching(/^arn:\$\{.*1\)\}:iam::\$\{.*4\)\}:root$/) },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "CloudWatchLogsOfThisAccountAndRegion",
          Effect: "Allow",
          Principal: { Service: expect.stringMatching(/^logs\.\$\{.*3\)\}\.amazonaws\.com$/) },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": expect.stringMatching(/^arn:\$\{.*\}:logs:\$\{.*\}:\$\{.*\}:log-group:\*$/) },
          },
        },
      ]);
      expect(policy.Statement[0].Principal.AWS).toBe(`arn:${arnPart(1)}:iam::${arnPart(4)}:root`);
      expect(policy.Statement[1].Principal.Service).toBe(`logs.${arnPart(3)}.amazonaws.com`);
    });

    test("the table, the function's environment and every log group use it; log groups wait for the key policy", () => {
      expect(resourceAt(tf, "aws_dynamodb_table", "authorization-table/table").server_side_encryption).toEqual({
        enabled: true,
        kms_key_arn: keyRef,
      });
      expect(resourceAt(tf, "aws_lambda_function", "authorizer/function").kms_key_arn).toBe(keyRef);
      const groups = Object.values(resourcesOf(tf, "aws_cloudwatch_log_group"));
      expect(groups).toHaveLength(3);
      for (const group of groups) {
        expect(group.kms_key_id).toBe(keyRef);
        expect(group.depends_on).toEqual([expect.stringMatching(/^aws_kms_key_policy\.encryption-key_policy_[0-9A-F]{8}$/)]);
      }
      const role = JSON.parse(resourceAt(tf, "aws_iam_role_policy", "authorizer/policy").policy);
      expect(role.Statement).toContainEqual({ Sid: "DecryptEnvironment", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [keyRef] });
    });

    test("leaves no customer managed key finding", () => {
      expect(keyFindings(tf)).toEqual([]);
    });

    test("once chosen, a resource left without it is a finding at full severity", () => {
      // GIVEN the stack with the key, but one log group without it
      const changed = JSON.parse(JSON.stringify(tf));
      delete resourceAt(changed, "aws_cloudwatch_log_group", "rest-api/access-logs").kms_key_id;
      // WHEN checked THEN that log group is reported at low, not info
      expect(keyFindings(changed)).toEqual([["SG-LOGS-002", "low", "scopegate-example/rest-api/access-logs"]]);
    });
  });

  test("an existing key's ARN is used as given, and no key is created", () => {
    const { tf } = synthStack(exampleConfig((d) => (d.encryption = { kmsKey: KEY_ARN })));
    expect(resourcesOf(tf, "aws_kms_key")).toEqual({});
    expect(resourceAt(tf, "aws_dynamodb_table", "authorization-table/table").server_side_encryption.kms_key_arn).toBe(KEY_ARN);
    expect(resourceAt(tf, "aws_lambda_function", "authorizer/function").kms_key_arn).toBe(KEY_ARN);
    expect(Object.values(resourcesOf(tf, "aws_cloudwatch_log_group")).map((g: any) => g.kms_key_id)).toEqual([KEY_ARN, KEY_ARN, KEY_ARN]);
    expect(keyFindings(tf)).toEqual([]);
  });

  test("by default (AWS managed keys) the key rules report at info", () => {
    const { tf } = synthStack();
    expect(new Set(keyFindings(tf).map(([, severity]) => severity))).toEqual(new Set(["info"]));
    expect(keyFindings(tf)).toHaveLength(5);
  });
});
