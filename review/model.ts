/**
 * The vocabulary of a plan review: what changes (per stack, per resource, per attribute), which
 * risks the changes carry, and which grants they add or remove. Both inputs (a Terraform plan and
 * a diff of two synthesized outputs) are normalized into these shapes, so the risk rules and the
 * renderers never know where a change came from.
 *
 * @packageDocumentation
 */

import { atOrAbove, type Severity } from "../core/severity";
import type { AccessChange } from "../matrix/diff";

/** The review's severity scale is the one shared scale; `--fail-on` compares against it. */

/**
 * What happens to a resource, in the words of a plan's summary line. `import`: the resource exists
 * already and Terraform takes it over (an `import` block, `adopt`) instead of creating it; from a
 * plan, with what the first apply changes in it (a plan that imports and replaces says `replace`).
 */
export type ChangeAction = "add" | "import" | "change" | "replace" | "remove";

/** Actions in the order a reviewer reads them: destructive first. */
export const ACTIONS_BY_CONCERN: readonly ChangeAction[] = ["replace", "remove", "change", "import", "add"];

/** Shown instead of a value that is sensitive (plan masks, or names such as `*password*`, `*secret*`). */
export const SENSITIVE = "(sensitive)";

/**
 * Stands in the review's model for a value Terraform learns only when it applies the plan (a
 * plan's `after_unknown`, an attribute of a replaced resource), as the text a reader sees. Not the
 * Terraform JSON readers' `UNKNOWN` (core/terraform-json/values.ts), which marks an expression in
 * the synthesized JSON that only Terraform evaluates.
 */
export const KNOWN_AFTER_APPLY = "(known after apply)";

/** One attribute (or nested attribute) whose value changes. Values are already masked. */
export interface AttributeChange {
  /** Attribute path: `mfa_configuration`, `username_configuration[0].case_sensitive`. */
  readonly path: string;
  /** Value before; `null` when unset. Sensitive values are {@link SENSITIVE}. */
  readonly before: unknown;
  /** Value after; `null` when unset, {@link KNOWN_AFTER_APPLY} when known only after apply. */
  readonly after: unknown;
  /** Whether this change alone makes Terraform destroy and re-create the resource. */
  readonly forcesReplacement: boolean;
  /**
   * Why the value changes although its configuration text does not: the replaced resource it
   * refers to (synthesized-output mode only).
   */
  readonly cause?: string;
}

/** One resource that is added, changed, replaced or removed. */
export interface ResourceChange {
  /** Stack (cdktf `TerraformStack`) that holds the resource. */
  readonly stack: string;
  /** Terraform address, `<type>.<logical id>`. Resources are matched by it. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** cdktf construct path, e.g. `scopegate-example/user-pool/pool`; the address when unknown. */
  readonly path: string;
  readonly action: ChangeAction;
  /** Masked attribute values before (`null` for an added resource). */
  readonly before: Readonly<Record<string, unknown>> | null;
  /** Masked attribute values after (`null` for a removed resource). */
  readonly after: Readonly<Record<string, unknown>> | null;
  /** Attribute-level differences (changed and replaced resources only). */
  readonly attributes: readonly AttributeChange[];
  /** For a replacement: the attribute paths (or the reason) that force it. */
  readonly replacedBecause: readonly string[];
  /** The import id, when an `import` block (or the plan) imports the resource. @default none */
  readonly importId?: string;
}

/** The changes of one stack. */
export interface StackChanges {
  readonly name: string;
  /** Sorted by construct path. */
  readonly changes: readonly ResourceChange[];
}

/** Where a review's changes come from. */
export type ReviewSource =
  { readonly kind: "synth-diff"; readonly base: string; readonly head: string } | { readonly kind: "plan"; readonly plan: string };

/** Everything that changes, by stack. */
export interface ChangeSet {
  readonly source: ReviewSource;
  /** Sorted by stack name. */
  readonly stacks: readonly StackChanges[];
  /** Things the reader should know about how the changes were computed. */
  readonly notes: readonly string[];
}

