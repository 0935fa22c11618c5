import { evaluateStack } from "../../checks/evaluate";
import { parseConfigs } from "../../stacks/config/environments";
import { parseConfig } from "../../stacks/config/parse";
import { configIssues, exampleDocument } from "../../testing/config";
import { exampleConfig, synthStack } from "../../testing/synth";

/** The issues a configuration is refused with (fails the test if it parses). */
function issuesOf(mutate: (doc: Record<string, any>) => void): { path: string; message: string }[] {
  const doc = exampleDocument();
  mutate(doc);
  return configIssues(doc);
}

const suppression = { rule: "SG-LAMBDA-002", resource: "authorizer/function", reason: "left to the account pool in this test" };

describe("checks.suppressions in the configuration", () => {
  test("a configuration without checks has no suppressions", () => {
    // GIVEN the example without its checks section WHEN parsed THEN there are no suppressions
    const doc = exampleDocument();
    delete doc.checks;
    expect(parseConfig(doc, "test").checks).toEqual({ suppressions: [] });
  });

  test("valid suppressions are kept as written", () => {
    // GIVEN one suppression WHEN parsed THEN it is kept
    const config = exampleConfig((d) => (d.checks = { suppressions: [suppression] }));
    expect(config.checks.suppressions).toEqual([suppression]);
  });

  test.each<[string, (s: Record<string, unknown>) => void, string, string]>([
    [
      "fails when a suppression has no reason",
      (s) => delete s.reason,
      "checks.suppressions[0].reason",
      "is required (why the finding is acceptable here)",
    ],
    [
      "fails when a reason is blank",
      (s) => (s.reason = "   "),
      "checks.suppressions[0].reason",
      "must say why the finding is acceptable here, got an empty reason",
    ],
    [
      "fails when a suppression names an unknown rule",
      (s) => (s.rule = "SG-APIGW-999"),
      "checks.suppressions[0].rule",
      'unknown rule "SG-APIGW-999"; known rules: SG-APIGW-001, SG-APIGW-002',
    ],
    [
      "fails when a suppression names a rule no suppression can accept (SG-TF-001: the output must never be planned)",
      (s) => (s.rule = "SG-TF-001"),
      "checks.suppressions[0].rule",
      '"SG-TF-001" cannot be suppressed: its finding means the synth output must not be planned at all (a scopegate synth never writes one); remove this suppression',
    ],
    [
      "fails when a suppression has no rule",
      (s) => delete s.rule,
      "checks.suppressions[0].rule",
      'is required (a rule id such as "SG-LAMBDA-002")',
    ],
    [
      "fails when a resource has a wildcard",
      (s) => (s.resource = "authorizer/*"),
      "checks.suppressions[0].resource",
      'must match a construct path such as "authorizer/function", or a prefix of one at a "/"; no wildcards, got "authorizer/*"',
    ],
    [
      "fails when a field is misspelt",
      (s) => (s.resourse = "x"),
      "checks.suppressions[0].resourse",
      "unknown field; allowed fields here: rule, resource, reason",
    ],
  ])("%s", (_title, change, path, message) => {
    // GIVEN one suppression with a mistake
    const issues = issuesOf((d) => {
      const s: Record<string, unknown> = { ...suppression };
      change(s);
      d.checks = { suppressions: [s] };
    });
    // WHEN parsed THEN the problem is reported at its path, with the value and what is allowed
    expect(issues).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  test("fails when the same suppression appears twice", () => {
    // GIVEN one suppression listed twice WHEN parsed THEN the second is reported
    const issues = issuesOf((d) => (d.checks = { suppressions: [suppression, { ...suppression, reason: "again" }] }));
    expect(issues).toEqual([
      {
        path: "checks.suppressions[1]",
        message: 'duplicate suppression "SG-LAMBDA-002 on authorizer/function" (also at index 0); suppressions must be unique',
      },
    ]);
  });

  test("fails when checks is not an object", () => {
    // GIVEN a list where the section belongs WHEN parsed THEN it is reported with the value
    expect(issuesOf((d) => (d.checks = []))).toEqual([{ path: "checks", message: "must be an object, got []" }]);
  });
});

describe("suppressions across environments", () => {
  test("paths written without the stack name apply to every environment's stack; one an environment no longer needs is listed", () => {
    // GIVEN the example as two environments, prod reserving the authorizer's concurrency
    const doc = exampleDocument();
    doc.environments = { dev: {}, prod: { authorizer: { reservedConcurrency: 50 } } };
    // WHEN each environment's stack is checked with the suppressions it carries
    const results = parseConfigs(doc, "envs.json").map((config) =>
      evaluateStack({ name: config.name, template: synthStack(config).tf, suppressions: config.checks.suppressions, checksFile: true }),
    );
    // THEN the suppressions match in both stacks, and prod's unneeded SG-LAMBDA-002 suppression is reported as unused
    expect(results.map((r) => [r.stack, r.suppressed.length, r.unusedSuppressions.map((s) => s.rule)])).toEqual([
      ["scopegate-example-dev", 8, []],
      ["scopegate-example-prod", 7, ["SG-LAMBDA-002"]],
    ]);
    expect(results[1].suppressed.map((f) => f.path)).toContain("scopegate-example-prod/authorizer/function");
  });
});
