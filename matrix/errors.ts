import { ScopegateError } from "../core/errors";

/**
 * `npm run matrix` cannot run as asked. (An invalid configuration is a
 * {@link import("../stacks/config/errors").ConfigError}, a missing one a `ConfigLocationError`.)
 *
 * Stable codes: `ERR_MATRIX_USAGE`: an unknown option or a bad value; `ERR_MATRIX_STALE`: the synth
 * output it would describe or write into holds no model, or was built from another configuration.
 */
export class MatrixError extends ScopegateError {
  /** Stable error code. */
  declare readonly code: MatrixErrorCode;

  constructor(code: MatrixErrorCode, message: string) {
    super(code, message);
    this.name = "MatrixError";
  }
}

/** Codes of {@link MatrixError}. */
export type MatrixErrorCode = "ERR_MATRIX_USAGE" | "ERR_MATRIX_STALE";
