/**
 * The review cannot run as asked: a wrong flag, an unreadable input, a failed synth or Terraform
 * run. The message names the flag concerned and how to fix it. (Risks found in a plan are not
 * errors: they are flags in the report and, with `--fail-on`, the exit code.)
 *
 * Stable codes:
 * - `ERR_REVIEW_USAGE`: flags missing, unknown or combined wrongly;
 * - `ERR_REVIEW_INPUT`: a plan file or synth output folder is missing or malformed;
 * - `ERR_REVIEW_GIT`: the base ref cannot be resolved or exported;
 * - `ERR_REVIEW_SYNTH`: synthesizing the base or the head failed;
 * - `ERR_REVIEW_TERRAFORM`: the offline `terraform init/plan/show` failed.
 */
export class ReviewError extends Error {
  /** Stable error code. */
  readonly code: ReviewErrorCode;

  constructor(code: ReviewErrorCode, message: string) {
    super(message);
    this.name = "ReviewError";
    this.code = code;
  }
}

/** Codes of {@link ReviewError}. */
export type ReviewErrorCode = "ERR_REVIEW_USAGE" | "ERR_REVIEW_INPUT" | "ERR_REVIEW_GIT" | "ERR_REVIEW_SYNTH" | "ERR_REVIEW_TERRAFORM";

/**
 * The last `maxLines` lines of a child process's output, for an error message, preceded by its
 * first error line when that is further up (Node prints "Error: Cannot find module …" above a
 * long stack).
 */
export function tail(text: string, maxLines = 15): string {
  const lines = text.trimEnd().split("\n");
  const last = lines.slice(-maxLines);
  const headline = lines.find((line) => /^\s*(\w*Error\b|ERR_[A-Z_]+)/.test(line));
  const shown =
    lines.length <= maxLines ? lines : headline !== undefined && !last.includes(headline) ? [headline, "…", ...last] : ["…", ...last];
  return shown.map((line) => `  ${line}`).join("\n");
}
