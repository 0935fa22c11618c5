/**
 * One review, end to end: obtain the changes (plan, synth diff or offline plan), apply the risk
 * rules, render the Markdown and the JSON summary, write both, and decide the exit code.
 *
 * @packageDocumentation
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ExportGitRef, ExportedRef } from "../core/git-export";
import { synthOutDir } from "../core/synth-output";
import type { AccessChange } from "../matrix/diff";
import { accessChangesForReview, type ReviewSides } from "./for-review";
import { ReviewInput, ReviewOptions } from "./args";
import { diffSynthOutputs } from "./diff";
import { ReviewError } from "./errors";
import { integrationChanges } from "./integrations";
import { ConstructIndex, SynthOutput, constructIndex, loadSynthOutput, readPlanFile } from "./load";
import type { Severity } from "../core/severity";
import { ChangeSet, ReviewReport, RiskFlag, StackChanges, fails } from "./model";
import { changesFromPlan } from "./plan";
import { renderMarkdown } from "./render-markdown";
import { assessRisks } from "./risks";
import { evaluationRisks } from "./risks/terraform";
import { ReviewSummary, buildSummary } from "./summary";
import { exportBase, synthesize, synthesizeRef } from "./synth";
import { findProviderMirror, planStackOffline, requiredAwsProviderVersion } from "./terraform";

/** Where and how a review runs. */
export interface ReviewContext {
  /** The project folder: relative flags resolve against it, and it is what gets synthesized. @default process.cwd() */
  readonly projectDir?: string;
  /** Environment of the synths and Terraform runs. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Exports the `--base` ref (once per review: its synth and its access matrix share the folder). @default exportGitRef */
  readonly exportRef?: ExportGitRef;
}

/** What a review produced. */
export interface ReviewRun {
  readonly report: ReviewReport;
  readonly markdown: string;
  readonly summary: ReviewSummary;
  /** 1 when a flag at or above `--fail-on` exists, else 0. */
  readonly exitCode: 0 | 1;
  /** The files written. */
  readonly files: { readonly markdown: string; readonly json: string };
  /** Set when the offline plan was not run, saying why (also a note of the review). */
  readonly planNotRun?: string;
}

/**
 * Runs a review and writes `review.md` and `review.json` into the options' `outDir`.
 *
 * @throws ReviewError when an input is missing or malformed, or a synth or Terraform run fails
 */
export async function runReview(options: ReviewOptions, context: ReviewContext = {}): Promise<ReviewRun> {
  const projectDir = resolve(context.projectDir ?? process.cwd());
  const env = context.env ?? process.env;
  // The base ref is exported once: synthesized, and its configuration read for the access matrix.
  const base = options.input.kind === "base-ref" ? exportBase(projectDir, options.input.ref, context.exportRef) : undefined;
  try {
    return await reviewWith(options, projectDir, env, base);
  } finally {
    base?.dispose();
  }
}

async function reviewWith(
  options: ReviewOptions,
  projectDir: string,
  env: NodeJS.ProcessEnv,
  base: ExportedRef | undefined,
): Promise<ReviewRun> {
  const { changeSet, paths, sides, planNotRun } = await collectChanges(options, projectDir, env, base);
  // Who can call what, before and after, from the models the two synth outputs were built from:
  // access changes count in the verdict like risk flags (one list: see verdictItems).
  const access = accessChangesForReview(options.input, sides, { env, projectDir, ...(base ? { base } : {}) });
  const reviewed = reviewChangeSet(changeSet, {
    failOn: options.failOn,
    paths,
    accessChanges: access.changes,
    ...(sides.head ? { head: sides.head } : {}),
    ...(sides.base ? { base: sides.base } : {}),
  });
  const { report, summary, exitCode } = reviewed;
  const markdown = `${reviewed.markdown}\n${access.markdown}`;

  const outDir = resolve(projectDir, options.outDir);
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw new ReviewError(
      "ERR_REVIEW_USAGE",
      `--out: cannot create "${options.outDir}" (${(error as NodeJS.ErrnoException).code ?? String(error)}); pass a writable folder`,
    );
  }
  const files = { markdown: join(outDir, "review.md"), json: join(outDir, "review.json") };
  writeFileSync(files.markdown, markdown);
  writeFileSync(files.json, `${JSON.stringify(summary, null, 2)}\n`);
  return { report, markdown, summary, exitCode, files, ...(planNotRun === undefined ? {} : { planNotRun }) };
}

/** Options of {@link reviewChangeSet}. */
export interface ReviewChangeSetOptions {
  /** @default "none" */
  readonly failOn?: Severity | "none";
  /** Construct paths of every resource, for naming references. @default those of the changed resources */
  readonly paths?: ConstructIndex;
  /** Who can call what, before and after; they count in the verdict. @default none */
  readonly accessChanges?: readonly AccessChange[];
  /** The head's synth output: what it makes Terraform do is flagged (`SG-TF-001`), and the check findings it brings. @default none */
  readonly head?: SynthOutput;
  /** The base's synth output, whose check findings are not new. @default none */
  readonly base?: SynthOutput;
}

