/**
 * `npm run review`: reviews infrastructure changes for a pull request and writes a Markdown
 * report (for a PR comment) and a JSON summary; a tool of the one CLI shape (`core/cli.ts`).
 * `scripts/review.ts` is its entry point.
 *
 * @packageDocumentation
 */
import { ToolRun, jsonOutput, runToolAsync, shownPath } from "../core/cli";
import { REVIEW_CLI, reviewOptions } from "./args";
import { SEVERITIES } from "../core/severity";
import { ReviewContext, runReview } from "./run";

/**
 * Runs `npm run review` with `argv` (the arguments after the script name): stdout gets the
 * Markdown (nothing with `--quiet`, `review.json` with `--json`), stderr one line with the counts
 * and the files written.
 *
 * @param context - the project folder and environment @default the current folder and process.env
 * @returns exit 0 reviewed, 1 a risk at or above `--fail-on`, 2 the review could not run
 */
export function runReviewCli(argv: readonly string[], context: ReviewContext = {}): Promise<ToolRun> {
  return runToolAsync(REVIEW_CLI, argv, async (values) => {
    const options = reviewOptions(values, context.env ?? process.env);
    const run = await runReview(options, context);
    const stdout = values.json ? jsonOutput(run.summary) : options.quiet ? "" : run.markdown;
    const counts = SEVERITIES.map((s) => `${run.summary.flagCounts[s]} ${s}`).join(", ");
    const verdict = run.exitCode === 0 ? "" : ` (fails: --fail-on ${options.failOn})`;
    const cwd = context.projectDir ?? process.cwd();
    const notRun = run.planNotRun === undefined ? "" : `review: ${run.planNotRun}\n`;
    const stderr = `${notRun}review: ${counts}${verdict} → ${shownPath(cwd, run.files.markdown)}, ${shownPath(cwd, run.files.json)}\n`;
    return { status: run.exitCode, stdout, stderr };
  });
}
