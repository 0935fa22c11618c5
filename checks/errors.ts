import { ScopegateError } from "../core/errors";

/**
 * Stable codes of the errors `npm run check` stops with (exit code 2), as listed in `help`:
 * - `ERR_CHECK_NO_OUTPUT`: the output folder or its `manifest.json` is missing (run `npm run synth`).
 * - `ERR_CHECK_BAD_OUTPUT`: a file of the output cannot be read or has an unexpected shape.
 * - `ERR_CHECK_UNKNOWN_RULE`: a suppression names a rule id no rule has.
 * - `ERR_CHECK_USAGE`: an unknown option or a bad option value.
 * - `ERR_CHECK_RULE_FAILED`: a rule threw (a bug in `checks/rules`, never a finding).
 * - `ERR_CHECK_CEDAR`: a stack's Cedar twin (`cedar/`) is missing, edited or invalid.
 */
export type CheckErrorCode =
  | "ERR_CHECK_NO_OUTPUT"
  | "ERR_CHECK_BAD_OUTPUT"
  | "ERR_CHECK_UNKNOWN_RULE"
  | "ERR_CHECK_USAGE"
  | "ERR_CHECK_RULE_FAILED"
  | "ERR_CHECK_CEDAR";

/** The checks cannot run: nothing was evaluated, so there is no pass or fail to report. */
export class CheckError extends ScopegateError {
  /** Stable error code. */
  declare readonly code: CheckErrorCode;

  constructor(code: CheckErrorCode, message: string) {
    super(code, message);
    this.name = "CheckError";
  }
}
