import { exampleTemplate, expected, findingsOf, minimalTemplate, resource, summarize } from "../fixtures";

const POLICY = "aws_iam_role_policy";
const PATH = "authorizer/policy";

/** Changes the example authorizer role's policy document. */
function editPolicy(tf: any, edit: (document: any) => void): void {
  const policy = resource(tf, POLICY, PATH);
  const document = JSON.parse(policy.policy);
  edit(document);
  policy.policy = JSON.stringify(document);
}

describe("IAM rules", () => {
  test("flags a wildcard action", () => {
    // GIVEN the authorizer's grant read widened to every DynamoDB action
    const tf = exampleTemplate();
    editPolicy(tf, (d) => (d.Statement[0].Action = ["dynamodb:*"]));
    // WHEN the rule runs
    const findings = findingsOf(tf, "SG-IAM-001");
    // THEN the statement's Action is reported
    expect(summarize(findings)).toEqual([
      expected(tf, {
        rule: "SG-IAM-001",
        severity: "high",
        type: POLICY,
        path: PATH,
        attribute: 'policy Statement[0] (Sid "ReadGrants").Action',
        detail: 'policy Statement[0] (Sid "ReadGrants").Action allows "dynamodb:*": every matching action, including ones AWS adds later',
      }),
    ]);
  });

  test("flags Allow with NotAction", () => {
    // GIVEN a statement that allows everything but one action
    const tf = exampleTemplate();
    let index = -1;
    editPolicy(tf, (d) => (index = d.Statement.push({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) - 1));
    // WHEN the rule runs
    const findings = findingsOf(tf, "SG-IAM-001");
    // THEN the NotAction is reported
    expect(findings.map((f) => f.detail)).toEqual([
      `policy Statement[${index}].NotAction with Effect "Allow" allows every action except the ones listed`,
    ]);
  });

  test("flags a wildcard resource for an action with resource-level permissions, and names only that action", () => {
    // GIVEN the tracing statement also allowed to read any table
    const tf = exampleTemplate();
    editPolicy(tf, (d) => d.Statement[2].Action.push("dynamodb:GetItem"));
    // WHEN the rule runs
    const findings = findingsOf(tf, "SG-IAM-002");
    // THEN the statement's Resource is reported for the DynamoDB action only
    expect(summarize(findings)).toEqual([
      expected(tf, {
        rule: "SG-IAM-002",
        severity: "high",
        type: POLICY,
        path: PATH,
        attribute: 'policy Statement[2] (Sid "Tracing").Resource',
        detail: 'policy Statement[2] (Sid "Tracing").Resource is "*" for "dynamodb:GetItem", which can be limited to named resources',
      }),
    ]);
  });

  test('accepts "*" for the X-Ray actions, which have no resource-level permissions', () => {
    // GIVEN the synthesized example (its Tracing statement has Resource "*")
    const tf = exampleTemplate();
    // WHEN the wildcard rules run THEN they report nothing
    expect([...findingsOf(tf, "SG-IAM-001"), ...findingsOf(tf, "SG-IAM-002")]).toEqual([]);
  });

  test("reports the account-wide logging role's AWS managed policy at info: the account owner's decision", () => {
    // GIVEN the synthesized example WHEN the rule runs
    const tf = exampleTemplate();
    const findings = findingsOf(tf, "SG-IAM-003");
    // THEN the account logging role's attachment is reported, at info, saying what to set if required
    expect(findings.map((f) => f.fix)).toEqual([
      expect.stringMatching(/^If your organisation forbids AWS managed policies, set api\.manageAccountLoggingRole false/),
    ]);
    expect(summarize(findings)).toEqual([
      expected(tf, {
        rule: "SG-IAM-003",
        severity: "info",
        type: "aws_iam_role_policy_attachment",
        path: "rest-api/account-logging-policy",
        attribute: "policy_arn",
        detail:
          'policy_arn attaches the AWS managed policy "AmazonAPIGatewayPushToCloudWatchLogs": its permissions are not in this plan, are written for every account, and change when AWS changes them',
      }),
    ]);
  });

  test("flags an administrator policy (a minimal cdk.tf.json without construct paths)", () => {
    // GIVEN a role that carries AdministratorAccess in its deprecated managed_policy_arns
    const tf = minimalTemplate({ aws_iam_role: { admin: { managed_policy_arns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } } });
    // WHEN the rules run
    const admin = findingsOf(tf, "SG-IAM-004");
    // THEN it is critical, named by its address, and not also reported as an ordinary managed policy
    expect(admin.map(({ rule, severity, path, message }) => ({ rule, severity, path, message }))).toEqual([
      {
        rule: "SG-IAM-004",
        severity: "critical",
        path: "aws_iam_role.admin",
        message: 'aws_iam_role.admin: managed_policy_arns[0] attaches "AdministratorAccess": administrator-level access to the account',
      },
    ]);
    expect(findingsOf(tf, "SG-IAM-003")).toEqual([]);
  });

  test("reads aws_iam_policy_document data sources", () => {
    // GIVEN a policy document data source with a wildcard action on every resource
    const tf = { data: { aws_iam_policy_document: { doc: { statement: [{ actions: ["s3:*"], resources: ["*"] }] } } } };
    // WHEN the wildcard rules run THEN both report the statement by its data source address
    expect([...findingsOf(tf, "SG-IAM-001"), ...findingsOf(tf, "SG-IAM-002")].map((f) => f.message)).toEqual([
      'data.aws_iam_policy_document.doc: statement[0].actions allows "s3:*": every matching action, including ones AWS adds later',
      'data.aws_iam_policy_document.doc: statement[0].resources is "*" for "s3:*", which can be limited to named resources',
    ]);
  });

  test("treats a policy that is one interpolation, or not JSON, as unknown", () => {
    // GIVEN policies Terraform computes
    const tf = minimalTemplate({
      aws_iam_policy: {
        computed: { policy: "${data.aws_iam_policy_document.doc.json}" },
        encoded: { policy: '${jsonencode({Statement = [{Action = "*"}]})}' },
      },
    });
    // WHEN every IAM rule runs THEN none reports anything
    expect(["SG-IAM-001", "SG-IAM-002", "SG-IAM-003", "SG-IAM-004"].flatMap((id) => findingsOf(tf, id as "SG-IAM-001"))).toEqual([]);
  });
});

describe("SG-IAM-005: no role may write the grants table, but for the authorizer's failed sign-in counters", () => {
  const counters = (d: any) => d.Statement.find((statement: any) => statement.Sid === "CountFailedSignIns");

  test("accepts the authorizer's UpdateItem of lockout# keys, as synthesized", () => {
    const tf = exampleTemplate();
    expect(counters(JSON.parse(resource(tf, POLICY, PATH).policy))).toBeDefined();
    expect(findingsOf(tf, "SG-IAM-005")).toEqual([]);
  });

  test.each([
    ["UpdateItem without the condition", (d: any) => delete counters(d).Condition],
    ["the condition on every key", (d: any) => (counters(d).Condition["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] = ["*"])],
    [
      "the condition on ForAnyValue (one counter key would let the rest through)",
      (d: any) => {
        counters(d).Condition = { "ForAnyValue:StringLike": { "dynamodb:LeadingKeys": ["lockout#*"] } };
      },
    ],
    [
      "a grant key next to the counters",
      (d: any) => counters(d).Condition["ForAllValues:StringLike"]["dynamodb:LeadingKeys"].push("user#*"),
    ],
    ["PutItem on the table in the grants read", (d: any) => d.Statement[0].Action.push("dynamodb:PutItem")],
    ["dynamodb:*Item on every resource", (d: any) => d.Statement.push({ Effect: "Allow", Action: "dynamodb:*Item", Resource: "*" })],
  ])("flags %s", (_title, edit) => {
    const tf = exampleTemplate();
    editPolicy(tf, edit);
    const findings = findingsOf(tf, "SG-IAM-005");
    expect(findings).toHaveLength(1);
    expect(findings[0]!.detail).toMatch(/can write grants/);
  });

  test("accepts a write to another service's resource, and reads of the table", () => {
    const tf = exampleTemplate();
    editPolicy(tf, (d) => d.Statement.push({ Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:Query"], Resource: "*" }));
    expect(findingsOf(tf, "SG-IAM-005")).toEqual([]);
  });
});
