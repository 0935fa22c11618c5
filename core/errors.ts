/**
 * The error family of the generator and the tools: "scopegate cannot do what you asked" (an
 * invalid configuration, a missing synth output, a wrong flag). Every error carries a stable
 * `ERR_*` code from {@link ERROR_CODES}, the one table that `help` and the docs are tested against.
 *
 * The authorizer's request denials (401 / 403 with a reason, `functions/authorizer/reasons.ts`)
 * are a different family: they are values, not errors.
 *
 * @packageDocumentation
 */

/** What a code means and how to fix it, one line each. */
export interface ErrorCodeInfo {
  /** The command that stops with it. */
  readonly command: "synth" | "check" | "review" | "matrix" | "handoff" | "adopt";
  /** What went wrong, in one line. */
  readonly meaning: string;
  /** What to do about it, in one line (`help` prints it next to the code). */
  readonly fix: string;
}

/**
 * Every `ERR_*` code scopegate stops with: code → meaning and fix. `help` lists each code with its
 * fix, and nothing else (`__tests__/core/errors.test.ts`).
 */
export const ERROR_CODES = {
  ERR_CONFIG_INVALID: {
    command: "synth",
    meaning: "the configuration is unreadable, not JSON, or has invalid fields (every problem is listed with its path)",
    fix: "fix each listed field and run again; docs/configuration.md lists every field",
  },
  ERR_CONFIG_NOT_FOUND: {
    command: "synth",
    meaning: "SCOPEGATE_CONFIG or the cdktf context configFile names a file that does not exist, or CDKTF_CONTEXT_JSON is not JSON",
    fix: "check the path (relative paths start at the folder you run from), or unset it to use the built-in example",
  },
  ERR_SYNTH_OUTDIR: {
    command: "synth",
    meaning: "CDKTF_OUTDIR is empty, names a file, or its parent folder does not exist",
    fix: "create the parent folder (mkdir -p <parent>) or point CDKTF_OUTDIR at a folder in an existing one",
  },
  ERR_SYNTH_FAILED: {
    command: "synth",
    meaning: "anything else stopped the synth: main.ts does not compile, the authorizer's bundle does not build, or a bug",
    fix: "read the message (esbuild's errors are printed above it; npm run build type-checks), else report it",
  },
  ERR_CHECK_NO_OUTPUT: {
    command: "check",
    meaning: "the output folder or its manifest.json is missing",
    fix: "run npm run synth, or pass --out",
  },
  ERR_CHECK_BAD_OUTPUT: {
    command: "check",
    meaning: "a file of the synth output is unreadable or has an unexpected shape, or a stack has no scopegate.model.json",
    fix: "run npm run synth again",
  },
  ERR_CHECK_UNKNOWN_RULE: {
    command: "check",
    meaning: "a suppression in scopegate-checks.json names a rule id no rule has",
    fix: "see npm run check -- --rules, fix checks.suppressions and synth again",
  },
  ERR_CHECK_USAGE: {
    command: "check",
    meaning: "an unknown option or a bad option value",
    fix: "see npm run check -- --help",
  },
  ERR_CHECK_RULE_FAILED: {
    command: "check",
    meaning: "a rule threw (a bug in checks/rules, never a finding)",
    fix: "report it with the message",
  },
  ERR_REVIEW_USAGE: {
    command: "review",
    meaning: "flags missing, unknown or combined wrongly, or --out not writable",
    fix: "see npm run review -- --help",
  },
  ERR_REVIEW_INPUT: {
    command: "review",
    meaning: "a plan file or synth output folder is missing or malformed",
    fix: "pass the JSON of terraform show -json <planfile>, or a folder npm run synth wrote",
  },
  ERR_REVIEW_GIT: {
    command: "review",
    meaning: "the --base ref cannot be resolved or exported",
    fix: "run from the repository and fetch the ref first (in GitHub Actions: fetch-depth: 0)",
  },
  ERR_REVIEW_SYNTH: {
    command: "review",
    meaning: "synthesizing the base or the head failed",
    fix: "make npm run synth pass there; the message shows the app's error",
  },
  ERR_REVIEW_TERRAFORM: {
    command: "review",
    meaning: "the offline terraform init, plan or show failed",
    fix: "install Terraform and a hashicorp/aws mirror (--plugin-mirror or SCOPEGATE_TF_PLUGIN_MIRROR)",
  },
  ERR_MATRIX_USAGE: {
    command: "matrix",
    meaning: "an unknown option or a bad option value, or --out cannot be written",
    fix: "see npm run matrix -- --help",
  },
  ERR_MATRIX_STALE: {
    command: "matrix",
    meaning: "the synth output holds no scopegate.model.json, or was synthesized from another configuration than the one named",
    fix: "run npm run synth with the same configuration, unset SCOPEGATE_CONFIG to show the output as it is, or pass --out",
  },
  ERR_HANDOFF_USAGE: {
    command: "handoff",
    meaning: "an unknown option or bad value, or --out names a folder that is not a hand-off or cannot be written",
    fix: "see npm run handoff -- --help, or choose another --out",
  },
  ERR_HANDOFF_NO_OUTPUT: {
    command: "handoff",
    meaning: "no synth output",
    fix: "run npm run synth first, or pass --from",
  },
  ERR_HANDOFF_STALE: {
    command: "handoff",
    meaning:
      "the synth output was built from another configuration than the one named, or its model does not say what its cdk.tf.json creates",
    fix: "synth again with the same configuration, or unset SCOPEGATE_CONFIG to hand off the output as it is",
  },
  ERR_HANDOFF_UNSAFE: {
    command: "handoff",
    meaning:
      "the synth output holds Terraform that reads files or the environment, unmasks secrets or runs programs when planned (SG-TF-001)",
    fix: "never plan or hand off that output; regenerate it with npm run synth from a reviewed configuration",
  },
  ERR_HANDOFF_UNSUPPORTED: {
    command: "handoff",
    meaning: "Terraform JSON the HCL writer does not translate (no provider binding for a type, an argument typed any, a dynamic block)",
    fix: "the message says what; remove it from the stack or extend handoff/",
  },
  ERR_ADOPT_USAGE: {
    command: "adopt",
    meaning: "an unknown option or bad value, --from is not a folder, or --out exists (without --force) or cannot be written",
    fix: "see npm run adopt -- --help",
  },
  ERR_ADOPT_INPUT: {
    command: "adopt",
    meaning:
      "a file of the --from folder is not JSON, is no AWS CLI output adopt reads, repeats a command given once, belongs to another pool, or describe-user-pool is missing",
    fix: "the message names the file and JSON path; save each command's unmodified output once (docs/existing-pool.md)",
  },
  ERR_ADOPT_REFUSED: {
    command: "adopt",
    meaning:
      "the pool has a setting the stack would replace the pool or a resource over, or that the configuration cannot hold (each named with its file and JSON path)",
    fix: "change the setting in the pool as the message says, or leave the pool attached (userPool.existing) instead of adopting it",
  },
  ERR_SYNTH_CEDAR: {
    command: "synth",
    meaning:
      "a stack's Cedar twin (cedar/) does not validate against its schema with Cedar's validator (a bug: the twin is rendered from the configuration alone)",
    fix: "report it with the message; nothing was written",
  },
  ERR_CHECK_CEDAR: {
    command: "check",
    meaning:
      "a stack's Cedar twin (cedar/) is missing, differs from what its scopegate.model.json gives, or does not validate against its schema",
    fix: "never deploy or hand off that output; run npm run synth again",
  },
} as const satisfies Record<`ERR_${string}`, ErrorCodeInfo>;

/** A stable error code: a key of {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Base class of every scopegate error: a stable {@link ErrorCode} and a message that names the
 * field, flag or file concerned, the value found and the fix. Tools print it as `CODE: message`,
 * without a stack trace (see `core/cli.ts`).
 */
export class ScopegateError extends Error {
  /** Stable error code, listed in {@link ERROR_CODES} and `help`. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ScopegateError";
    this.code = code;
  }
}

/** True for every code of {@link ERROR_CODES}. */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/**
 * The last `maxLines` lines of a child process's output, for an error message, preceded by its
 * first error line when that is further up (Node prints "Error: Cannot find module …" above a
 * long stack).
 *
 * @param maxLines - how many lines to keep; @default 15
 */
export function tail(text: string, maxLines = 15): string {
  const lines = text.trimEnd().split("\n");
  const last = lines.slice(-maxLines);
  const headline = lines.find((line) => /^\s*(\w*Error\b|ERR_[A-Z_]+)/.test(line));
  const shown =
    lines.length <= maxLines ? lines : headline !== undefined && !last.includes(headline) ? [headline, "…", ...last] : ["…", ...last];
  return shown.map((line) => `  ${line}`).join("\n");
}
