import { ExpectedFinding, exampleTemplate, expected, findingsOf, resource, summarize } from "../fixtures";

const TABLE = "aws_dynamodb_table";
const PATH = "authorization-table/table";

type Case = [title: string, mutate: (tf: any) => void, finding: ExpectedFinding];

const cases: Case[] = [
  [
    "flags a table without point-in-time recovery",
    (tf) => delete resource(tf, TABLE, PATH).point_in_time_recovery,
    {
      rule: "SG-DYNAMODB-001",
      severity: "medium",
      type: TABLE,
      path: PATH,
      attribute: "point_in_time_recovery.enabled",
      detail: "point_in_time_recovery is not set (off): a bad write or a deleted grant cannot be rolled back",
    },
  ],
  [
    "flags a table without server-side encryption with KMS",
    (tf) => (resource(tf, TABLE, PATH).server_side_encryption.enabled = false),
    {
      rule: "SG-DYNAMODB-002",
      severity: "medium",
      type: TABLE,
      path: PATH,
      attribute: "server_side_encryption.enabled",
      detail:
        "server_side_encryption.enabled is false: the table uses an AWS owned key, whose use CloudTrail does not show and no key policy controls",
    },
  ],
  [
    "reports a table without a customer managed key at info while the stack uses none (as the example stands)",
    () => undefined,
    {
      rule: "SG-DYNAMODB-003",
      severity: "info",
      type: TABLE,
      path: PATH,
      attribute: "server_side_encryption.kms_key_arn",
      detail:
        'server_side_encryption.kms_key_arn is not set: the table uses the AWS managed key "aws/dynamodb", not a key this stack controls',
    },
  ],
  [
    "flags a table without a customer managed key at full severity once the stack declares one",
    (tf) => (tf.resource.aws_kms_key = { key: { enable_key_rotation: true } }),
    {
      rule: "SG-DYNAMODB-003",
      severity: "low",
      type: TABLE,
      path: PATH,
      attribute: "server_side_encryption.kms_key_arn",
      detail:
        'server_side_encryption.kms_key_arn is not set: the table uses the AWS managed key "aws/dynamodb", not a key this stack controls',
    },
  ],
];

describe("DynamoDB rules", () => {
  test.each(cases)("%s", (_title, mutate, finding) => {
    // GIVEN the synthesized example with one weakness
    const tf = exampleTemplate();
    mutate(tf);
    // WHEN the rule runs
    const findings = findingsOf(tf, finding.rule);
    // THEN it reports exactly that resource and attribute, at the rule's severity, with the message
    expect(summarize(findings)).toEqual([expected(tf, finding)]);
  });

  test("a table encrypted with a key of the stack passes every DynamoDB rule", () => {
    // GIVEN the example's table with a customer managed key
    const tf = exampleTemplate();
    resource(tf, TABLE, PATH).server_side_encryption.kms_key_arn = "${aws_kms_key.grants.arn}";
    // WHEN the DynamoDB rules run THEN none reports anything
    expect([...findingsOf(tf, "SG-DYNAMODB-001"), ...findingsOf(tf, "SG-DYNAMODB-002"), ...findingsOf(tf, "SG-DYNAMODB-003")]).toEqual([]);
  });
});
