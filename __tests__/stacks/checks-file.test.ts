import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { CHECKS_FILE } from "../../contracts/check-rules";
import { ScopegateStack } from "../../stacks/scopegate-stack";
import { exampleConfig, stubBundle } from "../../testing/synth";

describe("the stack's scopegate-checks.json", () => {
  test("carries the suppressions next to cdk.tf.json, and leaves the Terraform untouched", () => {
    // GIVEN the example with its suppressions
    const config = exampleConfig();
    const stack = new ScopegateStack(Testing.app(), config.name, { config, buildAuthorizer: stubBundle });
    // WHEN fully synthesized
    const outdir = Testing.fullSynth(stack);
    const folder = join(outdir, "stacks", config.name);
    // THEN the file holds exactly the suppressions, and cdk.tf.json does not mention them
    expect(JSON.parse(readFileSync(join(folder, CHECKS_FILE), "utf8"))).toEqual({ version: 1, suppressions: config.checks.suppressions });
    expect(existsSync(join(folder, "cdk.tf.json"))).toBe(true);
    expect(readFileSync(join(folder, "cdk.tf.json"), "utf8")).not.toMatch(/suppression|SG-[A-Z]+-\d{3}/);
  });
});
