import { ScopegateError } from "../core/errors";

/**
 * The hand-off cannot be written as asked. Every message names the field or file concerned, the
 * value found and the fix.
 *
 * Stable codes:
 * - `ERR_HANDOFF_USAGE`: an unknown option or a bad value;
 * - `ERR_HANDOFF_NO_OUTPUT`: no synth output (run `npm run synth` first, or pass `--from`);
 * - `ERR_HANDOFF_STALE`: the synth output was built from another configuration than the one named, or its model does not say what its `cdk.tf.json` creates;
 * - `ERR_HANDOFF_UNSAFE`: the Terraform JSON holds an expression that reads files or the environment,
 *   unmasks secrets or runs programs (`SG-TF-001`): it is never handed off;
 * - `ERR_HANDOFF_UNSUPPORTED`: the Terraform JSON holds a construct the HCL writer does not
 *   translate (a type no AWS provider binding describes, an argument a binding types `any`, a `dynamic` block, …).
 */
export class HandoffError extends ScopegateError {
  /** Stable error code. */
  declare readonly code: HandoffErrorCode;

  constructor(code: HandoffErrorCode, message: string) {
    super(code, message);
    this.name = "HandoffError";
  }
}

/** Codes of {@link HandoffError}. */
export type HandoffErrorCode =
  "ERR_HANDOFF_USAGE" | "ERR_HANDOFF_NO_OUTPUT" | "ERR_HANDOFF_STALE" | "ERR_HANDOFF_UNSUPPORTED" | "ERR_HANDOFF_UNSAFE";
