import { RuleId, Suppression, UNSUPPRESSIBLE_RULE_IDS, isRuleId } from "../contracts/check-rules";
import { CheckError } from "./errors";
import { FailingSeverity, Severity, atOrAbove, compareSeverity } from "../core/severity";
import { Rule } from "./rule";
import { RULES } from "./rules";
import { StackTemplate } from "../core/terraform-json/document";

/** One stack of a synthesized output, ready to check. */
export interface StackInput {
  /** The stack's name (its folder under `stacks/`). */
  readonly name: string;
  /** The parsed `cdk.tf.json`. */
  readonly template: unknown;
  /** The suppressions the stack carried into its output. */
  readonly suppressions: readonly Suppression[];
  /** Whether the stack's output has a `scopegate-checks.json` (a stack made by scopegate always has). */
  readonly checksFile: boolean;
  /** Other files of the stack's folder that Terraform reads with `cdk.tf.json` (a synth writes none). @default none */
  readonly otherTerraformFiles?: readonly string[];
}

/** A rule violated by one resource. */
export interface Finding {
  readonly rule: RuleId;
  readonly severity: Severity;
  /** The rule's title. */
  readonly title: string;
  readonly stack: string;
  /** Construct path, e.g. `my-stack/rest-api/stage`. */
  readonly path: string;
  /** Terraform address, e.g. `aws_api_gateway_stage.rest-api_stage_E5106009`. */
  readonly address: string;
  /** The attribute at fault. */
  readonly attribute: string;
  /** What is wrong, starting with the attribute and the value found. */
  readonly detail: string;
  /** `<path> (<address>): <detail>`. */
  readonly message: string;
  /** How to fix it; for an `info` finding, what to set if the organisation requires it. */
  readonly fix: string;
}

/** A finding accepted on purpose, with the suppression that accepts it. */
export interface SuppressedFinding extends Finding {
  readonly suppression: Suppression;
}

/** The outcome for one stack. */
export interface StackResult {
  readonly stack: string;
  /** Unsuppressed findings, most severe first. */
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Suppressions that matched no finding: stale, or a mistyped rule or path. */
  readonly unusedSuppressions: readonly Suppression[];
  readonly checksFile: boolean;
}

/** The outcome for a whole output folder. */
export interface CheckReport {
  /** Findings at or above this severity fail the check (never `info`). */
  readonly failOn: FailingSeverity;
  readonly ruleCount: number;
  readonly stacks: readonly StackResult[];
  /** Unsuppressed findings at or above `failOn`, across stacks. */
  readonly failing: readonly Finding[];
  readonly passed: boolean;
}

/**
 * Runs every rule over one stack and applies its suppressions.
 *
 * @throws CheckError `ERR_CHECK_UNKNOWN_RULE` when a suppression names an unknown rule, and
 *   `ERR_CHECK_RULE_FAILED` when a rule throws (a bug, never a finding)
 */
export function evaluateStack(input: StackInput, rules: readonly Rule[] = RULES): StackResult {
  input.suppressions.forEach((suppression, index) => {
    if (!isRuleId(suppression.rule)) {
      throw new CheckError(
        "ERR_CHECK_UNKNOWN_RULE",
        `stack ${input.name}: suppressions[${index}].rule ${JSON.stringify(suppression.rule)} is not a known rule; run "npm run check -- --rules" for the list`,
      );
    }
  });
  const template = new StackTemplate(input.name, input.template, input.otherTerraformFiles);
  const order = new Map(rules.map((rule, index) => [rule.id, index]));
  const findings = rules
    .flatMap((rule) => findingsOf(rule, template))
    .sort(
      (a, b) =>
        compareSeverity(a.severity, b.severity) || (order.get(a.rule) ?? 0) - (order.get(b.rule) ?? 0) || a.path.localeCompare(b.path),
    );

  const used = new Set<Suppression>();
  const open: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const unsuppressible = new Set<string>(UNSUPPRESSIBLE_RULE_IDS);
  for (const finding of findings) {
    const suppression = unsuppressible.has(finding.rule)
      ? undefined
      : input.suppressions.find((s) => s.rule === finding.rule && covers(s.resource, input.name, finding.path));
    if (suppression === undefined) {
      open.push(finding);
    } else {
      used.add(suppression);
      suppressed.push({ ...finding, suppression });
    }
  }
  return {
    stack: input.name,
    findings: open,
    suppressed,
    unusedSuppressions: input.suppressions.filter((s) => !used.has(s)),
    checksFile: input.checksFile,
  };
}

/**
 * Checks every stack of an output and decides pass or fail.
 *
 * @param failOn findings at or above this severity fail the check
 */
export function evaluateStacks(stacks: readonly StackInput[], failOn: FailingSeverity, rules: readonly Rule[] = RULES): CheckReport {
  const results = stacks.map((stack) => evaluateStack(stack, rules));
  const failing = results.flatMap((result) => result.findings.filter((finding) => atOrAbove(finding.severity, failOn)));
  return { failOn, ruleCount: rules.length, stacks: results, failing, passed: failing.length === 0 };
}

/**
 * Whether a suppression's `resource` covers a construct path: equal to it, or a prefix of it
 * ending at a `/`, written with or without the stack name in front.
 */
export function covers(resource: string, stack: string, path: string): boolean {
  const prefix = resource.replace(/\/+$/, "");
  if (prefix === "") return false;
  const relative = path.startsWith(`${stack}/`) ? path.slice(stack.length + 1) : undefined;
  return [path, relative].some((candidate) => candidate !== undefined && (candidate === prefix || candidate.startsWith(`${prefix}/`)));
}

function findingsOf(rule: Rule, template: StackTemplate): Finding[] {
  let violations;
  try {
    violations = rule.check(template);
  } catch (error) {
    throw new CheckError(
      "ERR_CHECK_RULE_FAILED",
      `rule ${rule.id} failed on stack ${template.stack}: ${(error as Error).message ?? String(error)} (a bug in checks/rules, not a finding)`,
    );
  }
  return violations.map(({ resource, attribute, detail, ifRequired }) => ({
    rule: rule.id,
    severity: ifRequired === undefined ? rule.severity : "info",
    title: rule.title,
    stack: template.stack,
    path: resource.path,
    address: resource.address,
    attribute,
    detail,
    message: `${resource.path === resource.address ? resource.address : `${resource.path} (${resource.address})`}: ${detail}`,
    fix: ifRequired ?? rule.fix,
  }));
}
