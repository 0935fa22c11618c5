/**
 * A Terraform plan (`terraform show -json`) in the review's terms: each managed resource change
 * becomes a {@link ResourceChange}, with
 * - the action from `actions` (`["delete","create"]` and `["create","delete"]` are replacements), or
 *   `import` where the plan imports the resource (`importing`) and keeps or updates it;
 * - unknown values (`after_unknown`) shown as {@link KNOWN_AFTER_APPLY};
 * - sensitive values (`before_sensitive` / `after_sensitive`, and secret-named strings) masked;
 * - the attributes that force a replacement from `replace_paths`;
 * - the construct path and stack looked up in a synth output, when one is given (a plan does not
 *   carry cdktf's metadata).
 *
 * @see https://developer.hashicorp.com/terraform/internals/json-format#plan-representation
 * @packageDocumentation
 */
import { ConstructIndex, PlanResourceChange, TerraformPlan } from "./load";
import { AttributeChange, ChangeAction, ChangeSet, ResourceChange, SENSITIVE, KNOWN_AFTER_APPLY } from "./model";
import { maskSensitive } from "./sensitive";
import { PathSegment, differences, formatPath, pathKeys, valueAt } from "./values";
import { isJsonObject, type JsonObject } from "../core/json";

/** A masked or unknown value stands for everything below it. */
const OPAQUE = [SENSITIVE, KNOWN_AFTER_APPLY];

/** Options of {@link changesFromPlan}. */
export interface PlanChangesOptions {
  /** The plan file as the user named it, for the report. */
  readonly label: string;
  /** Construct paths of the synth output the plan was made from. @default none: addresses are shown */
  readonly index?: ConstructIndex;
  /**
   * Stack the plan belongs to. @default the stack of `index` that holds most of the plan's
   * addresses, else `"plan"`
   */
  readonly stack?: string;
}

/** Reads the resource changes of a plan. */
export function changesFromPlan(plan: TerraformPlan, options: PlanChangesOptions): ChangeSet {
  const relevant = (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed" && changeActionOf(rc) !== undefined);
  const notes: string[] = [];
  const stack = options.stack ?? bestStack(relevant, options.index);
  const paths = options.index?.get(stack);
  if (options.index === undefined) {
    notes.push(
      "Construct paths are unknown for a plan alone: resources are named by Terraform address (pass --head-out with the synth output the plan was made from).",
    );
  } else if (paths === undefined) {
    notes.push(`The synth output holds no stack "${stack}": resources are named by Terraform address.`);
  }
  const changes = relevant
    .map((rc) => resourceChange(rc, stack, paths?.get(rc.address) ?? rc.address))
    .sort((a, b) => a.path.localeCompare(b.path) || a.address.localeCompare(b.address));
  return { source: { kind: "plan", plan: options.label }, stacks: changes.length > 0 ? [{ name: stack, changes }] : [], notes };
}

/** The review action of a plan's `actions`, or `undefined` for no-op, read and forget. */
export function actionOf(actions: readonly string[]): ChangeAction | undefined {
  const key = actions.join(",");
  if (key === "create") return "add";
  if (key === "delete") return "remove";
  if (key === "update") return "change";
  if (key === "delete,create" || key === "create,delete") return "replace";
  return undefined;
}

/**
 * The review action of one resource change: {@link actionOf}, except that a resource the plan imports
 * and then keeps (`no-op`) or updates is `import` (its updates are listed as for a change).
 */
function changeActionOf(rc: PlanResourceChange): ChangeAction | undefined {
  const action = actionOf(rc.change.actions);
  if (rc.change.importing === undefined) return action;
  return action === undefined || action === "change" ? "import" : action;
}

function resourceChange(rc: PlanResourceChange, stack: string, path: string): ResourceChange {
  const action = changeActionOf(rc) as ChangeAction;
  const rawBefore = isJsonObject(rc.change.before) ? rc.change.before : null;
  const rawAfter =
    isJsonObject(rc.change.after) || rc.change.after_unknown !== undefined
      ? withUnknowns(rc.change.after ?? {}, rc.change.after_unknown)
      : null;
  const before = rawBefore === null ? null : (maskSensitive(rawBefore, rc.change.before_sensitive) as JsonObject);
  const after = rawAfter === null || action === "remove" ? null : (maskSensitive(rawAfter, rc.change.after_sensitive) as JsonObject);
  const replacePaths = (rc.change.replace_paths ?? []).map((segments) => [...segments]);

  const attributes: AttributeChange[] = [];
  if ((action === "change" || action === "replace" || action === "import") && rawBefore !== null && rawAfter !== null) {
    for (const difference of differences(rawBefore, rawAfter)) {
      attributes.push({
        path: formatPath(difference.segments),
        before: valueAt(before, difference.segments, OPAQUE),
        after: valueAt(after, difference.segments, OPAQUE),
        forcesReplacement: replacePaths.some((forced) => overlaps(forced, difference.segments)),
      });
    }
  }
  const replacedBecause =
    action !== "replace"
      ? []
      : replacePaths.length > 0
        ? replacePaths.map((segments) => formatPath(segments))
        : [reasonText(rc.action_reason)];
  const importId = rc.change.importing?.id;
  return {
    stack,
    address: rc.address,
    type: rc.type,
    name: rc.name,
    path,
    action,
    before,
    after,
    attributes,
    replacedBecause,
    ...(typeof importId === "string" ? { importId } : {}),
  };
}

function reasonText(reason: string | undefined): string {
  if (reason === "replace_because_tainted") return "(the resource is tainted)";
  if (reason === "replace_by_request") return "(replacement requested with -replace)";
  return "(Terraform gave no attribute)";
}

/** `after` with {@link KNOWN_AFTER_APPLY} wherever `after_unknown` says the value is known only after apply. */
function withUnknowns(after: unknown, unknown: unknown): unknown {
  if (unknown === true) return KNOWN_AFTER_APPLY;
  if (Array.isArray(unknown)) {
    const list = Array.isArray(after) ? after : [];
    const length = Math.max(list.length, unknown.length);
    return Array.from({ length }, (_, i) => withUnknowns(list[i], unknown[i]));
  }
  if (isJsonObject(unknown)) {
    const object: JsonObject = isJsonObject(after) ? { ...after } : {};
    for (const [key, mask] of Object.entries(unknown)) object[key] = withUnknowns(object[key], mask);
    return object;
  }
  return after;
}

/** Whether one path is a prefix of the other, ignoring list indices. */
function overlaps(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  const keysA = pathKeys(a);
  const keysB = pathKeys(b);
  const shorter = Math.min(keysA.length, keysB.length);
  return keysA.slice(0, shorter).every((key, i) => key === keysB[i]);
}

function bestStack(changes: readonly PlanResourceChange[], index: ConstructIndex | undefined): string {
  let best: { name: string; hits: number } | undefined;
  for (const [name, paths] of index ?? []) {
    const hits = changes.filter((rc) => paths.has(rc.address)).length;
    if (hits > 0 && (best === undefined || hits > best.hits)) best = { name, hits };
  }
  return best?.name ?? "plan";
}
