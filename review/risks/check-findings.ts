/**
 * The review is the check's diff plus what only a change can show: every `npm run check` finding
 * that is new or more severe in the head is a review flag under the check's rule id; a finding the
 * head suppresses with a reason is shown as accepted and not counted. Where one of the review's own
 * rules speaks of the same change (`RiskRule.checkRules`, same stack and resource), the two become
 * one flag at the higher severity, and its summary says so.
 *
 * @packageDocumentation
 */
import { evaluateStack, type Finding, type SuppressedFinding } from "../../checks/evaluate";
import { compareSeverity } from "../../core/severity";
import type { SynthOutput } from "../load";
import type { AcceptedFinding, RiskFlag } from "../model";
import { RISK_RULES } from "./rules";

/** What the check's diff adds to a review. */
export interface CheckDiff {
  /** Findings new or more severe in the head, as flags (not yet merged with the review's own). */
  readonly flags: readonly RiskFlag[];
  /** Findings the head suppresses with a reason, that the base did not accept already at that severity or above. */
  readonly accepted: readonly AcceptedFinding[];
}

const key = (finding: Pick<Finding, "stack" | "rule" | "address" | "attribute">) =>
  `${finding.stack}\u0000${finding.rule}\u0000${finding.address}\u0000${finding.attribute}`;

/** The check's findings of every stack of an output, unsuppressed and suppressed. */
function evaluate(output: SynthOutput): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const [name, template] of output.stacks) {
    const files = output.checks?.get(name) ?? { suppressions: [], checksFile: false };
    const result = evaluateStack({ name, template, ...files });
    findings.push(...result.findings);
    suppressed.push(...result.suppressed);
  }
  return { findings, suppressed };
}

/** A construct path as the review shows it: without the stack's name in front. */
function reviewPath(stack: string, path: string): string {
  return path.startsWith(`${stack}/`) ? path.slice(stack.length + 1) : path;
}

/** The findings of `head` that `base` lacks, or holds at a lower severity. */
function newOrWorse<T extends Finding>(head: readonly T[], base: readonly Finding[]): T[] {
  const was = new Map(base.map((finding) => [key(finding), finding.severity]));
  return head.filter((finding) => {
    const before = was.get(key(finding));
    return before === undefined || compareSeverity(finding.severity, before) < 0;
  });
}

/** What a review flag and an accepted finding say of a check finding: rule, severity, place, summary. */
function where(finding: Finding): Omit<RiskFlag, "why"> {
  return {
    rule: finding.rule,
    severity: finding.severity,
    stack: finding.stack,
    path: reviewPath(finding.stack, finding.path),
    address: finding.address,
    attribute: finding.attribute,
    summary: finding.detail,
  };
}

/**
 * The check's findings that the change brings: new in the head, or more severe than in the base.
 *
 * @param base - the base output; `undefined` when there is none (a new stack: every finding is new)
 * @param head - the head output
 */
export function checkDiff(base: SynthOutput | undefined, head: SynthOutput): CheckDiff {
  const before = base === undefined ? { findings: [], suppressed: [] } : evaluate(base);
  const after = evaluate(head);
  const flags = newOrWorse(after.findings, before.findings).map((finding): RiskFlag => ({
    ...where(finding),
    why: `${finding.title} (npm run check). Fix: ${finding.fix}`,
  }));
  const accepted = newOrWorse(after.suppressed, before.suppressed).map((finding): AcceptedFinding => ({
    ...where(finding),
    reason: finding.suppression.reason,
  }));
  return { flags, accepted };
}

/** Which review rules speak of the change a check rule finds. */
const SPOKEN_OF_BY = new Map<string, string[]>();
for (const rule of RISK_RULES) {
  for (const checkRule of ("checkRules" in rule ? rule.checkRules : undefined) ?? []) {
    SPOKEN_OF_BY.set(checkRule, [...(SPOKEN_OF_BY.get(checkRule) ?? []), rule.id]);
  }
}

/**
 * The review's own flags and the check's, as one list: a check flag that one of the review's
 * flags speaks of too (same stack and resource, a corresponding rule) is folded into it at the
 * higher severity, and the summary says so; every other check flag stands on its own.
 */
export function mergeCheckFlags(own: readonly RiskFlag[], fromCheck: readonly RiskFlag[]): RiskFlag[] {
  const merged = [...own];
  const folded = new Map<number, RiskFlag[]>();
  for (const flag of fromCheck) {
    const rules = SPOKEN_OF_BY.get(flag.rule) ?? [];
    const index = own.findIndex((m) => m.stack === flag.stack && m.address === flag.address && rules.includes(m.rule));
    if (index === -1) merged.push(flag);
    else folded.set(index, [...(folded.get(index) ?? []), flag]);
  }
  for (const [index, flags] of folded) {
    const mine = own[index];
    const others = flags.filter((flag) => !(flag.rule === mine.rule && flag.severity === mine.severity));
    if (others.length === 0) continue;
    const severities = [mine.severity, ...others.map((flag) => flag.severity)].sort(compareSeverity);
    const ids = [...new Set(others.map((flag) => flag.rule))].sort();
    const differ = others.filter((flag) => flag.severity !== mine.severity);
    const note =
      differ.length === 0
        ? `also ${ids.join(", ")} in npm run check`
        : `npm run check: ${[...new Set(others.map((f) => `${f.rule} ${f.severity}`))].sort().join(", ")}; the review: ${mine.severity}; the higher wins`;
    merged[index] = { ...mine, severity: severities[0], summary: `${mine.summary} (${note})` };
  }
  return merged;
}
