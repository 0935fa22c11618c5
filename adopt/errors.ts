import { ScopegateError } from "../core/errors";

/**
 * `npm run adopt` cannot run as asked, or refuses to adopt the described pool. (An invalid
 * configuration written from the describe outputs is reported as `ERR_ADOPT_REFUSED`.)
 *
 * Stable codes: `ERR_ADOPT_USAGE`: an unknown option or a bad value, `--from` not a folder,
 * `--out` existing without `--force`; `ERR_ADOPT_INPUT`: a file of the folder that is not JSON,
 * not an AWS CLI output adopt reads, repeated, of another pool, or `describe-user-pool` missing;
 * `ERR_ADOPT_REFUSED`: a described setting that adoption would replace or cannot reproduce.
 */
export class AdoptError extends ScopegateError {
  /** Stable error code. */
  declare readonly code: AdoptErrorCode;

  constructor(code: AdoptErrorCode, message: string) {
    super(code, message);
    this.name = "AdoptError";
  }
}

/** Codes of {@link AdoptError}. */
export type AdoptErrorCode = "ERR_ADOPT_USAGE" | "ERR_ADOPT_INPUT" | "ERR_ADOPT_REFUSED";
