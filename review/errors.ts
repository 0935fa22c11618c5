import { ScopegateError } from "../core/errors";

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
export class ReviewError extends ScopegateError {
  /** Stable error code. */
  declare readonly code: ReviewErrorCode;

  constructor(code: ReviewErrorCode, message: string) {
    super(code, message);
    this.name = "ReviewError";
  }
}

/** Codes of {@link ReviewError}. */
export type ReviewErrorCode = "ERR_REVIEW_USAGE" | "ERR_REVIEW_INPUT" | "ERR_REVIEW_GIT" | "ERR_REVIEW_SYNTH" | "ERR_REVIEW_TERRAFORM";
