import { SEVERITIES, SEVERITY_ICON, type Severity } from "../../core/severity";
import { decodeStackModel, encodeStackModel, type StackModel } from "../../core/stack-model";
import { diffSynthOutputs } from "../../review/diff";
import { accessChangesForReview } from "../../review/for-review";
import type { SynthOutput } from "../../review/load";
import { reviewChangeSet } from "../../review/run";
import { exampleConfig, synthStack } from "../../testing/synth";

// One verdict: the headline, the counts, highestSeverity, failed and the exit code come from one list
// (issue: adding a grant exited 1 at --fail-on high while review.md said "Highest risk: medium …
// passes" and review.json had highestSeverity "medium" with failed: true).

type Mutate = (doc: Record<string, any>) => void;

function output(mutate: Mutate = () => undefined): SynthOutput {
  const config = exampleConfig(mutate);
  const { tf } = synthStack(config);
  const model = decodeStackModel(JSON.parse(encodeStackModel(config, "scopegate.json"))) as StackModel;
  return { stacks: new Map([[config.name, tf]]), models: new Map([[config.name, model]]) };
}

const SCENARIOS: Record<string, Mutate> = {
  "no change": () => undefined,
  "a grant added (an access change and a medium flag)": (doc) => doc.authorizationTable.grants[1].routes.push("POST /resource"),
  "a client gains a scope (flags only)": (doc) => doc.appClients[0].scopes.push("api.example.com/write"),
  "a grant removed (access lost)": (doc) => doc.authorizationTable.grants.splice(0, 1),
};

const base = output();

describe.each(Object.entries(SCENARIOS))("the verdict of %s", (_name, mutate) => {
  const head = output(mutate);
  const changeSet = diffSynthOutputs(base, head, { kind: "synth-diff", base: "base", head: "head" });
  const access = accessChangesForReview({ kind: "outputs" }, { base, head });

  test.each([...SEVERITIES, "none" as const])(
    "at --fail-on %s: headline, counts, highestSeverity, failed and exit code agree",
    (failOn) => {
      const run = reviewChangeSet(changeSet, { failOn, accessChanges: access.changes });
      const severities: Severity[] = [...run.report.flags, ...access.changes].map((item) => item.severity);
      const highest = SEVERITIES.find((s) => severities.includes(s)) ?? null;
      const counts = Object.fromEntries(SEVERITIES.map((s) => [s, severities.filter((x) => x === s).length]));
      const failed = failOn !== "none" && severities.some((s) => SEVERITIES.indexOf(s) <= SEVERITIES.indexOf(failOn));

      expect(run.summary.highestSeverity).toBe(highest);
      expect(run.summary.flagCounts).toEqual(counts);
      expect(run.summary.failed).toBe(failed);
      expect(run.exitCode).toBe(failed ? 1 : 0);
      expect(run.summary.accessChanges).toEqual(access.changes);
      if (highest === null) expect(run.markdown).toContain("**No risks flagged.**");
      else
        expect(run.markdown).toContain(
          `**Highest risk: ${SEVERITY_ICON[highest]} ${highest}** · ${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(" · ")}`,
        );
      if (failOn !== "none") expect(run.markdown).toContain(`it ${failed ? "**fails**" : "passes"}.</sub>`);
    },
  );
});

test("the scenarios cover an access change above every flag, so the old headline would have disagreed", () => {
  const head = output(SCENARIOS["a grant added (an access change and a medium flag)"]);
  const changeSet = diffSynthOutputs(base, head, { kind: "synth-diff", base: "base", head: "head" });
  const access = accessChangesForReview({ kind: "outputs" }, { base, head });
  const run = reviewChangeSet(changeSet, { failOn: "high", accessChanges: access.changes });
  expect(run.report.flags.map((f) => f.severity)).not.toContain("high");
  expect(access.changes.map((c) => c.severity)).toContain("high");
  expect([run.summary.highestSeverity, run.summary.failed, run.exitCode]).toEqual(["high", true, 1]);
});
