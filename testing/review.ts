import { SEVERITIES, SEVERITY_ICON, type Severity } from "../core/severity";
import { decodeStackModel, encodeStackModel, type StackModel } from "../core/stack-model";
import { accessChangesForReview } from "../review/for-review";
import { diffSynthOutputs } from "../review/diff";
import { SynthOutput, constructIndex } from "../review/load";
import { RiskFlag } from "../review/model";
import { reviewChangeSet } from "../review/run";
import { ScopegateConfig } from "../stacks/config/model";
import { exampleConfig, synthStack } from "./synth";

/** The in-memory synth output of one configuration (what `main.ts` writes, as objects), with its model. */
export function synthOutputOf(config: ScopegateConfig = exampleConfig()): SynthOutput {
  const { tf } = synthStack(config);
  const model = decodeStackModel(JSON.parse(encodeStackModel(config, "scopegate.json"))) as StackModel;
  return { stacks: new Map([[config.name, tf]]), models: new Map([[config.name, model]]) };
}

/** A deep copy of a synth output whose Terraform JSON `edit` changed (a hand edit of cdk.tf.json). */
export function editOutput(output: SynthOutput, edit: (tf: any) => void): SynthOutput {
  const stacks = new Map<string, any>();
  for (const [name, tf] of output.stacks) {
    const copy = JSON.parse(JSON.stringify(tf));
    edit(copy);
    stacks.set(name, copy);
  }
  return { stacks, ...(output.models ? { models: output.models } : {}) };
}

/** The single resource of `type` whose construct path ends with `pathSuffix`, for hand edits. */
export function resourceIn(tf: any, type: string, pathSuffix: string): any {
  const found = Object.values(tf.resource?.[type] ?? {}).filter((r: any) => String(r["//"]?.metadata?.path ?? "").endsWith(pathSuffix));
  if (found.length !== 1) throw new Error(`expected one ${type} at */${pathSuffix}, found ${found.length}`);
  return found[0];
}

/**
 * Reviews head against base exactly as `npm run review -- --base-out … --head-out …` does, access
 * changes included (from the outputs' models), and holds every review it makes to one verdict.
 */
export function reviewOutputs(base: SynthOutput, head: SynthOutput, failOn: Severity | "none" = "none") {
  const changeSet = diffSynthOutputs(base, head, { kind: "synth-diff", base: "base", head: "head" });
  const access = base.models && head.models ? accessChangesForReview({ kind: "outputs" }, { base, head }).changes : [];
  const run = reviewChangeSet(changeSet, { failOn, paths: constructIndex(base, head), head, base, accessChanges: access });
  expectOneVerdict(run);
  return { changeSet, ...run };
}

/**
 * Fails unless the headline, its counts, `highestSeverity`, `flagCounts`, `failed` and the exit code
 * all say what the one list of flags and access changes says.
 */
export function expectOneVerdict(run: Pick<ReturnType<typeof reviewChangeSet>, "report" | "summary" | "markdown" | "exitCode">): void {
  const severities = [...run.report.flags, ...(run.report.accessChanges ?? [])].map((item) => item.severity);
  const highest = SEVERITIES.find((s) => severities.includes(s)) ?? null;
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, severities.filter((x) => x === s).length]));
  const failOn = run.report.failOn;
  const failed = failOn !== "none" && severities.some((s) => SEVERITIES.indexOf(s) <= SEVERITIES.indexOf(failOn));
  const problems: string[] = [];
  if (run.summary.highestSeverity !== highest) problems.push(`highestSeverity ${run.summary.highestSeverity}, the list says ${highest}`);
  if (JSON.stringify(run.summary.flagCounts) !== JSON.stringify(counts))
    problems.push(`flagCounts ${JSON.stringify(run.summary.flagCounts)}`);
  if (run.summary.failed !== failed) problems.push(`failed ${run.summary.failed}, the list says ${failed}`);
  if (run.exitCode !== (failed ? 1 : 0)) problems.push(`exit code ${run.exitCode}`);
  const headline =
    highest === null
      ? "**No risks flagged.**"
      : `**Highest risk: ${SEVERITY_ICON[highest]} ${highest}** · ${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(" · ")}`;
  if (!run.markdown.includes(headline)) problems.push(`the headline is not ${headline}`);
  if (failOn !== "none" && !run.markdown.includes(`it ${failed ? "**fails**" : "passes"}.</sub>`)) problems.push("the footer's verdict");
  if (problems.length > 0) throw new Error(`the review's verdict disagrees with itself: ${problems.join("; ")}`);
}

/** The flags a rule raised, reduced to what tests assert. */
export function flagged(flags: readonly RiskFlag[], rule: string): Pick<RiskFlag, "severity" | "path" | "attribute" | "summary">[] {
  return flags.filter((f) => f.rule === rule).map(({ severity, path, attribute, summary }) => ({ severity, path, attribute, summary }));
}

/** `rule@severity` of every flag, for asserting that nothing else was raised. */
export function ruleList(flags: readonly RiskFlag[]): string[] {
  return flags.map((f) => `${f.rule}@${f.severity}`);
}