/** Applies the risk rules to a change set and renders the Markdown and the JSON summary (no I/O). */
export function reviewChangeSet(changeSet: ChangeSet, options: ReviewChangeSetOptions = {}): Omit<ReviewRun, "files"> {
  const { flags, grants, accepted } = assessRisks(changeSet, options.head, options.base);
  const report: ReviewReport = {
    changeSet,
    flags,
    grants,
    accepted,
    integrations: integrationChanges(changeSet, options.head),
    failOn: options.failOn ?? "none",
    ...(options.paths ? { paths: options.paths } : {}),
    ...(options.accessChanges ? { accessChanges: options.accessChanges } : {}),
  };
  return { report, markdown: renderMarkdown(report), summary: buildSummary(report), exitCode: fails(report) ? 1 : 0 };
}

interface Collected {
  readonly changeSet: ChangeSet;
  readonly paths: ConstructIndex;
  /** The synth outputs compared (or the one a plan was made from), for the access changes and SG-TF-001. */
  readonly sides: ReviewSides;
  /** Why the offline plan was not run. */
  readonly planNotRun?: string;
}

/** The changes of the review's input, each kind of input read by its own function. */
async function collectChanges(
  options: ReviewOptions,
  projectDir: string,
  env: NodeJS.ProcessEnv,
  exported: ExportedRef | undefined,
): Promise<Collected> {
  const input = options.input;
  switch (input.kind) {
    case "outputs":
      return outputsChanges(input, projectDir);
    case "base-ref":
      return baseRefChanges(input, projectDir, env, exported);
    case "plan":
      return planChanges(input, projectDir, env);
    case "offline-plan":
      return offlinePlanChanges(input, projectDir, env);
  }
}

/** One kind of {@link ReviewInput}. */
type InputOf<K extends ReviewInput["kind"]> = Extract<ReviewInput, { readonly kind: K }>;

/** `--base-out` and `--head-out`: two synth outputs compared. */
function outputsChanges(input: InputOf<"outputs">, projectDir: string): Collected {
  const base = loadSynthOutput(resolve(projectDir, input.baseOut), "--base-out", input.baseOut);
  const head = loadSynthOutput(resolve(projectDir, input.headOut), "--head-out", input.headOut);
  return {
    changeSet: diffSynthOutputs(base, head, { kind: "synth-diff", base: input.baseOut, head: input.headOut }),
    paths: constructIndex(base, head),
    sides: { base, baseLabel: `--base-out ${input.baseOut}`, head, headLabel: `--head-out ${input.headOut}` },
  };
}

/** `--base <ref>`: the ref synthesized from its export and compared with the head. */
async function baseRefChanges(
  input: InputOf<"base-ref">,
  projectDir: string,
  env: NodeJS.ProcessEnv,
  exported: ExportedRef | undefined,
): Promise<Collected> {
  // The base and the head synthesize at the same time.
  const pendingBase = synthesizeRef(projectDir, input.ref, env, exported);
  pendingBase.catch(() => undefined);
  try {
    return await withHead(projectDir, env, input.headOut, async (head) => {
      const base = await pendingBase;
      const source = {
        kind: "synth-diff" as const,
        base: `${input.ref} (${base.commit.slice(0, 7)})`,
        head: input.headOut ?? "the working tree",
      };
      const diff = diffSynthOutputs(base.output, head, source);
      const notes = base.missingApp ? [`${input.ref} has no main.ts: every resource counts as added.`] : [];
      return {
        changeSet: { ...diff, notes: [...diff.notes, ...notes] },
        paths: constructIndex(base.output, head),
        sides: { base: base.output, baseLabel: input.ref, head, headLabel: source.head },
      };
    });
  } finally {
    // The export is removed once the review ends: when the head failed first, let the base's
    // synth finish with it before that.
    await Promise.allSettled([pendingBase]);
  }
}

