import { IStackSynthesizer, TerraformStack } from "cdktf";
import type { BundleRecord } from "./authorizer-bundle";
import { JsonFileSynthesizer } from "./json-file-synthesizer";

/** The file, next to a stack's `cdk.tf.json`, that says what its authorizer bundle was built from. */
export const BUNDLE_RECORD_FILE = "authorizer-bundle.json";

/** Format of {@link BUNDLE_RECORD_FILE}. */
export const BUNDLE_RECORD_FORMAT = { format: "scopegate-authorizer-bundle", version: 1 } as const;

/**
 * Synthesizes a stack as usual, then writes what its authorizer bundle was built from (esbuild's
 * metafile, kept as project-relative paths and package versions) to {@link BUNDLE_RECORD_FILE},
 * so `npm run handoff` describes the package from a record of its build.
 */
export class BundleRecordSynthesizer extends JsonFileSynthesizer {
  constructor(stack: TerraformStack, inner: IStackSynthesizer, record: BundleRecord) {
    super(stack, inner, BUNDLE_RECORD_FILE, { ...BUNDLE_RECORD_FORMAT, ...record });
  }
}
