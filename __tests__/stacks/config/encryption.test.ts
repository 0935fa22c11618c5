import { parseConfig } from "../../../stacks/config/parse";
import { configIssues, exampleDocument } from "../../../testing/config";

const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function withKey(kmsKey: unknown): Record<string, any> {
  const doc = exampleDocument();
  doc.encryption = { kmsKey };
  return doc;
}

describe("encryption.kmsKey", () => {
  test("defaults to the AWS managed keys", () => {
    // GIVEN a configuration without an encryption section WHEN parsed THEN no customer managed key is used
    expect(parseConfig(exampleDocument(), "example").encryption).toEqual({ kmsKey: { type: "aws-managed" } });
    expect(parseConfig(withKey("aws-managed"), "x").encryption).toEqual({ kmsKey: { type: "aws-managed" } });
  });

  test('"create" and an existing key\'s ARN are read as such', () => {
    expect(parseConfig(withKey("create"), "x").encryption).toEqual({ kmsKey: { type: "create" } });
    expect(parseConfig(withKey(KEY_ARN), "x").encryption).toEqual({ kmsKey: { type: "existing", arn: KEY_ARN } });
    const multiRegion = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    expect(parseConfig(withKey(multiRegion), "x").encryption.kmsKey).toEqual({ type: "existing", arn: multiRegion });
  });

  test.each([
    ["an alias", "arn:aws:kms:us-east-1:111122223333:alias/my-key"],
    ["a key id without ARN", "1234abcd-12ab-34cd-56ef-1234567890ab"],
    ["another service's ARN", "arn:aws:s3:::my-bucket"],
    ["a misspelt choice", "created"],
    ["a non-string", true],
  ])("fails when the value is %s, naming the field, the value and what is allowed", (_what, value) => {
    expect(configIssues(withKey(value))).toEqual([
      {
        path: "encryption.kmsKey",
        message: `must be "aws-managed" (the default), "create", or the ARN of an existing KMS key ("arn:aws:kms:<region>:<account id>:key/<key id>"; an alias is not accepted), got ${JSON.stringify(value)}`,
      },
    ]);
  });

  test("fails when the key is in another region than the stack", () => {
    const arn = KEY_ARN.replace("us-east-1", "eu-west-1");
    expect(configIssues(withKey(arn))).toEqual([
      {
        path: "encryption.kmsKey",
        message:
          'the key is in eu-west-1 but the stack\'s region is us-east-1; DynamoDB, Lambda and CloudWatch Logs use a key of their own region: name a key in us-east-1, or "create"',
      },
    ]);
  });

  test("fails on an unknown field of the section", () => {
    const doc = exampleDocument();
    doc.encryption = { kmsKey: "create", rotation: true };
    expect(configIssues(doc)).toEqual([{ path: "encryption.rotation", message: "unknown field; allowed fields here: kmsKey" }]);
  });
});
