/**
 * The semantic diff of two synthesized outputs, without a plan or cloud access: resources are
 * matched by Terraform address (type + logical id) within each stack, attributes compared as a
 * plan reader would (see `values.ts`), and each change classified as add, change, replace or
 * remove.
 *
 * What a plan would know and a diff must infer:
 * - replacement, from the measured table of force-new attributes (`force-new.ts`);
 * - references: `${aws_x.y.name}` is resolved to the configured value of `name`, so a renamed
 *   table shows up in the items that name it; a reference to a computed attribute (`id`, `arn`)
 *   of a replaced resource becomes {@link UNKNOWN}, which in turn may replace the referring
 *   resource (a replaced user pool replaces its clients, through `user_pool_id`).
 *
 * @packageDocumentation
 */
import { forcesReplacement, knowsForceNew } from "./force-new";
import { SynthOutput, constructPathOf, stackResources } from "./load";
import { AttributeChange, ChangeAction, ChangeSet, ResourceChange, ReviewSource, SENSITIVE, StackChanges, UNKNOWN } from "./model";
import { configuredValue, referencesIn, substituteReferences } from "./references";
import { maskSensitive } from "./sensitive";
import { PathSegment, differences, forEachString, formatPath, mapStrings, valueAt } from "./values";
import { type JsonObject } from "../core/json";

/**
 * Keys of a resource block that are not attributes of the resource (cdktf's `"//"` metadata and
 * Terraform meta-arguments). Changing them changes no infrastructure, so the diff ignores them.
 */
export const META_ARGUMENTS: readonly string[] = [
  "//",
  "depends_on",
  "lifecycle",
  "provider",
  "count",
  "for_each",
  "provisioner",
  "connection",
];

/** A masked value stands for everything below it. */
const OPAQUE = [SENSITIVE];

/**
 * Compares two synthesized outputs stack by stack.
 *
 * @param base the output before the change (e.g. of the pull request's base branch)
 * @param head the output after the change
 * @param source how the two outputs were obtained, for the report
 */
export function diffSynthOutputs(base: SynthOutput, head: SynthOutput, source: ReviewSource): ChangeSet {
  const names = [...new Set([...base.stacks.keys(), ...head.stacks.keys()])].sort();
  const notes = new Set<string>();
  const stacks: StackChanges[] = [];
  for (const name of names) {
    const changes = diffStack(name, base.stacks.get(name), head.stacks.get(name), notes);
    if (changes.length > 0) stacks.push({ name, changes });
  }
  return { source, stacks, notes: [...notes].sort() };
}

interface Entry {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly path: string;
  readonly base?: JsonObject;
  readonly head?: JsonObject;
  readonly maskedBase?: JsonObject;
  readonly maskedHead?: JsonObject;
  action: ChangeAction | "none";
  readonly attributes: AttributeChange[];
  readonly replacedBecause: string[];
}

