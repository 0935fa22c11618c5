/**
 * `npm run review`: reviews infrastructure changes for a pull request and writes a Markdown
 * report (for a PR comment) and a JSON summary. See `npm run review -- --help` and review/.
 *
 * Exit codes: 0 reviewed; 1 a risk at or above `--fail-on` was flagged; 2 the review could not run
 * (a {@link ReviewError} prints its code and message; anything else its stack).
 *
 * @packageDocumentation
 */
import { isAbsolute, relative } from "node:path";
import { USAGE, parseReviewArgs } from "../review/args";
import { ReviewError } from "../review/errors";
import { SEVERITIES } from "../review/model";
import { runReview } from "../review/run";

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseReviewArgs(argv);
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const run = await runReview(parsed.options);
  if (!parsed.options.quiet) process.stdout.write(run.markdown);
  const counts = SEVERITIES.map((s) => `${run.summary.flagCounts[s]} ${s}`).join(", ");
  const verdict = run.exitCode === 0 ? "" : ` (fails: --fail-on ${parsed.options.failOn})`;
  process.stderr.write(`review: ${counts}${verdict} → ${shown(run.files.markdown)}, ${shown(run.files.json)}\n`);
  return run.exitCode;
}

/** A path relative to the current folder when it is inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Exit code 1 means "a risk was flagged": every failure to review is 2.
    if (error instanceof ReviewError) process.stderr.write(`${error.code}: ${error.message}\n`);
    else
      process.stderr.write(
        `unexpected error while reviewing: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    process.exitCode = 2;
  },
);