/** Counts of a stack or a whole review, by action. */
export type ActionCounts = Readonly<Record<ChangeAction, number>>;

/** Counts the changes by action. */
export function countActions(changes: readonly ResourceChange[]): ActionCounts {
  const counts: Record<ChangeAction, number> = { add: 0, import: 0, change: 0, replace: 0, remove: 0 };
  for (const change of changes) counts[change.action] += 1;
  return counts;
}

/** One finding of a risk rule: which resource and attribute, how bad, and why. */
export interface RiskFlag {
  /** Stable rule id, e.g. `user-pool-destroyed` (see `RISK_RULES`). */
  readonly rule: string;
  readonly severity: Severity;
  readonly stack: string;
  /** Construct path of the resource. */
  readonly path: string;
  readonly address: string;
  /** The attribute concerned; empty when the whole resource is. */
  readonly attribute: string;
  /** What changes, in one line, e.g. `mfa_configuration OPTIONAL → OFF`. */
  readonly summary: string;
  /** Why it matters, in one line. */
  readonly why: string;
}

/** A check finding the head accepts on purpose, shown with its reason and not counted (no `why`: the reason says it). */
export interface AcceptedFinding extends Omit<RiskFlag, "why"> {
  /** The suppression's reason, as `scopegate-checks.json` carries it. */
  readonly reason: string;
}

/** A route granted to or taken from a principal in the grants table. */
export interface GrantChange {
  readonly stack: string;
  /** Partition key of the item, e.g. `user#alice` (references shown as written). */
  readonly principal: string;
  /** Route key, e.g. `GET /resource`. */
  readonly route: string;
  readonly kind: "added" | "removed";
  /** Construct path of the table item. */
  readonly path: string;
  readonly address: string;
}

/** An integration with a URI that a change adds, changes or replaces: where a route's requests go. */
export interface IntegrationChange {
  readonly stack: string;
  /** Route key, e.g. `GET /reports`; the construct path when the route cannot be read. */
  readonly route: string;
  readonly action: Exclude<ChangeAction, "remove">;
  /** The integration's type after the change, e.g. `HTTP_PROXY`. */
  readonly type: unknown;
  /** URI before; `null` for a new integration or when unset. */
  readonly before: unknown;
  /** URI after; {@link KNOWN_AFTER_APPLY} when known only after apply. */
  readonly after: unknown;
  /** Construct path of the integration. */
  readonly path: string;
  readonly address: string;
}

/** A complete review: the changes, the risks found in them, and the threshold that fails it. */
export interface ReviewReport {
  readonly changeSet: ChangeSet;
  /** Most severe first. */
  readonly flags: readonly RiskFlag[];
  readonly grants: readonly GrantChange[];
  /** Integrations with a URI that are added, changed or replaced. @default none */
  readonly integrations?: readonly IntegrationChange[];
  /** Flags at or above this severity fail the review; `none` never fails. */
  readonly failOn: Severity | "none";
  /** Check findings the head suppresses with a reason: shown, never counted. @default none */
  readonly accepted?: readonly AcceptedFinding[];
  /** Who can call what, before and after (see matrix/diff.ts); they count in the verdict like flags. @default none */
  readonly accessChanges?: readonly AccessChange[];
  /**
   * Construct paths of every resource (changed or not), stack → address → path, so references
   * to unchanged resources can be named too. @default paths of the changed resources only
   */
  readonly paths?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * The one list the verdict comes from: every risk flag and every access change. The headline, the
 * counts, `highestSeverity`, `failed` and the exit code are all computed from it, so they cannot
 * disagree.
 */
export function verdictItems(report: Pick<ReviewReport, "flags" | "accessChanges">): readonly { readonly severity: Severity }[] {
  return [...report.flags, ...(report.accessChanges ?? [])];
}

/** Whether a review fails its threshold: a flag or an access change at or above `failOn` exists. */
export function fails(report: Pick<ReviewReport, "flags" | "accessChanges" | "failOn">): boolean {
  const threshold = report.failOn;
  return threshold !== "none" && verdictItems(report).some((item) => atOrAbove(item.severity, threshold));
}
