import { CheckReport, StackResult } from "./evaluate";
import { FAILING_SEVERITIES, SEVERITIES, Severity, countBySeverity } from "../core/severity";
import { Rule } from "./rule";

/**
 * The report for people: per stack, findings grouped by severity with the fix, then the
 * suppressed findings with their reasons, then suppressions that matched nothing; last, the
 * verdict.
 *
 * @param outdir the output folder as the user named it
 */
export function formatText(report: CheckReport, outdir: string): string {
  const lines: string[] = [];
  const stacks = report.stacks.length;
  lines.push(
    `scopegate checks of ${outdir}: ${stacks} ${plural(stacks, "stack")}, ${report.ruleCount} rules, failing on ${report.failOn} or above`,
  );
  for (const stack of report.stacks) lines.push("", ...stackLines(stack));
  lines.push("");
  if (report.passed) {
    const suppressed = report.stacks.reduce((sum, stack) => sum + stack.suppressed.length, 0);
    const open = report.stacks.flatMap((stack) => stack.findings);
    const below = open.filter((finding) => finding.severity !== "info");
    const info = open.length - below.length;
    const notes = [
      ...(below.length > 0 ? [`${below.length} below it (${summary(countBySeverity(below), FAILING_SEVERITIES)})`] : []),
      ...(info > 0
        ? [`${info} info (never failing: what to set if your organisation requires it, or why a rule was not evaluated, is listed above)`]
        : []),
      ...(suppressed > 0 ? [`${suppressed} suppressed with a reason`] : []),
    ];
    lines.push(`PASSED: no unsuppressed finding at ${report.failOn} or above${notes.map((note) => `; ${note}`).join("")}.`);
  } else {
    lines.push(
      `FAILED: ${report.failing.length} unsuppressed ${plural(report.failing.length, "finding")} at ${report.failOn} or above (${summary(countBySeverity(report.failing), FAILING_SEVERITIES)}).`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function stackLines(stack: StackResult): string[] {
  const counts = countBySeverity(stack.findings);
  const lines = [
    `Stack ${stack.stack}: ${stack.findings.length} ${plural(stack.findings.length, "finding")} (${summary(counts)}), ${stack.suppressed.length} suppressed`,
  ];
  if (!stack.checksFile) lines.push("  (no scopegate-checks.json in this stack's folder: no suppressions were read)");
  for (const severity of SEVERITIES) {
    const findings = stack.findings.filter((finding) => finding.severity === severity);
    if (findings.length === 0) continue;
    const heading =
      severity === "info"
        ? "INFO: never failing (an organisation's decision, or a setting this stack does not own)"
        : severity.toUpperCase();
    lines.push("", `  ${heading} (${findings.length})`);
    for (const finding of findings) {
      const fix = severity === "info" ? "if required" : "fix";
      lines.push(`    ${finding.rule} ${finding.title}`, `      ${finding.message}`, `      ${fix}: ${finding.fix}`);
    }
  }
  if (stack.suppressed.length > 0) {
    lines.push("", `  Suppressed (${stack.suppressed.length})`);
    for (const finding of stack.suppressed) {
      lines.push(
        `    ${finding.rule} (${finding.severity}) ${finding.path}: ${finding.attribute}`,
        `      reason: ${finding.suppression.reason}`,
      );
    }
  }
  if (stack.unusedSuppressions.length > 0) {
    lines.push(
      "",
      `  Suppressions that match no finding (${stack.unusedSuppressions.length}): remove them, or correct the rule or resource`,
    );
    for (const suppression of stack.unusedSuppressions) lines.push(`    ${suppression.rule} on ${JSON.stringify(suppression.resource)}`);
  }
  return lines;
}

/** The report for machines: the same content as {@link formatText}, as one JSON document. */
export function toJson(report: CheckReport, outdir: string): Record<string, unknown> {
  return {
    outdir,
    failOn: report.failOn,
    passed: report.passed,
    ruleCount: report.ruleCount,
    failing: report.failing.length,
    stacks: report.stacks.map((stack) => ({
      stack: stack.stack,
      checksFile: stack.checksFile,
      counts: countBySeverity(stack.findings),
      findings: stack.findings,
      suppressed: stack.suppressed,
      unusedSuppressions: stack.unusedSuppressions,
    })),
  };
}

/** The rule catalogue for people: id, severity, title, fix and references. */
export function formatRules(rules: readonly Rule[]): string {
  const lines = rules.flatMap((rule) => [
    `${rule.id} (${rule.severity}${rule.infoUntil === undefined ? "" : `; info ${rule.infoUntil}`}) ${rule.title}`,
    `  fix: ${rule.fix}`,
    `  see: ${rule.see.join("; ")}`,
  ]);
  return `${lines.join("\n")}\n`;
}

/** The rule catalogue for machines. */
export function rulesToJson(rules: readonly Rule[]): Record<string, unknown>[] {
  return rules.map(({ id, severity, infoUntil, title, fix, see }) => ({
    id,
    severity,
    ...(infoUntil ? { infoUntil } : {}),
    title,
    fix,
    see,
  }));
}

function summary(counts: Record<Severity, number>, severities: readonly Severity[] = SEVERITIES): string {
  return severities.map((severity) => `${counts[severity]} ${severity}`).join(", ");
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
