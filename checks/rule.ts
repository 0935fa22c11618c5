import type { RuleId } from "./contract";
import type { StackTemplate, TfResource } from "./terraform";

/**
 * Severities, most severe first. `info` is for findings whose remedy is an organisation's or an
 * account's decision (a customer managed key, the account-wide logging role, reserved
 * concurrency): it is reported with what to set if the organisation requires it, and never fails.
 */
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;

/** How bad a finding is. */
export type Severity = (typeof SEVERITIES)[number];

/** The severities a check can fail on (`--fail-on`): every one but `info`. */
export const FAILING_SEVERITIES = ["critical", "high", "medium", "low"] as const;

/** A severity a check can fail on. */
export type FailingSeverity = (typeof FAILING_SEVERITIES)[number];

/** Whether `severity` is at least as severe as `threshold`; `info` is never at least a failing severity. */
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
  /**
   * Set when fixing this violation is an organisation's or an account's decision that has not been
   * made: the finding reports at `info` (never failing) and this text replaces the rule's fix,
   * saying what to set if the organisation requires it.
   * @default undefined (the rule's severity and fix)
   */
  readonly ifRequired?: string;
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
  /**
   * When the rule's findings report at `info` until an organisation decides, e.g. "until the stack
   * uses a customer managed KMS key"; shown in the rule catalogue.
   * @default undefined (always at `severity`)
   */
  readonly infoUntil?: string;
  /** The scanners' checks this one mirrors (checkov, trivy), or the documentation it rests on. */
  readonly see: readonly string[];
  /** Every violation in `stack`, in document order. */
  check(stack: StackTemplate): readonly Violation[];
}

/**
 * A violation of `attribute` on `resource`.
 *
 * @param ifRequired set when the remedy is an organisation's decision not yet made (see {@link Violation.ifRequired})
 */
export function violation(resource: TfResource, attribute: string, detail: string, ifRequired?: string): Violation {
  return ifRequired === undefined ? { resource, attribute, detail } : { resource, attribute, detail, ifRequired };
}
