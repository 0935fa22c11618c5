import type { RuleId } from "./contract";
import type { StackTemplate, TfResource } from "./terraform";

/** Severities, most severe first. */
export const SEVERITIES = ["critical", "high", "medium", "low"] as const;

/** How bad a finding is. */
export type Severity = (typeof SEVERITIES)[number];

/** Whether `severity` is at least as severe as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/** What a rule reports about one resource. */
export interface Violation {
  readonly resource: TfResource;
  /** The attribute at fault, e.g. `settings.logging_level` or `policy Statement[2].Resource`. */
  readonly attribute: string;
  /** What is wrong and why it matters, starting with the attribute and the value found. */
  readonly detail: string;
}

/**
 * A security policy check over one stack's synthesized Terraform. A rule reads the JSON as
 * written; it must treat interpolations as present but unknown and never throw on them.
 */
export interface Rule {
  readonly id: RuleId;
  readonly severity: Severity;
  /** One line: what the rule wants. */
  readonly title: string;
  /** How to fix a finding, in Terraform (and scopegate configuration) terms. */
  readonly fix: string;
  /** The scanners' checks this one mirrors (checkov, trivy), or the documentation it rests on. */
  readonly see: readonly string[];
  /** Every violation in `stack`, in document order. */
  check(stack: StackTemplate): readonly Violation[];
}

/** A violation of `attribute` on `resource`. */
export function violation(resource: TfResource, attribute: string, detail: string): Violation {
  return { resource, attribute, detail };
}
