/**
 * What every domain's risk checks share: the shape of a check, how it reports, and how it reads a
 * change's values before and after.
 *
 * @packageDocumentation
 */
import { type Severity } from "../../core/severity";
import { ResourceChange, SENSITIVE, KNOWN_AFTER_APPLY } from "../model";
import { stringList } from "../values";
import type { RiskRuleId } from "./rules";

/** Reports a finding of `rule` on `attribute`; `severity` overrides the rule's (e.g. lower for a new resource). */
export type Report = (rule: RiskRuleId, attribute: string, summary: string, severity?: Severity) => void;

/** A check of one resource change: reports what it finds, never throws. */
export type Check = (change: ResourceChange, report: Report) => void;

/**
 * Whether the resource is new to the stack: added, or imported where its current settings are
 * unknown (a synth diff); an import from a plan is judged against the settings it has.
 */
export const isNew = (c: ResourceChange) => c.action === "add" || (c.action === "import" && c.before === null);
/** How a summary says a resource is new: `created` (added) or `imported` (adopted). */
export const madeAs = (c: ResourceChange): string => (c.action === "import" ? "imported" : "created");
/** Whether the resource is replaced or removed. */
export const isDestroyed = (c: ResourceChange) => c.action === "replace" || c.action === "remove";
/** An attribute's value before the change; `null` when unset or for a new resource. */
export const before = (c: ResourceChange, key: string): unknown => c.before?.[key] ?? null;
/** An attribute's value after the change; `null` when unset or for a removed resource. */
export const after = (c: ResourceChange, key: string): unknown => c.after?.[key] ?? null;
/** Whether a value can be judged (not masked, not known only after apply). */
export const known = (value: unknown) => value !== KNOWN_AFTER_APPLY && value !== SENSITIVE;

/**
 * A plan value as a risk summary prints it, unquoted: `unset`, a string as is, anything else as
 * JSON. Not core/show.ts's `show`, which quotes a value from input in an error message.
 */
export function summaryText(value: unknown): string {
  if (value === null || value === undefined) return "unset";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function destroyedSummary(change: ResourceChange): string {
  if (change.action === "remove") return "removed";
  return `replaced (forced by ${change.replacedBecause.join(", ")})`;
}

/** Reports a replaced or removed resource under `rule`. */
export function destroyed(rule: RiskRuleId): Check {
  return (change, report) => {
    if (!isDestroyed(change)) return;
    let summary = destroyedSummary(change);
    if (rule === "user-pool-destroyed" && change.importId !== undefined) {
      summary += `; it is the existing pool ${change.importId} (adopted): its users exist only there`;
    }
    if (rule === "user-pool-destroyed" && before(change, "deletion_protection") === "ACTIVE") {
      summary += "; deletion protection is ACTIVE, so apply stops at the delete until it is turned off";
    }
    report(rule, change.action === "replace" ? change.replacedBecause.join(", ") : "", summary);
  };
}

/** Reports a protection switched off (or a new resource without it). */
export function protectionOff(attribute: string, isOn: (value: unknown) => boolean): Check {
  return (change, report) => {
    const now = after(change, attribute);
    if (change.after === null || !known(now) || isOn(now)) return;
    if (isNew(change)) {
      report(
        "deletion-protection-off",
        attribute,
        `${madeAs(change)} without deletion protection (${attribute} = ${summaryText(now)})`,
        "medium",
      );
    } else if (isOn(before(change, attribute))) {
      report("deletion-protection-off", attribute, `${attribute} ${summaryText(before(change, attribute))} → ${summaryText(now)}`);
    }
  };
}

/** Strings that `attribute` gains (everything, for a new resource); `undefined` when unknown. */
export function gained(change: ResourceChange, attribute: string): string[] | undefined {
  if (change.after === null) return undefined;
  const now = stringList(after(change, attribute));
  const was = isNew(change) ? [] : stringList(before(change, attribute));
  if (now === undefined || was === undefined) return undefined;
  return now.filter((value) => !was.includes(value));
}
