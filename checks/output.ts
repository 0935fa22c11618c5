import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { StackModel } from "../core/stack-model";
import { readSynthJson, readSynthOutput, requireStackModels } from "../core/synth-output";
import { CHECKS_FILE, CHECKS_FILE_VERSION, Suppression } from "../contracts/check-rules";
import { CheckError } from "./errors";
import { StackInput } from "./evaluate";
import { isJsonObject } from "../core/json";

/**
 * Reads a synthesized app (`core/synth-output.ts`): each stack's `cdk.tf.json` and, when present,
 * its `scopegate-checks.json` (the suppressions the configuration carried), and lists the other
 * Terraform files of its folder. The only code of the checks that reads files.
 *
 * @param outdir the output folder
 * @param label the folder as the user named it, for messages (a relative path stays relative) @default outdir
 * @param flag the flag that names the folder, for messages @default "--out"
 * A stack without the model it was built from (`scopegate.model.json`) is refused: the output was
 * synthesized by an older scopegate or by hand, and the tools read one input, the one synth writes.
 *
 * @throws CheckError `ERR_CHECK_NO_OUTPUT` when the folder or its manifest is missing,
 *   `ERR_CHECK_BAD_OUTPUT` when a file cannot be read or has an unexpected shape, a stack has no
 *   model, or no stack is listed
 */
export function readOutput(outdir: string, label: string = outdir, flag = "--out"): (StackInput & { readonly model: StackModel })[] {
  const read = readSynthOutput(outdir, {
    label,
    flag,
    fail: (problem, message) => new CheckError(problem === "missing" ? "ERR_CHECK_NO_OUTPUT" : "ERR_CHECK_BAD_OUTPUT", message),
  });
  if (read.length === 0) {
    throw new CheckError("ERR_CHECK_BAD_OUTPUT", `${join(label, "manifest.json")} lists no stacks: run "npm run synth" again`);
  }
  const stacks = requireStackModels(read, label, (message) => new CheckError("ERR_CHECK_BAD_OUTPUT", message));
  return stacks.map(({ name, template, folder, relativeFolder, model }) => ({
    name,
    template,
    model,
    ...readStackChecksFiles(folder, join(label, relativeFolder)),
  }));
}

/**
 * What a stack's folder holds for the checks beside `cdk.tf.json`: the suppressions its
 * `scopegate-checks.json` carries, and the other files Terraform would read with it.
 *
 * @param folder - the stack's folder
 * @param label - the folder as the user would name it, for messages
 * @throws CheckError `ERR_CHECK_BAD_OUTPUT` when `scopegate-checks.json` is unreadable or has an unexpected shape
 */
export function readStackChecksFiles(
  folder: string,
  label: string,
): Pick<StackInput, "suppressions" | "checksFile" | "otherTerraformFiles"> {
  const otherFiles = otherTerraformFiles(folder);
  const others = otherFiles.length === 0 ? {} : { otherTerraformFiles: otherFiles };
  const checksFile = join(folder, CHECKS_FILE);
  if (!existsSync(checksFile)) return { suppressions: [], checksFile: false, ...others };
  const checksLabel = join(label, CHECKS_FILE);
  const document = readSynthJson(checksFile, checksLabel, (message) => new CheckError("ERR_CHECK_BAD_OUTPUT", message));
  return { suppressions: readSuppressions(document, checksLabel), checksFile: true, ...others };
}

/** Terraform reads every file of a folder with one of these endings, not only `cdk.tf.json`. */
const TERRAFORM_FILE = /\.(tf|tf\.json|tofu|tofu\.json)$/;

/**
 * The files of a stack's folder, other than `cdk.tf.json`, that Terraform reads with it (a synth
 * writes none), sorted; none when the folder cannot be listed.
 */
export function otherTerraformFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => TERRAFORM_FILE.test(name) && name !== "cdk.tf.json")
      .sort();
  } catch {
    return [];
  }
}

/** The suppressions of a `scopegate-checks.json`, checked for shape (the configuration checked their meaning). */
function readSuppressions(document: unknown, label: string): Suppression[] {
  const bad = (what: string) =>
    new CheckError(
      "ERR_CHECK_BAD_OUTPUT",
      `${label}: ${what}; it is written by "npm run synth" from the configuration's checks.suppressions, so synthesize again`,
    );
  if (!isJsonObject(document) || document.version !== CHECKS_FILE_VERSION) throw bad(`version must be ${CHECKS_FILE_VERSION}`);
  if (!Array.isArray(document.suppressions)) throw bad("suppressions must be a list");
  return document.suppressions.map((item, index) => {
    const s = isJsonObject(item) ? item : {};
    for (const field of ["rule", "resource", "reason"]) {
      if (typeof s[field] !== "string" || (s[field] as string).trim() === "")
        throw bad(`suppressions[${index}].${field} must be a non-empty string`);
    }
    return { rule: s.rule as string, resource: s.resource as string, reason: s.reason as string };
  });
}
