/**
 * Reading what `npm run synth` writes (`cdktf.out`): `manifest.json` names the stacks, and each
 * stack's `cdk.tf.json` holds its Terraform JSON. The one reader of the checks, the review and the
 * hand-off; each turns a problem into its own error code through `fail`.
 *
 * @packageDocumentation
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { isJsonObject } from "./json";
import { STACK_MODEL_FILE, decodeStackModel, type StackModel } from "./stack-model";

/** The folder `npm run synth` writes when `CDKTF_OUTDIR` is not set. */
export const DEFAULT_SYNTH_OUT = "cdktf.out";

/**
 * The folder `npm run synth` writes: `CDKTF_OUTDIR` when set and not blank, else {@link DEFAULT_SYNTH_OUT}.
 *
 * @param env - where `CDKTF_OUTDIR` is read
 */
export function synthOutDir(env: NodeJS.ProcessEnv): string {
  const named = env.CDKTF_OUTDIR;
  return named !== undefined && named.trim() !== "" ? named : DEFAULT_SYNTH_OUT;
}

/** One stack of a synth output. */
export interface SynthesizedStack {
  /** The stack's name, as the manifest names it. */
  readonly name: string;
  /** The parsed `cdk.tf.json`. */
  readonly template: Readonly<Record<string, unknown>>;
  /** The stack's folder inside the output, as the manifest names it, e.g. `stacks/<name>`. */
  readonly relativeFolder: string;
  /** The stack's folder (holding `cdk.tf.json` and its assets): the output folder joined with `relativeFolder`. */
  readonly folder: string;
  /**
   * The model the stack was synthesized from (`scopegate.model.json` beside `cdk.tf.json`), its
   * digest verified; absent when the folder has none (an output of an older scopegate, or made
   * by hand): see {@link requireStackModels}.
   */
  readonly model?: StackModel;
}

/** What is wrong with a synth output: there is none, or it is damaged. */
export type SynthOutputProblem = "missing" | "damaged";

/** How {@link readSynthOutput} names things and fails. */
export interface ReadSynthOutputOptions {
  /** The output folder as the user named it, for messages (a relative path stays relative). @default the folder read */
  readonly label?: string;
  /** The flag that names the folder, for the hint in messages: `"--out"`. @default no hint */
  readonly flag?: string;
  /** The caller's error for a problem; `message` names the file and says to run `npm run synth`. */
  readonly fail: (problem: SynthOutputProblem, message: string) => Error;
}

/**
 * Reads a synth output folder: every stack the manifest lists, in its order, with its Terraform JSON.
 *
 * @param dir - the folder holding `manifest.json`
 * @throws what `options.fail` builds: `"missing"` when the folder or its manifest is missing,
 *   `"damaged"` when a file cannot be read, is not JSON, or has an unexpected shape
 */
export function readSynthOutput(dir: string, options: ReadSynthOutputOptions): SynthesizedStack[] {
  const label = options.label ?? dir;
  const hint = options.flag === undefined ? "" : ` (or pass ${options.flag} <the folder cdktf synthesized into>)`;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw options.fail("missing", `${label} does not exist: run "npm run synth" first${hint}`);
  }
  const manifestFile = join(dir, "manifest.json");
  if (!existsSync(manifestFile)) {
    throw options.fail("missing", `${label} has no manifest.json, so it is not a synthesized app: run "npm run synth" first${hint}`);
  }
  const manifestLabel = join(label, "manifest.json");
  const damaged = (message: string) => options.fail("damaged", message);
  const manifest = readSynthJson(manifestFile, manifestLabel, damaged);
  const stacks = isJsonObject(manifest) ? manifest.stacks : undefined;
  if (!isJsonObject(stacks)) throw damaged(`${manifestLabel} has no "stacks" object: run "npm run synth" again`);
  return Object.entries(stacks).map(([key, value]) => {
    const entry = isJsonObject(value) ? value : {};
    const synthesized = entry.synthesizedStackPath;
    if (typeof synthesized !== "string")
      throw damaged(`${manifestLabel}: stacks.${key}.synthesizedStackPath is missing: run "npm run synth" again`);
    const templateLabel = join(label, synthesized);
    const template = readSynthJson(join(dir, synthesized), templateLabel, damaged);
    if (!isJsonObject(template)) throw damaged(`${templateLabel} is not a Terraform JSON object: run "npm run synth" again`);
    const relativeFolder = typeof entry.workingDirectory === "string" ? entry.workingDirectory : dirname(synthesized);
    const folder = join(dir, relativeFolder);
    const model = readStackModel(folder, join(label, relativeFolder, STACK_MODEL_FILE), damaged);
    return { name: typeof entry.name === "string" ? entry.name : key, template, relativeFolder, folder, ...(model ? { model } : {}) };
  });
}

function readStackModel(folder: string, label: string, damaged: (message: string) => Error): StackModel | undefined {
  const file = join(folder, STACK_MODEL_FILE);
  if (!existsSync(file)) return undefined;
  const decoded = decodeStackModel(readSynthJson(file, label, damaged));
  if ("problem" in decoded) throw damaged(`${label} ${decoded.problem}: run "npm run synth" again`);
  return decoded;
}

/**
 * The stacks of a synth output, each with its model: a tool that reads the model (the matrix, the
 * review's access changes, the hand-off) refuses an output without one rather than work from
 * something else.
 *
 * @param label - the output folder as the user named it, for messages
 * @param fail - the caller's error, given a message that names the stack folder and the fix
 */
export function requireStackModels(
  stacks: readonly SynthesizedStack[],
  label: string,
  fail: (message: string) => Error,
): (SynthesizedStack & { readonly model: StackModel })[] {
  const missing = stacks.filter((stack) => stack.model === undefined).map((stack) => join(label, stack.relativeFolder));
  if (missing.length > 0) {
    throw fail(
      `${missing.join(", ")} ${missing.length === 1 ? "has" : "have"} no ${STACK_MODEL_FILE} (the model the stack was built from): it was synthesized by an older scopegate or by hand; run "npm run synth" again`,
    );
  }
  return stacks as (SynthesizedStack & { readonly model: StackModel })[];
}

/**
 * Reads one JSON file of a synth output.
 *
 * @param label - the file as the user would name it, for messages
 * @param fail - the caller's error, given a message that names the file and says to synthesize again
 */
export function readSynthJson(file: string, label: string, fail: (message: string) => Error): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw fail(`cannot read ${label} (${(error as NodeJS.ErrnoException).code ?? String(error)}): run "npm run synth" again`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw fail(`${label} is not valid JSON (${(error as Error).message}): run "npm run synth" again`);
  }
}
