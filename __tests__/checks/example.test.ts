import { exampleConfig } from "../../testing/synth";
import { STACK, evaluate, exampleTemplate } from "./fixtures";

describe("the built-in example", () => {
  test("has no unexplained finding: every other finding is suppressed with a reason, and every suppression is used", () => {
    // GIVEN the example's Terraform and the suppressions of its configuration
    const { suppressions } = exampleConfig().checks;
    // WHEN every rule runs
    const result = evaluate(exampleTemplate(), suppressions);
    // THEN nothing remains, each suppression matched a finding, and each has a reason
    expect(result.findings.map((f) => [f.rule, f.path])).toEqual([]);
    expect(result.unusedSuppressions).toEqual([]);
    expect(result.suppressed.map((f) => [f.rule, f.severity, f.path.slice(STACK.length + 1)])).toEqual([
      ["SG-USERPOOL-007", "info", "user-pool/pool"],
      ["SG-DYNAMODB-003", "info", "authorization-table/table"],
      ["SG-LAMBDA-002", "info", "authorizer/function"],
      ["SG-LAMBDA-003", "info", "authorizer/function"],
      ["SG-LOGS-002", "info", "authorizer/logs"],
      ["SG-LOGS-002", "info", "rest-api/access-logs"],
      ["SG-LOGS-002", "info", "rest-api/execution-logs"],
      ["SG-IAM-003", "info", "rest-api/account-logging-policy"],
    ]);
    for (const finding of result.suppressed) expect(finding.suppression.reason.length).toBeGreaterThan(40);
  });

  test("suppresses nothing at high or critical severity", () => {
    // GIVEN the example and its suppressions WHEN evaluated
    const { suppressions } = exampleConfig().checks;
    const result = evaluate(exampleTemplate(), suppressions);
    // THEN every suppressed finding is medium or low
    expect(result.suppressed.filter((f) => f.severity === "high" || f.severity === "critical")).toEqual([]);
  });
});
