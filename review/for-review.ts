/**
 * The access changes of a pull request, for `npm run review`: which matrices to compare for each of
 * the review's inputs, their changes, and the Markdown section to append to the review.
 *
 * @packageDocumentation
 */
import { markdownCode, markdownText } from "../core/markdown";
import type { ExportedRef } from "../core/git-export";
import { STACK_MODEL_FILE } from "../core/stack-model";
import { diffMatrixSets, renderAccessChangesMarkdown, type AccessChange } from "../matrix/diff";
import type { AccessMatrix } from "../matrix/model";
import { matricesOfExport, matricesOfModels } from "../matrix/sources";
import { diffCedarTwins, renderCedarChangesMarkdown } from "../review/cedar-diff";
import { renderCedarTwin, type CedarTwin } from "../stacks/cedar/render";
import type { ScopegateConfig } from "../stacks/config/model";
import { ReviewError } from "./errors";
import type { SynthOutput } from "./load";

/**
 * The review input, as `review/args.ts` types it (only the fields read here): `base-ref` with
 * `ref` (and optionally `headOut`), `outputs` with `baseOut` and `headOut`, a plan (optionally with
 * `baseOut`), or an offline plan.
 */
export interface ReviewInputLike {
  readonly kind: string;
  readonly ref?: string;
  readonly baseOut?: string;
  readonly headOut?: string;
}

/** The synth outputs the review compares, as it read or made them. */
export interface ReviewSides {
  /** The base: `--base-out`, or the synth of `--base <ref>`; absent for a plan without `--base-out` and an offline plan. */
  readonly base?: SynthOutput;
  /** How the base is named in messages (`--base-out cdktf.base`, `origin/main`). */
  readonly baseLabel?: string;
  /** The head: `--head-out`, the synth of the working tree, or the synth output a plan was made from. */
  readonly head?: SynthOutput;
  /** How the head is named in messages. */
  readonly headLabel?: string;
}

/** Where the review runs. */
export interface AccessReviewContext {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** The project folder. @default process.cwd() */
  readonly projectDir?: string;
  /** The `--base` ref's files, already exported by the review: read when the base's synth holds no model (an older scopegate). */
  readonly base?: ExportedRef;
}

/** What {@link accessChangesForReview} found. */
export interface AccessReview {
  /** Most severe first (see `diffMatrices`). */
  readonly changes: readonly AccessChange[];
  /** The section to append to the review comment; says why when there is nothing to compare. */
  readonly markdown: string;
}

/** The heading of the review's section. */
export const ACCESS_REVIEW_HEADING = "### Who can call what: access changes";

/**
 * Compares who can call what before and after the change under review, from the models the two
 * synth outputs were built from (`scopegate.model.json`): the review reads what gets deployed,
 * nothing else has to be run first.
 *
 * - `--base <ref>`: the synth of `ref` and the head; a base synthesized by an older scopegate holds
 *   no model, and its configuration at `ref` (what that synth read) is used instead, with a note;
 * - `--base-out` / `--head-out`: the two outputs;
 * - `--plan`: the output the plan was made from (`--head-out`, else the default synth output) with
 *   `--base-out`; without `--base-out` the section says that a plan alone cannot show access changes;
 * - `--offline-plan`: a new stack with no base: nothing to compare (the section says so).
 *
 * @param input - the review's input
 * @param sides - the synth outputs the review read or made
 * @param context - the exported base ref and the environment
 * @returns the changes and the Markdown section
 * @throws ReviewError `ERR_REVIEW_INPUT` when an output the user named holds no model (synthesized
 *   by an older scopegate, or by hand): the review refuses rather than compare something else
 */
