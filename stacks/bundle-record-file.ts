import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { IStackSynthesizer, ISynthesisSession, TerraformStack } from "cdktf";
import type { BundleRecord } from "./authorizer-bundle";

/** The file, next to a stack's `cdk.tf.json`, that says what its authorizer bundle was built from. */
export const BUNDLE_RECORD_FILE = "authorizer-bundle.json";

/** Format of {@link BUNDLE_RECORD_FILE}. */
export const BUNDLE_RECORD_FORMAT = { format: "scopegate-authorizer-bundle", version: 1 } as const;

/**
 * Synthesizes a stack as usual, then writes what its authorizer bundle was built from (esbuild's
 * metafile, kept as project-relative paths and package versions) to {@link BUNDLE_RECORD_FILE},
 * so `npm run handoff` describes the package from a record of its build. Terraform reads only
 * `*.tf` and `*.tf.json` files: the plan is unaffected.
 */
export class BundleRecordSynthesizer implements IStackSynthesizer {
  constructor(
    private readonly stack: TerraformStack,
    private readonly inner: IStackSynthesizer,
    private readonly record: BundleRecord,
  ) {}

  synthesize(session: ISynthesisSession): void {
    this.inner.synthesize(session);
    const folder = join(session.outdir, session.manifest.forStack(this.stack).workingDirectory);
    writeFileSync(join(folder, BUNDLE_RECORD_FILE), `${JSON.stringify({ ...BUNDLE_RECORD_FORMAT, ...this.record }, null, 2)}\n`);
  }
}
