import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthOutput } from "../testing/app";
import { describeWithTerraform, planAlone, terraform, validateAlone } from "../testing/terraform";

// A stack folder copied alone, run by Terraform; the synth's own hand-off tests are in handoff.test.ts.

describeWithTerraform("a stack folder copied alone", (tf) => {
  test("runs terraform init, validate and plan by itself", async () => {
    // GIVEN only the stack folder, copied somewhere else
    const copy = join(mkdtempSync(join(tmpdir(), "scopegate-handoff-")), "stack");
    cpSync(join(synthOutput(), "stacks", "scopegate-example"), copy, { recursive: true });
    // WHEN a platform team runs Terraform there (init with the folder's own settings; validate and
    // plan each work on the folder copied alone, and the run's other suites share their results)
    terraform(tf, copy, ["init", "-input=false", "-no-color"]);
    const validation = await validateAlone(tf, copy);
    const plan = await planAlone(tf, copy);
    // THEN it validates and plans every resource
    expect([validation.valid, validation.warning_count]).toEqual([true, 0]);
    expect(plan.text).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
  }, 300000);
});