/** `--plan <file>`: a Terraform plan, its construct paths from the head's synth output when there is one. */
function planChanges(input: InputOf<"plan">, projectDir: string, env: NodeJS.ProcessEnv): Collected {
  const at = (path: string) => resolve(projectDir, path);
  const plan = readPlanFile(at(input.planFile), "--plan", input.planFile);
  const notes: string[] = [];
  let head: SynthOutput | undefined;
  let headLabel: string | undefined;
  const synthOut = synthOutDir(env);
  if (input.headOut !== undefined) {
    head = loadSynthOutput(at(input.headOut), "--head-out", input.headOut);
    headLabel = `--head-out ${input.headOut}`;
  } else if (existsSync(join(at(synthOut), "manifest.json"))) {
    head = loadSynthOutput(at(synthOut), `the default synth output (${synthOut})`);
    headLabel = synthOut;
    notes.push(`Construct paths come from ${synthOut}; pass --head-out if the plan was made from another synth output.`);
  }
  const index = head === undefined ? undefined : constructIndex(head);
  const base = input.baseOut === undefined ? undefined : loadSynthOutput(at(input.baseOut), "--base-out", input.baseOut);
  const changeSet = changesFromPlan(plan, {
    label: input.planFile,
    ...(index ? { index } : {}),
    ...(input.stack ? { stack: input.stack } : {}),
  });
  return {
    changeSet: { ...changeSet, notes: [...changeSet.notes, ...notes] },
    paths: index ?? new Map(),
    sides: {
      ...(base ? { base, baseLabel: `--base-out ${input.baseOut}` } : {}),
      ...(head ? { head, headLabel: headLabel ?? "the head" } : {}),
    },
  };
}

/** `--offline-plan`: the head planned offline against empty state, unless planning it would evaluate something unsafe. */
function offlinePlanChanges(input: InputOf<"offline-plan">, projectDir: string, env: NodeJS.ProcessEnv): Promise<Collected> {
  return withHead(projectDir, env, input.headOut, async (head) => {
    const index = constructIndex(head);
    const source = { kind: "plan" as const, plan: `offline plan of ${input.headOut ?? "the working tree"}` };
    // Planning evaluates every template: a head that reads files or unmasks secrets is never planned.
    const refused = evaluationRisks(head);
    if (refused.length > 0) {
      const planNotRun = offlinePlanRefused(refused);
      return {
        changeSet: { source, stacks: [], notes: [planNotRun] },
        paths: index,
        sides: { head, headLabel: input.headOut ?? "the working tree" },
        planNotRun,
      };
    }
    const { stacks, notes } = planEachStackOffline(head, index, input.pluginMirror, env);
    return { changeSet: { source, stacks, notes }, paths: index, sides: { head, headLabel: input.headOut ?? "the working tree" } };
  });
}

/** Every stack of the head planned offline with the provider it requires, and the notes that say what such a plan leaves out. */
function planEachStackOffline(
  head: SynthOutput,
  index: ConstructIndex,
  pluginMirror: string | undefined,
  env: NodeJS.ProcessEnv,
): { stacks: StackChanges[]; notes: string[] } {
  const stacks: StackChanges[] = [];
  const notes: string[] = ["Offline plan with mock credentials and empty state: every resource counts as new."];
  for (const [name, tf] of head.stacks) {
    const stackDir = head.stackDirs?.get(name);
    if (stackDir === undefined) throw new ReviewError("ERR_REVIEW_INPUT", `--offline-plan: the folder of stack "${name}" is unknown`);
    const version = requiredAwsProviderVersion(tf);
    const mirror = version === undefined ? undefined : findProviderMirror(version, pluginMirror, env);
    const { plan, importsLeftOut } = planStackOffline(stackDir, { env, ...(mirror ? { mirror } : {}) });
    if (importsLeftOut > 0) {
      notes.push(
        `The offline plan leaves out the ${importsLeftOut} import blocks${head.stacks.size > 1 ? ` of ${name}` : ""} (it reads nothing from an account): ` +
          "the resources they adopt show as additions. A plan made with credentials shows them imported.",
      );
    }
    const changes = changesFromPlan(plan, { label: name, index, stack: name });
    stacks.push(...changes.stacks);
  }
  return { stacks, notes };
}

/** The note of an offline plan that was not run, naming where the head would make Terraform read or run something. */
export function offlinePlanRefused(flags: readonly RiskFlag[]): string {
  const where = [...new Set(flags.map((flag) => `${flag.stack}: ${flag.address}${flag.attribute === "" ? "" : ` ${flag.attribute}`}`))];
  const shown = where.length > 5 ? [...where.slice(0, 5), `${where.length - 5} more`] : where;
  return `The offline plan was not run: planning would make Terraform read files or the environment, unmask secrets or run programs (${flags[0].rule}, under Risks: ${shown.join("; ")}). Never plan this output; regenerate it with npm run synth and review again.`;
}

/** Runs `body` with the head: `headOut` when given, else a fresh synth of the working tree (removed afterwards). */
async function withHead<T>(
  projectDir: string,
  env: NodeJS.ProcessEnv,
  headOut: string | undefined,
  body: (head: SynthOutput) => Promise<T>,
): Promise<T> {
  if (headOut !== undefined) return body(loadSynthOutput(resolve(projectDir, headOut), "--head-out", headOut));
  const workDir = mkdtempSync(join(tmpdir(), "scopegate-review-head-"));
  try {
    const head = await synthesize({ projectDir, outdir: join(workDir, "cdktf.out"), label: "working tree", env });
    return await body(head);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
