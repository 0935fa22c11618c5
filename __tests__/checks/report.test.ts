import { evaluateStacks } from "../../checks/evaluate";
import { formatRules, formatText, toJson } from "../../checks/report";
import { RULES } from "../../checks/rules";

/** One stack with a log group lacking retention (medium) and a key (low, suppressed), and one stale suppression. */
function report(failOn: "low" | "high") {
  const template = { resource: { aws_cloudwatch_log_group: { logs: { "//": { metadata: { path: "app/logs" } }, name: "/app" } } } };
  const suppressions = [
    { rule: "SG-LOGS-002", resource: "logs", reason: "holds no personal data" },
    { rule: "SG-LAMBDA-002", resource: "gone", reason: "stale" },
  ];
  return evaluateStacks([{ name: "app", template, suppressions, checksFile: true }], failOn);
}

describe("the text report", () => {
  test("groups findings by stack and severity with counts, lists suppressed findings with reasons and stale suppressions, then the verdict", () => {
    // GIVEN a stack with one open finding, one suppressed and one stale suppression WHEN reported
    const text = formatText(report("low"), "cdktf.out");
    // THEN every part is there, in that order
    expect(text.split("\n")).toEqual([
      `scopegate checks of cdktf.out: 1 stack, ${RULES.length} rules, failing on low or above`,
      "",
      "Stack app: 1 finding (0 critical, 0 high, 1 medium, 0 low, 0 info), 1 suppressed",
      "",
      "  MEDIUM (1)",
      "    SG-LOGS-001 Log groups expire their events",
      "      app/logs (aws_cloudwatch_log_group.logs): retention_in_days is not set: events are kept forever, with the principals and source addresses they name",
      "      fix: Set retention_in_days on the aws_cloudwatch_log_group (scopegate: api.logRetentionDays, authorizer.logRetentionDays).",
      "",
      "  Suppressed (1)",
      "    SG-LOGS-002 (info) app/logs: kms_key_id",
      "      reason: holds no personal data",
      "",
      "  Suppressions that match no finding (1): remove them, or correct the rule or resource",
      '    SG-LAMBDA-002 on "gone"',
      "",
      "FAILED: 1 unsuppressed finding at low or above (0 critical, 0 high, 1 medium, 0 low).",
      "",
    ]);
  });

  test("a pass below the threshold still counts what it let through", () => {
    // GIVEN the same stack checked at --fail-on high WHEN reported THEN the verdict names the medium finding it let pass
    expect(formatText(report("high"), "out").trimEnd().split("\n").pop()).toBe(
      "PASSED: no unsuppressed finding at high or above; 1 below it (0 critical, 0 high, 1 medium, 0 low); 1 suppressed with a reason.",
    );
  });
});

describe("the JSON report", () => {
  test("holds the verdict, counts, findings, suppressed findings with their suppression, and stale suppressions", () => {
    // GIVEN the same stack WHEN reported as JSON
    const json = JSON.parse(JSON.stringify(toJson(report("low"), "cdktf.out")));
    // THEN machines get the same content
    expect(json).toMatchObject({
      outdir: "cdktf.out",
      failOn: "low",
      passed: false,
      failing: 1,
      stacks: [
        {
          stack: "app",
          checksFile: true,
          counts: { critical: 0, high: 0, medium: 1, low: 0 },
          findings: [
            {
              rule: "SG-LOGS-001",
              severity: "medium",
              path: "app/logs",
              address: "aws_cloudwatch_log_group.logs",
              attribute: "retention_in_days",
            },
          ],
          suppressed: [{ rule: "SG-LOGS-002", suppression: { reason: "holds no personal data" } }],
          unusedSuppressions: [{ rule: "SG-LAMBDA-002", resource: "gone", reason: "stale" }],
        },
      ],
    });
  });
});

describe("the rule list", () => {
  test("names every rule with its severity, fix and references", () => {
    // GIVEN the catalogue WHEN listed THEN each rule has three lines
    const lines = formatRules(RULES).trimEnd().split("\n");
    expect(lines).toHaveLength(RULES.length * 3);
    expect(lines[0]).toBe("SG-APIGW-001 (critical) Every API method requires authorization");
    expect(lines[2]).toBe("  see: checkov CKV_AWS_59; trivy AVD-AWS-0004");
  });
});
