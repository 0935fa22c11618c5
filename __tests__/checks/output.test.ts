import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHECKS_FILE } from "../../contracts/check-rules";
import { CheckError } from "../../checks/errors";
import { readOutput } from "../../checks/output";
import { STACK_MODEL_FILE, encodeStackModel } from "../../core/stack-model";

/** A fake synthesized app: a manifest with one stack, its model, and the given files in its folder. */
function output(
  files: Record<string, string>,
  manifest?: string,
  model: string | null = encodeStackModel({ name: "one" }, "one.json"),
): string {
  const outdir = join(mkdtempSync(join(tmpdir(), "scopegate-checks-")), "cdktf.out");
  mkdirSync(join(outdir, "stacks", "one"), { recursive: true });
  const stack = { name: "one", synthesizedStackPath: "stacks/one/cdk.tf.json", workingDirectory: "stacks/one" };
  writeFileSync(join(outdir, "manifest.json"), manifest ?? JSON.stringify({ stacks: { one: stack } }));
  if (model !== null) writeFileSync(join(outdir, "stacks", "one", STACK_MODEL_FILE), model);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(outdir, "stacks", "one", name), content);
  return outdir;
}

function errorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CheckError);
    return { code: (error as CheckError).code, message: (error as CheckError).message };
  }
  throw new Error("expected a CheckError");
}

describe("readOutput", () => {
  test("reads each stack's Terraform and its suppressions", () => {
    // GIVEN an output with a template and a checks file
    const suppression = { rule: "SG-LOGS-002", resource: "logs", reason: "test" };
    const outdir = output({ "cdk.tf.json": '{"resource":{}}', [CHECKS_FILE]: JSON.stringify({ version: 1, suppressions: [suppression] }) });
    // WHEN read THEN the stack comes with both
    expect(readOutput(outdir)).toEqual([
      {
        name: "one",
        template: { resource: {} },
        suppressions: [suppression],
        checksFile: true,
        model: expect.objectContaining({ model: { name: "one" } }),
      },
    ]);
  });

  test("a stack without scopegate-checks.json has no suppressions, and says so", () => {
    // GIVEN an output without the checks file WHEN read THEN the stack has no suppressions and is marked
    const outdir = output({ "cdk.tf.json": "{}" });
    expect(readOutput(outdir)).toEqual([
      { name: "one", template: {}, suppressions: [], checksFile: false, model: expect.objectContaining({ configuration: "one.json" }) },
    ]);
  });

  test("lists the other files of a stack's folder that Terraform would read with cdk.tf.json", () => {
    // GIVEN a stack folder with a planted .tf file, an override and files Terraform ignores
    const outdir = output({ "cdk.tf.json": "{}", "evil.tf": "", "x_override.tf.json": "{}", "notes.txt": "", "vars.tfvars": "" });
    // WHEN read THEN the two Terraform files are listed, sorted
    expect(readOutput(outdir)[0].otherTerraformFiles).toEqual(["evil.tf", "x_override.tf.json"]);
  });

  test("fails when the output folder is missing, saying to synthesize first", () => {
    // GIVEN no output folder WHEN read THEN ERR_CHECK_NO_OUTPUT says what to do
    expect(errorOf(() => readOutput(join(tmpdir(), "no-such-scopegate-output")))).toEqual({
      code: "ERR_CHECK_NO_OUTPUT",
      message: expect.stringContaining('does not exist: run "npm run synth" first (or pass --out <the folder cdktf synthesized into>)'),
    });
  });

  test("fails when the folder has no manifest.json", () => {
    // GIVEN an empty folder WHEN read THEN ERR_CHECK_NO_OUTPUT names it and says what to do
    const outdir = mkdtempSync(join(tmpdir(), "scopegate-empty-"));
    expect(errorOf(() => readOutput(outdir))).toEqual({
      code: "ERR_CHECK_NO_OUTPUT",
      message: `${outdir} has no manifest.json, so it is not a synthesized app: run "npm run synth" first (or pass --out <the folder cdktf synthesized into>)`,
    });
  });

  test("fails when a stack has no model (an output of an older scopegate, or made by hand), saying to synthesize again", () => {
    const outdir = output({ "cdk.tf.json": "{}" }, undefined, null);
    expect(errorOf(() => readOutput(outdir))).toEqual({
      code: "ERR_CHECK_BAD_OUTPUT",
      message: `${join(outdir, "stacks", "one")} has no scopegate.model.json (the model the stack was built from): it was synthesized by an older scopegate or by hand; run "npm run synth" again`,
    });
  });

  test.each([
    ["a manifest that is not JSON", {}, "{", /manifest\.json is not valid JSON/],
    [
      "a model edited after synth",
      { "cdk.tf.json": "{}", [STACK_MODEL_FILE]: '{"format":"scopegate-model/1","configuration":"x","digest":"sha256:0","model":{}}' },
      undefined,
      /scopegate\.model\.json holds a model whose digest is sha256:\w+, not the recorded sha256:0/,
    ],
    ["a manifest without stacks", {}, '{"stacks":{}}', /manifest\.json lists no stacks/],
    ["a missing cdk.tf.json", {}, undefined, /cannot read .*cdk\.tf\.json \(ENOENT\)/],
    [
      "a checks file of another version",
      { "cdk.tf.json": "{}", [CHECKS_FILE]: '{"version":2,"suppressions":[]}' },
      undefined,
      /version must be 1/,
    ],
    [
      "a suppression without a reason",
      { "cdk.tf.json": "{}", [CHECKS_FILE]: '{"version":1,"suppressions":[{"rule":"SG-LOGS-002","resource":"x"}]}' },
      undefined,
      /suppressions\[0\]\.reason must be a non-empty string/,
    ],
  ])("fails on %s", (_title, files, manifest, message) => {
    // GIVEN a damaged output WHEN read THEN it stops with ERR_CHECK_BAD_OUTPUT naming the file and the problem
    expect(errorOf(() => readOutput(output(files as Record<string, string>, manifest)))).toEqual({
      code: "ERR_CHECK_BAD_OUTPUT",
      message: expect.stringMatching(message),
    });
  });
});
