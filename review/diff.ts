/**
 * The semantic diff of two synthesized outputs, without a plan or cloud access: resources are
 * matched by Terraform address (type + logical id) within each stack, attributes compared as a
 * plan reader would (see `values.ts`), and each change classified as add, import, change, replace
 * or remove. A resource the head adds with an `import` block (`adopt`) is an import: it exists
 * already, and only a plan can tell what the first apply changes in it.
 *
 * What a plan would know and a diff must infer:
 * - replacement, from the measured table of force-new attributes (`force-new.ts`);
 * - references: `${aws_x.y.name}` is resolved to the configured value of `name`, so a renamed
 *   table shows up in the items that name it; a reference to a computed attribute (`id`, `arn`)
 *   of a replaced resource becomes {@link KNOWN_AFTER_APPLY}, which in turn may replace the referring
 *   resource (a replaced user pool replaces its clients, through `user_pool_id`).
 *
 * @packageDocumentation
 */
import { forcesReplacement, knowsForceNew } from "./force-new";
import { SynthOutput } from "./load";
import { constructPathOf, managedResources } from "../core/terraform-json/document";
import {
  AttributeChange,
  ChangeAction,
  ChangeSet,
  ResourceChange,
  ReviewSource,
  SENSITIVE,
  StackChanges,
  KNOWN_AFTER_APPLY,
} from "./model";
import { ResourceReference, configuredValue, referencesIn, substituteReferences } from "../core/terraform-json/references";
import { maskSensitive } from "./sensitive";
import { PathSegment, differences, forEachString, formatPath, mapStrings, valueAt } from "./values";
import { isJsonObject, type JsonObject } from "../core/json";

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
  const rawBase = baseTf === undefined ? new Map<string, JsonObject>() : managedResources(baseTf);
  const rawHead = headTf === undefined ? new Map<string, JsonObject>() : managedResources(headTf);
  const entries = new Map<string, Entry>();
  const headImports = importsOf(headTf);
  const baseResources = resolved(baseTf, importsOf(baseTf));
  const headResources = resolved(headTf, headImports);

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
      action: base === undefined ? (headImports.has(address) ? "import" : "add") : head === undefined ? "remove" : "none",
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
  if ([...entries.values()].some((entry) => entry.action === "import")) notes.add(IMPORT_NOTE);

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
      ...(headImports.has(entry.address) ? { importId: headImports.get(entry.address) as string } : {}),
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
        const after = valueAt(entry.maskedHead, segments, OPAQUE) === SENSITIVE ? SENSITIVE : KNOWN_AFTER_APPLY;
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

/** Said once when the head imports resources. */
const IMPORT_NOTE =
  "Resources shown as import exist already (import blocks, adopt): Terraform reads them at the first plan, and only that plan shows what the first apply changes in them.";

/**
 * The attributes an import id makes known before any plan, by resource type: a pool imported with
 * id X has id X, so `${aws_cognito_user_pool.….id}` reads X (a stack that adopts the pool it was
 * attached to keeps its resources in the same pool).
 */
const KNOWN_FROM_IMPORT_ID: Readonly<Record<string, (id: string) => JsonObject>> = {
  aws_cognito_user_pool: (id) => ({ id }),
};

/** The stack's `import` blocks: import id by the address imported into. */
export function importsOf(tf: JsonObject | undefined): Map<string, string> {
  const imports = new Map<string, string>();
  const blocks = tf?.import;
  for (const block of Array.isArray(blocks) ? blocks : blocks === undefined ? [] : [blocks]) {
    if (isJsonObject(block) && typeof block.to === "string" && typeof block.id === "string") imports.set(block.to, block.id);
  }
  return imports;
}

/**
 * The resources of a stack with meta-arguments left out and references to configured values
 * substituted (repeatedly, so chains of references resolve too); a reference to what an import id
 * makes known ({@link KNOWN_FROM_IMPORT_ID}) resolves too.
 */
function resolved(tf: JsonObject | undefined, imports: ReadonlyMap<string, string>): Map<string, JsonObject> {
  if (tf === undefined) return new Map();
  const known = new Map<string, JsonObject>();
  for (const [address, id] of imports) {
    const fromId = KNOWN_FROM_IMPORT_ID[address.slice(0, address.indexOf("."))];
    if (fromId !== undefined) known.set(address, fromId(id));
  }
  let current = new Map<string, JsonObject>();
  for (const [address, config] of managedResources(tf)) {
    current.set(address, Object.fromEntries(Object.entries(config).filter(([key]) => !META_ARGUMENTS.includes(key))));
  }
  for (let pass = 0; pass < 4; pass++) {
    const previous = current;
    current = new Map();
    for (const [address, config] of previous) {
      const lookup = (ref: ResourceReference) => configuredValue(previous, ref) ?? configuredValue(known, ref);
      current.set(address, mapStrings(config, (text) => substituteReferences(text, lookup)) as JsonObject);
    }
  }
  return current;
}