export function accessChangesForReview(input: ReviewInputLike, sides: ReviewSides, context: AccessReviewContext = {}): AccessReview {
  // `why` is Markdown: our own words, with any message or name from elsewhere through core/markdown.ts.
  const unavailable = (why: string): AccessReview => ({ changes: [], markdown: `${ACCESS_REVIEW_HEADING}\n\nNot compared: ${why}.\n` });
  const notes: string[] = [];
  let base: AccessMatrix[];
  if (input.kind === "offline-plan") {
    return unavailable(
      "an offline plan reviews the stack as new, with no base to compare with (its grants are listed above); review with `--base <ref>` or `--base-out <dir>` to see who gains or loses access",
    );
  } else if (sides.base === undefined) {
    return unavailable(
      "a plan holds no configuration; pass `--base-out <the base's synth output>` (and `--head-out <the synth output the plan was made from>`) to compare who can call what",
    );
  } else {
    const fromModels = matricesOfOutput(sides.base, sides.baseLabel ?? "the base");
    if (!("problem" in fromModels)) base = fromModels;
    else if (input.kind === "base-ref" && context.base !== undefined) {
      const atRef = matricesOfExport(context.base, context.env ?? process.env, context.projectDir ?? process.cwd());
      if (!atRef.ok) return unavailable(markdownText(atRef.problem));
      base = atRef.matrices;
      notes.push(
        `${markdownCode(input.ref ?? "")} was synthesized by a scopegate that records no model: its configuration at that commit was read instead.`,
      );
    } else throw new ReviewError("ERR_REVIEW_INPUT", fromModels.problem);
  }
  const head = sides.head === undefined ? undefined : matricesOfOutput(sides.head, sides.headLabel ?? "the head");
  if (head === undefined) return unavailable("there is no synth output of the head to read its model from; pass `--head-out`");
  if ("problem" in head) throw new ReviewError("ERR_REVIEW_INPUT", head.problem);
  const changes = diffMatrixSets(base, head);
  const accessMarkdown = renderAccessChangesMarkdown(changes, { heading: ACCESS_REVIEW_HEADING });
  const markdown = `${accessMarkdown}${cedarSection(changes, sides)}`;
  return { changes, markdown: notes.length === 0 ? markdown : `${markdown}\n${notes.join("\n")}\n` };
}

/** The heading of the Cedar twin's changes, under the access changes. */
export const CEDAR_REVIEW_HEADING = "#### The Cedar twin behind the widened access";

/**
 * When a change widens access, the Cedar twin's policies added and removed and the entities whose
 * grants changed, in the stacks it widens (docs/cedar.md), rendered from the two sides' models; empty
 * otherwise.
 */
function cedarSection(changes: readonly AccessChange[], sides: ReviewSides): string {
  const widened = [...new Set(changes.filter((change) => change.kind === "widened").map((change) => change.stack))];
  if (widened.length === 0) return "";
  const twinOf = (output: SynthOutput | undefined, stack: string): CedarTwin | undefined => {
    const model = output?.models?.get(stack);
    return model === undefined ? undefined : renderCedarTwin(model.model as unknown as ScopegateConfig);
  };
  const withoutBaseModel = widened.filter((stack) => sides.base?.stacks.has(stack) === true && sides.base.models?.get(stack) === undefined);
  if (withoutBaseModel.length > 0) {
    return `\n${CEDAR_REVIEW_HEADING}\n\nNot shown: the base records no model of ${withoutBaseModel.map(markdownCode).join(", ")} to render its twin from.\n`;
  }
  const diffs = widened.map((stack) => diffCedarTwins(stack, twinOf(sides.base, stack), twinOf(sides.head, stack)));
  return `\n${renderCedarChangesMarkdown(diffs, CEDAR_REVIEW_HEADING)}`;
}

/** The matrices of a synth output's models, or why there are none. */
function matricesOfOutput(output: SynthOutput, label: string): AccessMatrix[] | { readonly problem: string } {
  const names = [...output.stacks.keys()];
  const missing = names.filter((name) => output.models?.get(name) === undefined);
  if (missing.length > 0) {
    return {
      problem: `${label}: the stack${missing.length === 1 ? "" : "s"} ${missing.join(", ")} ${missing.length === 1 ? "has" : "have"} no ${STACK_MODEL_FILE} (the model it was built from), so who can call what cannot be read from it; run "npm run synth" again there`,
    };
  }
  return matricesOfModels(
    names.map((name) => output.models!.get(name)!),
    label,
  );
}
