import { STACK, addressOf, exampleTemplate, expected, findingsOf, resource, summarize } from "../fixtures";

const LOG_GROUP = "aws_cloudwatch_log_group";

describe("CloudWatch Logs rules", () => {
  test("flags a log group without retention", () => {
    // GIVEN the example's access log group without retention
    const tf = exampleTemplate();
    delete resource(tf, LOG_GROUP, "rest-api/access-logs").retention_in_days;
    // WHEN the rule runs
    const findings = findingsOf(tf, "SG-LOGS-001");
    // THEN it reports that log group
    expect(summarize(findings)).toEqual([
      expected(tf, {
        rule: "SG-LOGS-001",
        severity: "medium",
        type: LOG_GROUP,
        path: "rest-api/access-logs",
        attribute: "retention_in_days",
        detail: "retention_in_days is not set: events are kept forever, with the principals and source addresses they name",
      }),
    ]);
  });

  test("reports log groups without a customer managed key at info while the stack uses none (as the example stands)", () => {
    // GIVEN the synthesized example WHEN the rule runs
    const tf = exampleTemplate();
    const findings = findingsOf(tf, "SG-LOGS-002");
    // THEN every log group is reported, in path order, at info, saying what to set if required
    const detail = "kms_key_id is not set: CloudWatch Logs encrypts with a key of its own, not one this stack controls";
    expect(summarize(findings)).toEqual(
      ["authorizer/logs", "rest-api/access-logs", "rest-api/execution-logs"].map((path) =>
        expected(tf, { rule: "SG-LOGS-002", severity: "info", type: LOG_GROUP, path, attribute: "kms_key_id", detail }),
      ),
    );
    expect(new Set(findings.map((f) => f.fix))).toEqual(new Set([expect.stringContaining('set encryption.kmsKey to "create"')]));
  });

  test("a log group with a key of the stack passes", () => {
    // GIVEN the access log group with kms_key_id
    const tf = exampleTemplate();
    resource(tf, LOG_GROUP, "rest-api/access-logs").kms_key_id = "${aws_kms_key.logs.arn}";
    // WHEN the rule runs THEN only the other log groups are reported, at full severity: the stack chose a key
    expect(findingsOf(tf, "SG-LOGS-002").map((f) => [f.path, f.address, f.severity])).toEqual([
      [`${STACK}/authorizer/logs`, addressOf(tf, LOG_GROUP, "authorizer/logs"), "low"],
      [`${STACK}/rest-api/execution-logs`, addressOf(tf, LOG_GROUP, "rest-api/execution-logs"), "low"],
    ]);
  });
});
