import { IStackSynthesizer, TerraformStack } from "cdktf";
import { CHECKS_FILE, CHECKS_FILE_VERSION, ChecksFile } from "../contracts/check-rules";
import { ChecksConfig } from "./config/model";
import { JsonFileSynthesizer } from "./json-file-synthesizer";

/**
 * Synthesizes a stack as usual, then writes the configuration's check suppressions to
 * `scopegate-checks.json` next to its `cdk.tf.json`, so `npm run check` reads them without the
 * configuration.
 */
export class ChecksFileSynthesizer extends JsonFileSynthesizer {
  /**
   * @param stack the stack whose folder receives the file
   * @param inner the stack's own synthesizer, which writes `cdk.tf.json`
   * @param checks the validated `checks` section of the configuration
   */
  constructor(stack: TerraformStack, inner: IStackSynthesizer, checks: ChecksConfig) {
    const content: ChecksFile = {
      version: CHECKS_FILE_VERSION,
      suppressions: checks.suppressions.map(({ rule, resource, reason }) => ({ rule, resource, reason })),
    };
    super(stack, inner, CHECKS_FILE, content);
  }
}
