import { evaluateStacks } from "../../checks/evaluate";
import { STACK, findingsOf, templateOf } from "./fixtures";
import { RULE_IDS } from "../../contracts/check-rules";

const ARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyZ";

/** The example attached to an existing pool. */
function attach(doc: Record<string, any>): void {
  doc.userPool = { existing: { arn: ARN }, domainPrefix: "scopegate-example-auth" };
  doc.users = doc.users.map((user: any) => ({ username: user.username, existing: true }));
}

/** The rules about the pool's own settings: every SG-USERPOOL rule. */
const POOL_RULES = RULE_IDS.filter((id) => id.startsWith("SG-USERPOOL-"));

describe("checks on a stack attached to an existing pool", () => {
  const tf = templateOf(attach);

  test("each rule about the pool's own settings says, at info, that it was not evaluated", () => {
    const findings = findingsOf(tf);
    const notEvaluated = findings.filter((finding) => finding.detail.includes("not evaluated"));
    expect(notEvaluated.map((finding) => finding.rule)).toEqual(POOL_RULES);
    for (const finding of notEvaluated) {
      expect(finding).toMatchObject({ severity: "info", attribute: "user_pool_id", path: `${STACK}/user-pool/domain` });
      expect(finding.detail).toContain("us-east-1_AbC123xyZ (userPool.existing)");
    }
  });

  test("the check passes the attached stack at every failing severity", () => {
    const report = evaluateStacks([{ name: STACK, template: tf, suppressions: [], checksFile: true }], "low");
    expect(report.failing).toEqual([]);
    expect(report.passed).toBe(true);
  });

  test("where the pool keeps its own domain, the findings sit on the resource server", () => {
    const noDomain = templateOf((doc) => {
      attach(doc);
      delete doc.userPool.domainPrefix;
    });
    const notEvaluated = findingsOf(noDomain).filter((finding) => finding.detail.includes("not evaluated"));
    expect(notEvaluated.map((finding) => [finding.rule, finding.severity, finding.path])).toEqual(
      POOL_RULES.map((rule) => [rule, "info", `${STACK}/resource-server-api.example.com/server`]),
    );
  });

  test("a stack that creates its pool gets no such finding", () => {
    expect(findingsOf(templateOf(() => undefined)).filter((finding) => finding.detail.includes("not evaluated"))).toEqual([]);
  });
});
