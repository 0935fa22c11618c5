import { evaluateStacks } from "../../checks/evaluate";
import { STACK, findingsOf, templateOf } from "./fixtures";

/** The example adopting every Cognito resource it configures. */
function adopt(doc: Record<string, any>): void {
  doc.adopt = {
    userPoolId: "us-east-1_AbC123xyZ",
    domain: true,
    resourceServers: ["api.example.com"],
    clients: { web: "webclient123", machine: "machineclient123", legacy: "legacyclient123" },
    groups: ["readers", "writers"],
    users: ["alice", "bob", "svc-reports"],
  };
}

describe("checks on a stack with import blocks (adopt)", () => {
  const tf = templateOf(adopt);

  test("the import blocks are there, and the check finds exactly what it finds without them", () => {
    expect(tf.import.length).toBeGreaterThan(0);
    const summary = (template: unknown) => findingsOf(template).map((f) => `${f.rule} ${f.path} ${f.attribute}`);
    expect(summary(tf)).toEqual(summary(templateOf(() => undefined)));
    const report = evaluateStacks([{ name: STACK, template: tf, suppressions: [], checksFile: true }], "low");
    expect(report.failing.filter((f) => f.severity !== "info")).toEqual([]);
  });

  test("import blocks are read, not skipped: an expression in an import id fails SG-TF-001", () => {
    const edited = templateOf(adopt);
    edited.import[0].id = '${file("/etc/hostname")}';
    const findings = findingsOf(edited, "SG-TF-001");
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe("critical");
    expect(`${findings[0]!.address} ${findings[0]!.attribute}`).toMatch(/import/);
  });
});
