import { ScopegateError } from "../../core/errors";

/**
 * One problem found in a configuration: where it is, what was received and what is allowed.
 */
export interface ConfigIssue {
  /** Path of the field, e.g. `resourceServers[0].scopes[1].name`. */
  readonly path: string;
  /** What is wrong and how to fix it, including the value received. */
  readonly message: string;
}

/**
 * The configuration cannot be synthesized. Carries every problem found, not just the first, so a
 * user fixes them all in one round.
 *
 * Stable code: `ERR_CONFIG_INVALID` (see `help`).
 */
export class ConfigError extends ScopegateError {
  /** Stable error code. */
  declare readonly code: "ERR_CONFIG_INVALID";
  /** Every problem found, in document order. */
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`);
    super(
      "ERR_CONFIG_INVALID",
      `${source} is not a valid scopegate configuration (${issues.length} ${
        issues.length === 1 ? "problem" : "problems"
      }):\n${lines.join("\n")}`,
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** Renders a received value for an error message, short and unambiguous (the one `show`, in core/). */
export { show } from "../../core/show";
