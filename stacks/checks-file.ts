import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { IStackSynthesizer, ISynthesisSession, TerraformStack } from "cdktf";
import { CHECKS_FILE, CHECKS_FILE_VERSION, ChecksFile } from "../checks/contract";
import { ChecksConfig } from "./config/model";

/**
 * Synthesizes a stack as usual, then writes the configuration's check suppressions to
 * `scopegate-checks.json` next to its `cdk.tf.json`, so `npm run check` reads them without the
 * configuration. Terraform reads only `*.tf` and `*.tf.json` files: the plan is unaffected.
 */
export class ChecksFileSynthesizer implements IStackSynthesizer {
  /**
   * @param stack the stack whose folder receives the file
   * @param inner the stack's own synthesizer, which writes `cdk.tf.json`
   * @param checks the validated `checks` section of the configuration
   */
  constructor(
    private readonly stack: TerraformStack,
    private readonly inner: IStackSynthesizer,
    private readonly checks: ChecksConfig,
  ) {}

  /** Writes `cdk.tf.json` (through the stack's own synthesizer), then {@link CHECKS_FILE}. */
  synthesize(session: ISynthesisSession): void {
    this.inner.synthesize(session);
    const folder = join(session.outdir, session.manifest.forStack(this.stack).workingDirectory);
    const content: ChecksFile = {
      version: CHECKS_FILE_VERSION,
      suppressions: this.checks.suppressions.map(({ rule, resource, reason }) => ({ rule, resource, reason })),
    };
    writeFileSync(join(folder, CHECKS_FILE), `${JSON.stringify(content, null, 2)}\n`);
  }
}
