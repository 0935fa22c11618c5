import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { IStackSynthesizer, ISynthesisSession, TerraformStack } from "cdktf";

/**
 * Synthesizes a stack as usual, then writes one JSON document next to its `cdk.tf.json`, for the
 * tools to read from the synth output. Terraform reads only `*.tf` and `*.tf.json` files: the plan
 * is unaffected.
 */
export class JsonFileSynthesizer implements IStackSynthesizer {
  /**
   * @param stack the stack whose folder receives the file
   * @param inner the stack's own synthesizer, which writes `cdk.tf.json`
   * @param fileName the file's name in the stack's folder
   * @param content the document, written as indented JSON
   */
  constructor(
    private readonly stack: TerraformStack,
    private readonly inner: IStackSynthesizer,
    private readonly fileName: string,
    private readonly content: unknown,
  ) {}

  /** Writes `cdk.tf.json` (through the stack's own synthesizer), then the document. */
  synthesize(session: ISynthesisSession): void {
    this.inner.synthesize(session);
    const folder = join(session.outdir, session.manifest.forStack(this.stack).workingDirectory);
    writeFileSync(join(folder, this.fileName), `${JSON.stringify(this.content, null, 2)}\n`);
  }
}