function diffStack(stack: string, baseTf: JsonObject | undefined, headTf: JsonObject | undefined, notes: Set<string>): ResourceChange[] {
  const baseResources = resolved(baseTf);
  const headResources = resolved(headTf);
  const rawBase = baseTf === undefined ? new Map<string, JsonObject>() : stackResources(baseTf);
  const rawHead = headTf === undefined ? new Map<string, JsonObject>() : stackResources(headTf);
  const entries = new Map<string, Entry>();

  for (const address of new Set([...baseResources.keys(), ...headResources.keys()])) {
    const base = baseResources.get(address);
    const head = headResources.get(address);
    const dot = address.indexOf(".");
    const type = address.slice(0, dot);
    const raw = rawHead.get(address) ?? rawBase.get(address) ?? {};
    const entry: Entry = {
      address,
      type,
      name: address.slice(dot + 1),
      path: constructPathOf(raw) ?? address,
      ...(base ? { base, maskedBase: maskSensitive(base) as JsonObject } : {}),
      ...(head ? { head, maskedHead: maskSensitive(head) as JsonObject } : {}),
      action: base === undefined ? "add" : head === undefined ? "remove" : "none",
      attributes: [],
      replacedBecause: [],
    };
    if (base !== undefined && head !== undefined) {
      for (const difference of differences(base, head)) {
        addAttribute(
          entry,
          difference.segments,
          valueAt(entry.maskedBase, difference.segments, OPAQUE),
          valueAt(entry.maskedHead, difference.segments, OPAQUE),
        );
      }
      if (entry.attributes.length > 0 && !knowsForceNew(type)) {
        notes.add(`Whether a change replaces a resource of type ${type} is not known without a plan; it is shown as an update.`);
      }
    }
    entries.set(address, entry);
  }

  propagateReplacements(entries);

  return [...entries.values()]
    .filter((entry): entry is Entry & { action: ChangeAction } => entry.action !== "none")
    .map((entry) => ({
      stack,
      address: entry.address,
      type: entry.type,
      name: entry.name,
      path: entry.path,
      action: entry.action,
      before: entry.maskedBase ?? null,
      after: entry.maskedHead ?? null,
      attributes: entry.action === "change" || entry.action === "replace" ? entry.attributes : [],
      replacedBecause: entry.action === "replace" ? entry.replacedBecause : [],
    }))
    .sort((a, b) => a.path.localeCompare(b.path) || a.address.localeCompare(b.address));
}

function addAttribute(entry: Entry, segments: readonly PathSegment[], before: unknown, after: unknown, cause?: string): void {
  const forced = forcesReplacement(entry.type, segments);
  const path = formatPath(segments);
  entry.attributes.push({ path, before, after, forcesReplacement: forced, ...(cause === undefined ? {} : { cause }) });
  if (forced) {
    entry.action = "replace";
    entry.replacedBecause.push(path);
  } else if (entry.action === "none") {
    entry.action = "change";
  }
}

/**
 * Marks the values that refer to computed attributes of replaced resources as unknown, and
 * replaces the resources for which that value is force-new, until nothing more changes.
 */
function propagateReplacements(entries: ReadonlyMap<string, Entry>): void {
  let replacedCount = -1;
  while (replacedCount !== countReplaced(entries)) {
    replacedCount = countReplaced(entries);
    for (const entry of entries.values()) {
      if (entry.head === undefined || entry.base === undefined || entry.action === "replace") continue;
      forEachString(entry.head, (text, segments) => {
        const target = referencesIn(text)
          .map((ref) => entries.get(ref.address))
          .find((candidate) => candidate !== undefined && candidate.action === "replace");
        if (target === undefined || entry.attributes.some((a) => covers(a.path, segments))) return;
        const after = valueAt(entry.maskedHead, segments, OPAQUE) === SENSITIVE ? SENSITIVE : UNKNOWN;
        addAttribute(entry, segments, valueAt(entry.maskedBase, segments, OPAQUE), after, `${target.path} is replaced`);
      });
    }
  }
}

function countReplaced(entries: ReadonlyMap<string, Entry>): number {
  let count = 0;
  for (const entry of entries.values()) if (entry.action === "replace") count += 1;
  return count;
}

/** Whether an attribute change at `path` already covers the value at `segments`. */
function covers(path: string, segments: readonly PathSegment[]): boolean {
  const target = formatPath(segments);
  return target === path || target.startsWith(`${path}.`) || target.startsWith(`${path}[`);
}

/**
 * The resources of a stack with meta-arguments left out and references to configured values
 * substituted (repeatedly, so chains of references resolve too).
 */
function resolved(tf: JsonObject | undefined): Map<string, JsonObject> {
  if (tf === undefined) return new Map();
  let current = new Map<string, JsonObject>();
  for (const [address, config] of stackResources(tf)) {
    current.set(address, Object.fromEntries(Object.entries(config).filter(([key]) => !META_ARGUMENTS.includes(key))));
  }
  for (let pass = 0; pass < 4; pass++) {
    const previous = current;
    current = new Map();
    for (const [address, config] of previous) {
      current.set(address, mapStrings(config, (text) => substituteReferences(text, (ref) => configuredValue(previous, ref))) as JsonObject);
    }
  }
  return current;
}
