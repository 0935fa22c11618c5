/**
 * What a change does to the Cedar twin: the policies added and removed, and the entities whose
 * attributes (grants, Basic designation) changed, so a review that widens access shows the policy
 * change beside the access changes.
 *
 * @packageDocumentation
 */
import { markdownCode, markdownCodeBlock } from "../core/markdown";
import type { CedarEntity, CedarPolicy, CedarTwin } from "../stacks/cedar/render";

/** One entity whose attributes differ; `undefined` on the side it does not exist. */
export interface CedarEntityChange {
  readonly uid: string;
  readonly before?: CedarEntity["attrs"];
  readonly after?: CedarEntity["attrs"];
}

/** The difference of one stack's twins. */
export interface CedarTwinDiff {
  readonly stack: string;
  /** Policies of the head whose text the base does not have, in the head's order. */
  readonly added: readonly CedarPolicy[];
  /** Policies of the base whose text the head does not have, in the base's order. */
  readonly removed: readonly CedarPolicy[];
  readonly entities: readonly CedarEntityChange[];
}

const uidText = (entity: CedarEntity) => `${entity.uid.type}::${JSON.stringify(entity.uid.id)}`;

/**
 * Compares two twins of one stack (either may be absent: a stack added or removed). A policy whose
 * text changed is removed and added.
 */
export function diffCedarTwins(stack: string, base: CedarTwin | undefined, head: CedarTwin | undefined): CedarTwinDiff {
  const baseTexts = new Set(base?.policies.map((policy) => policy.text));
  const headTexts = new Set(head?.policies.map((policy) => policy.text));
  const baseEntities = new Map(base?.entities.map((entity) => [uidText(entity), entity]));
  const headEntities = new Map(head?.entities.map((entity) => [uidText(entity), entity]));
  const entities: CedarEntityChange[] = [];
  for (const uid of new Set([...headEntities.keys(), ...baseEntities.keys()])) {
    const before = baseEntities.get(uid)?.attrs;
    const after = headEntities.get(uid)?.attrs;
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      entities.push({ uid, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) });
    }
  }
  return {
    stack,
    added: (head?.policies ?? []).filter((policy) => !baseTexts.has(policy.text)),
    removed: (base?.policies ?? []).filter((policy) => !headTexts.has(policy.text)),
    entities,
  };
}

/** Whether a diff changes anything. */
export function cedarTwinChanged(diff: CedarTwinDiff): boolean {
  return diff.added.length + diff.removed.length + diff.entities.length > 0;
}

/**
 * The Markdown of twin diffs: per stack, a count line and one `diff` block with the removed and
 * added policies and the changed entities' attributes. Every configured text is inside the block
 * (escaped there by `markdownCodeBlock`) or a code span.
 *
 * @param diffs - the stacks' diffs; unchanged ones are left out
 * @param heading - the section's heading
 */
export function renderCedarChangesMarkdown(diffs: readonly CedarTwinDiff[], heading: string): string {
  const changed = diffs.filter(cedarTwinChanged);
  if (changed.length === 0) return `${heading}\n\nThe Cedar twin (\`cedar/\`) does not change.\n`;
  const out = [heading, ""];
  for (const diff of changed) {
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    out.push(
      `${markdownCode(diff.stack)}: ${plural(diff.added.length, "policy", "policies")} added, ${diff.removed.length} removed (\`cedar/policies.cedar\`); ` +
        `${plural(diff.entities.length, "entity", "entities")} changed (\`cedar/entities.json\`).`,
      "",
    );
    const lines = [
      ...diff.removed.flatMap((policy) => policy.text.split("\n").map((line) => `- ${line}`)),
      ...diff.added.flatMap((policy) => policy.text.split("\n").map((line) => `+ ${line}`)),
      ...diff.entities.flatMap((entity) => [
        ...(entity.before === undefined ? [] : [`- ${entity.uid} ${JSON.stringify(entity.before)}`]),
        ...(entity.after === undefined ? [] : [`+ ${entity.uid} ${JSON.stringify(entity.after)}`]),
      ]),
    ];
    out.push(...markdownCodeBlock(lines, "diff"), "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
