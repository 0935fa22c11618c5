/**
 * The machine-readable review (`review.json`): totals, flags, grant changes and every change with
 * its attribute diffs, values already masked. Meant for CI steps and dashboards; the Markdown is
 * for people.
 *
 * @packageDocumentation
 */
import { Severity, countBySeverity, highestSeverity } from "../core/severity";
import type { AccessChange } from "../matrix/diff";
import {
  AcceptedFinding,
  ActionCounts,
  ChangeAction,
  IntegrationChange,
  ReviewReport,
  ReviewSource,
  RiskFlag,
  GrantChange,
  countActions,
  fails,
  verdictItems,
} from "./model";

/** Version of the `review.json` format; raised on incompatible changes. */
export const SUMMARY_SCHEMA_VERSION = 1;

/** The JSON summary of a review. */
export interface ReviewSummary {
  readonly schemaVersion: typeof SUMMARY_SCHEMA_VERSION;
  readonly source: ReviewSource;
  readonly totals: ActionCounts;
  /** Severity of the most severe flag or access change; `null` when there is none. */
  readonly highestSeverity: Severity | null;
  /** Flags and access changes by severity (the review's headline shows these counts). */
  readonly flagCounts: Readonly<Record<Severity, number>>;
  readonly failOn: Severity | "none";
  /** Whether a flag or an access change at or above `failOn` exists (the CLI then exits with 1). */
  readonly failed: boolean;
  readonly flags: readonly RiskFlag[];
  /** `npm run check` findings the head suppresses with a reason: shown, not counted. */
  readonly acceptedFindings: readonly AcceptedFinding[];
  readonly grants: readonly GrantChange[];
  /** Where the routes whose integration is added or changed send their requests (URI before and after). */
  readonly integrations: readonly IntegrationChange[];
  readonly stacks: readonly SummaryStack[];
  /** Who can call what, before and after (see matrix/diff.ts). */
  readonly accessChanges: readonly AccessChange[];
  readonly notes: readonly string[];
}

/** One stack of {@link ReviewSummary}. */
export interface SummaryStack {
  readonly name: string;
  readonly counts: ActionCounts;
  readonly changes: readonly SummaryChange[];
}

/** One resource change of {@link ReviewSummary}. */
export interface SummaryChange {
  readonly address: string;
  readonly type: string;
  readonly path: string;
  readonly action: ChangeAction;
  readonly replacedBecause: readonly string[];
  /** The import id, for a resource that exists already and is imported (`action` `import`, or a replacement the plan imports first). */
  readonly importId?: string;
  readonly attributes: readonly {
    readonly path: string;
    readonly before: unknown;
    readonly after: unknown;
    readonly forcesReplacement: boolean;
    readonly cause?: string;
  }[];
}

/** Builds the JSON summary of a review. */
export function buildSummary(report: ReviewReport): ReviewSummary {
  const all = report.changeSet.stacks.flatMap((stack) => stack.changes);
  const items = verdictItems(report);
  const flagCounts = countBySeverity(items);
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    source: report.changeSet.source,
    totals: countActions(all),
    highestSeverity: highestSeverity(items) ?? null,
    flagCounts,
    failOn: report.failOn,
    failed: fails(report),
    flags: report.flags,
    acceptedFindings: report.accepted ?? [],
    grants: report.grants,
    integrations: report.integrations ?? [],
    stacks: report.changeSet.stacks.map((stack) => ({
      name: stack.name,
      counts: countActions(stack.changes),
      changes: stack.changes.map((change) => ({
        address: change.address,
        type: change.type,
        path: change.path,
        action: change.action,
        replacedBecause: change.replacedBecause,
        ...(change.importId === undefined ? {} : { importId: change.importId }),
        attributes: change.attributes.map((a) => ({
          path: a.path,
          before: a.before ?? null,
          after: a.after ?? null,
          forcesReplacement: a.forcesReplacement,
          ...(a.cause === undefined ? {} : { cause: a.cause }),
        })),
      })),
    })),
    accessChanges: report.accessChanges ?? [],
    notes: report.changeSet.notes,
  };
}
