import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CHECKS_FILE, CHECKS_FILE_VERSION, Suppression } from "./contract";
import { CheckError } from "./errors";
import { StackInput } from "./evaluate";
import { isObject } from "./terraform";

/**
 * Reads a synthesized app: `manifest.json` names the stacks; each stack's `cdk.tf.json` and,
 * when present, its `scopegate-checks.json` (the suppressions the configuration carried).
 * The only code of the checks that reads files.
 *
 * @param outdir the output folder
 * @param label the folder as the user named it, for messages (a relative path stays relative)
 * @throws CheckError `ERR_CHECK_NO_OUTPUT` when the folder or its manifest is missing,
 *   `ERR_CHECK_BAD_OUTPUT` when a file cannot be read or has an unexpected shape
 */
export function readOutput(outdir: string, label: string = outdir): StackInput[] {
  if (!existsSync(outdir)) {
    throw new CheckError(
      "ERR_CHECK_NO_OUTPUT",
      `${label} does not exist: run "npm run synth" first (or pass --out <the folder cdktf synthesized into>)`,
    );
  }
  const manifestFile = join(outdir, "manifest.json");
  if (!existsSync(manifestFile)) {
    throw new CheckError(
      "ERR_CHECK_NO_OUTPUT",
      `${label} has no manifest.json, so it is not a synthesized app: run "npm run synth" first (or pass --out <the folder cdktf synthesized into>)`,
    );
  }
  const manifest = readJson(manifestFile, join(label, "manifest.json"));
  const stacks = isObject(manifest) && isObject(manifest.stacks) ? manifest.stacks : undefined;
  if (stacks === undefined || Object.keys(stacks).length === 0) {
    throw new CheckError("ERR_CHECK_BAD_OUTPUT", `${join(label, "manifest.json")} lists no stacks: run "npm run synth" again`);
  }
  return Object.entries(stacks).map(([key, entry]) => {
    const stack = isObject(entry) ? entry : {};
    const name = typeof stack.name === "string" ? stack.name : key;
    const synthesized = stack.synthesizedStackPath;
    if (typeof synthesized !== "string") {
      throw new CheckError("ERR_CHECK_BAD_OUTPUT", `${join(label, "manifest.json")}: stacks.${key}.synthesizedStackPath is missing`);
    }
    const template = readJson(join(outdir, synthesized), join(label, synthesized));
    const folder = typeof stack.workingDirectory === "string" ? stack.workingDirectory : dirname(synthesized);
    const checksFile = join(outdir, folder, CHECKS_FILE);
    if (!existsSync(checksFile)) return { name, template, suppressions: [], checksFile: false };
    const checksLabel = join(label, folder, CHECKS_FILE);
    return { name, template, suppressions: readSuppressions(readJson(checksFile, checksLabel), checksLabel), checksFile: true };
  });
}

function readJson(file: string, label: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CheckError(
      "ERR_CHECK_BAD_OUTPUT",
      `cannot read ${label} (${(error as NodeJS.ErrnoException).code ?? String(error)}): run "npm run synth" again`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CheckError("ERR_CHECK_BAD_OUTPUT", `${label} is not valid JSON (${(error as Error).message}): run "npm run synth" again`);
  }
}

/** The suppressions of a `scopegate-checks.json`, checked for shape (the configuration checked their meaning). */
function readSuppressions(document: unknown, label: string): Suppression[] {
  const bad = (what: string) =>
    new CheckError(
      "ERR_CHECK_BAD_OUTPUT",
      `${label}: ${what}; it is written by "npm run synth" from the configuration's checks.suppressions, so synthesize again`,
    );
  if (!isObject(document) || document.version !== CHECKS_FILE_VERSION) throw bad(`version must be ${CHECKS_FILE_VERSION}`);
  if (!Array.isArray(document.suppressions)) throw bad("suppressions must be a list");
  return document.suppressions.map((item, index) => {
    const s = isObject(item) ? item : {};
    for (const field of ["rule", "resource", "reason"]) {
      if (typeof s[field] !== "string" || (s[field] as string).trim() === "")
        throw bad(`suppressions[${index}].${field} must be a non-empty string`);
    }
    return { rule: s.rule as string, resource: s.resource as string, reason: s.reason as string };
  });
}
