import type { Severity } from "../core/severity";
import { diffSynthOutputs } from "../review/diff";
import { SynthOutput, constructIndex } from "../review/load";
import { RiskFlag } from "../review/model";
import { reviewChangeSet } from "../review/run";
import { ScopegateConfig } from "../stacks/config/model";
import { exampleConfig, synthStack } from "./synth";

/** The in-memory synth output of one configuration (what `main.ts` writes, as objects). */
export function synthOutputOf(config: ScopegateConfig = exampleConfig()): SynthOutput {
  const { tf } = synthStack(config);
  return { stacks: new Map([[config.name, tf]]) };
}

/** A deep copy of a synth output whose Terraform JSON `edit` changed (a hand edit of cdk.tf.json). */
export function editOutput(output: SynthOutput, edit: (tf: any) => void): SynthOutput {
  const stacks = new Map<string, any>();
  for (const [name, tf] of output.stacks) {
    const copy = JSON.parse(JSON.stringify(tf));
    edit(copy);
    stacks.set(name, copy);
  }
  return { stacks };
}

/** The single resource of `type` whose construct path ends with `pathSuffix`, for hand edits. */
export function resourceIn(tf: any, type: string, pathSuffix: string): any {
  const found = Object.values(tf.resource?.[type] ?? {}).filter((r: any) => String(r["//"]?.metadata?.path ?? "").endsWith(pathSuffix));
  if (found.length !== 1) throw new Error(`expected one ${type} at */${pathSuffix}, found ${found.length}`);
  return found[0];
}

/** Reviews head against base exactly as `npm run review -- --base-out … --head-out …` does. */
export function reviewOutputs(base: SynthOutput, head: SynthOutput, failOn: Severity | "none" = "none") {
  const changeSet = diffSynthOutputs(base, head, { kind: "synth-diff", base: "base", head: "head" });
  return { changeSet, ...reviewChangeSet(changeSet, { failOn, paths: constructIndex(base, head), head, base }) };
}

/** The flags a rule raised, reduced to what tests assert. */
export function flagged(flags: readonly RiskFlag[], rule: string): Pick<RiskFlag, "severity" | "path" | "attribute" | "summary">[] {
  return flags.filter((f) => f.rule === rule).map(({ severity, path, attribute, summary }) => ({ severity, path, attribute, summary }));
}

/** `rule@severity` of every flag, for asserting that nothing else was raised. */
export function ruleList(flags: readonly RiskFlag[]): string[] {
  return flags.map((f) => `${f.rule}@${f.severity}`);
}
