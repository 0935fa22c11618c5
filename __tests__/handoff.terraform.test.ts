import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT, runSynth, synthOutput } from "../testing/app";
import { describeWithTerraform, planAlone, terraform, validateAlone } from "../testing/terraform";
import { checkoutElsewhere, tree } from "../testing/checkout";

describe("hand-off", () => {
  test("two synths of the same commit in different folders are byte-identical, assets included", () => {
    // GIVEN the project in its own folder and in a copy elsewhere
    const elsewhere = checkoutElsewhere();
    // WHEN each synthesizes
    const here = runSynth();
    const there = runSynth({}, elsewhere);
    expect([here.status, there.status]).toEqual([0, 0]);
    // THEN the outputs are the same, file for file and byte for byte
    const a = tree(here.outdir);
    const b = tree(there.outdir);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, content] of a) expect({ file, same: content.equals(b.get(file) as Buffer) }).toEqual({ file, same: true });
    expect([...a.keys()].some((f) => f.endsWith("authorizer.zip"))).toBe(true);
  });

  test("the output names no path, user or machine of the place it was made in", () => {
    const run = runSynth();
    const needles = [PROJECT_ROOT, tmpdir(), process.env.HOME, process.env.USER].filter((n): n is string => !!n && n.length > 2);
    for (const [file, content] of tree(run.outdir)) {
      const text = content.toString("latin1");
      for (const needle of needles)
        expect({ file, contains: needle, found: text.includes(needle) }).toEqual({ file, contains: needle, found: false });
    }
  });
});

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
