/**
 * The access changes of a pull request, for `npm run review`: which matrices to compare for each of
 * the review's inputs, their changes, and the Markdown section to append to the review.
 *
 * @packageDocumentation
 */
import { markdownCode, markdownText } from "../core/markdown";
import { resolve } from "node:path";
import type { ExportGitRef, ExportedRef } from "../core/git-export";
import { diffMatrixSets, renderAccessChangesMarkdown, type AccessChange } from "../matrix/diff";
import { MATRIX_FILES, readMatrixFile } from "../matrix/files";
import type { AccessMatrix } from "../matrix/model";
import { matricesAtRef, matricesOfExport, matricesOfWorkingTree } from "../matrix/sources";

/**
 * The review input, as `review/args.ts` types it (only the fields read here): `base-ref` with
 * `ref` (and optionally `headOut`), `outputs` with `baseOut` and `headOut`, or a plan input.
 */
export interface ReviewInputLike {
  readonly kind: string;
  readonly ref?: string;
  readonly baseOut?: string;
  readonly headOut?: string;
}

/** Where the review runs. */
export interface AccessReviewContext {
  /** The project folder; relative paths start here. */
  readonly projectDir: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** The `--base` ref, already exported by the review. @default exported here */
  readonly base?: ExportedRef;
  /** How a ref is exported when {@link AccessReviewContext.base} is not given. @default exportGitRef */
  readonly exportRef?: ExportGitRef;
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
 * Compares who can call what before and after the change under review:
 *
 * - `--base <ref>`: the configuration at `ref` with the working tree's (or `access-matrix.json` in
 *   `--head-out` when `npm run matrix` wrote one there);
 * - `--base-out` / `--head-out`: the `access-matrix.json` that `npm run matrix -- --out <dir>`
 *   wrote into each folder;
 * - a plan: nothing to compare (a plan holds no configuration).
 *
 * @param input - the review's input
 * @param context - project folder and environment
 * @returns the changes and the Markdown section; never throws for a missing or invalid side (the
 * section says what is missing instead)
 */
export function accessChangesForReview(input: ReviewInputLike, context: AccessReviewContext): AccessReview {
  const env = context.env ?? process.env;
  const at = (path: string) => resolve(context.projectDir, path);
  // `why` is Markdown: our own words, with any message or path from elsewhere through core/markdown.ts.
  const unavailable = (why: string): AccessReview => ({ changes: [], markdown: `${ACCESS_REVIEW_HEADING}\n\nNot compared: ${why}.\n` });

  let base: AccessMatrix[] | undefined;
  let head: AccessMatrix[] | undefined;
  try {
    if (input.kind === "base-ref" && input.ref !== undefined) {
      const atRef =
        context.base === undefined
          ? matricesAtRef(context.projectDir, input.ref, env, context.exportRef)
          : matricesOfExport(context.base, env);
      if (!atRef.ok) return unavailable(markdownText(atRef.problem));
      base = atRef.matrices;
      head =
        (input.headOut === undefined ? undefined : readMatrixFile(at(input.headOut))) ?? matricesOfWorkingTree(context.projectDir, env);
    } else if (input.kind === "outputs" && input.baseOut !== undefined && input.headOut !== undefined) {
      base = readMatrixFile(at(input.baseOut));
      head = readMatrixFile(at(input.headOut));
      const missing = [base === undefined ? input.baseOut : undefined, head === undefined ? input.headOut : undefined].filter(
        (dir) => dir !== undefined,
      );
      if (missing.length > 0) {
        return unavailable(
          `${missing.map(markdownCode).join(" and ")} ${missing.length === 1 ? "has" : "have"} no ${markdownCode(MATRIX_FILES.json)}; run \`npm run matrix -- --out <dir>\` for both`,
        );
      }
    } else {
      return unavailable("a plan holds no configuration; review with --base <ref> to compare who can call what");
    }
  } catch (error) {
    return unavailable(markdownText((error as Error).message.split("\n").join(" ")));
  }
  const changes = diffMatrixSets(base ?? [], head ?? []);
  return { changes, markdown: renderAccessChangesMarkdown(changes, { heading: ACCESS_REVIEW_HEADING }) };
}
