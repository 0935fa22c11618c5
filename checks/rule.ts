import type { RuleId } from "../contracts/check-rules";
import type { Severity } from "../core/severity";
import type { StackTemplate, TfResource } from "../core/terraform-json/document";

/** The checks' severity scale is the one shared scale; `info` findings never fail (see `FAILING_SEVERITIES`). */

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
