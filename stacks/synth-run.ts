/**
 * The edges of `npm run synth` that `main.ts` wires: the output folder checked before anything is
 * written, one line per synthesized stack, and every failure as one coded message without a stack
 * trace.
 *
 * @packageDocumentation
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { shownPath } from "../core/cli";
import { ScopegateError, type ErrorCode } from "../core/errors";
import { isJsonObject } from "../core/json";
import { STACK_MODEL_FILE, encodeStackModel } from "../core/stack-model";
import { readSynthOutput } from "../core/synth-output";
import { cedarTwinProblems } from "./cedar/cedar-wasm";
import { CEDAR_FOLDER, cedarTwinFiles, renderCedarTwin } from "./cedar/render";
import type { ScopegateConfig } from "./config/model";

/** The variable the cdktf CLI (and the user) name the output folder with; cdktf's default is `cdktf.out`. */
export const OUTDIR_VARIABLE = "CDKTF_OUTDIR";

/** The stable codes of {@link SynthError}. */
export type SynthErrorCode = Extract<ErrorCode, `ERR_SYNTH_${string}`>;

/** The synth could not write its output. The message names the cause and the fix. */
export class SynthError extends ScopegateError {
  /** Stable error code. */
  declare readonly code: SynthErrorCode;

  /**
   * @param code - the stable code
   * @param message - what went wrong and how to fix it
   */
  constructor(code: SynthErrorCode, message: string) {
    super(code, message);
    this.name = "SynthError";
  }
}

/**
 * Checks the output folder before the cdktf `App` creates it (it creates one level only, and then
 * fails with a bare `ENOENT`).
 *
 * @param value - the value of {@link OUTDIR_VARIABLE}; `undefined` means cdktf's default, `cdktf.out`
 * @param cwd - the folder relative paths start at
 * @throws SynthError `ERR_SYNTH_OUTDIR` when the value is empty, names a file, or its parent folder does not exist
 */
export function checkOutputFolder(value: string | undefined, cwd: string = process.cwd()): void {
  if (value === undefined) return;
  const shown = JSON.stringify(value);
  if (value.trim() === "") {
    throw new SynthError("ERR_SYNTH_OUTDIR", `${OUTDIR_VARIABLE} is empty; unset it (the output goes to cdktf.out) or name a folder`);
  }
  const folder = path.resolve(cwd, value);
  if (existsSync(folder)) {
    if (!statSync(folder).isDirectory()) {
      throw new SynthError(
        "ERR_SYNTH_OUTDIR",
        `${OUTDIR_VARIABLE} is ${shown}, which is a file, not a folder; remove the file or set ${OUTDIR_VARIABLE} to a folder`,
      );
    }
    return;
  }
  const parent = path.dirname(folder);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) {
    const parentShown = JSON.stringify(parent);
    throw new SynthError(
      "ERR_SYNTH_OUTDIR",
      `${OUTDIR_VARIABLE} is ${shown}, but its parent folder ${parentShown} does not exist; ` +
        `create it (mkdir -p ${parentShown}) or set ${OUTDIR_VARIABLE} to a folder in an existing one`,
    );
  }
}

/**
 * One line per stack of a synthesized output folder, in the manifest's order:
 * `<stack>: <n> resources in <folder>`, the folder relative to `cwd` when it lies inside it.
 *
 * @param outdir - the output folder (`App.outdir`)
 * @param cwd - the folder the user runs from
 * @returns the lines, without line ends
 */
export function describeStacks(outdir: string, cwd: string = process.cwd()): string[] {
  const folder = path.resolve(cwd, outdir);
  const stacks = readSynthOutput(folder, { fail: (_problem, message) => new SynthError("ERR_SYNTH_FAILED", message) });
  return stacks.map((stack) => {
    const resource = isJsonObject(stack.template.resource) ? stack.template.resource : {};
    const count = Object.values(resource).reduce<number>((sum, byName) => sum + (isJsonObject(byName) ? Object.keys(byName).length : 0), 0);
    return `${stack.name}: ${count} ${count === 1 ? "resource" : "resources"} in ${shownPath(cwd, stack.folder)}`;
  });
}

/**
 * Writes each stack's model (`scopegate.model.json`) beside its `cdk.tf.json`, so the tools read
 * the model the output was built from (see `core/stack-model.ts`).
 *
 * @param outdir - the output folder (`App.outdir`)
 * @param models - each stack's resolved configuration model, by stack name
 * @param configuration - the configuration file relative to the project folder
 */
export function writeStackModels(outdir: string, models: ReadonlyMap<string, unknown>, configuration: string): void {
  const stacks = readSynthOutput(outdir, { fail: (_problem, message) => new SynthError("ERR_SYNTH_FAILED", message) });
  for (const stack of stacks) {
    if (!models.has(stack.name))
      throw new SynthError("ERR_SYNTH_FAILED", `the synth wrote a stack ${JSON.stringify(stack.name)} it has no model of`);
    writeFileSync(path.join(stack.folder, STACK_MODEL_FILE), encodeStackModel(models.get(stack.name), configuration));
  }
}

/**
 * The Cedar twin of each stack (`docs/cedar.md`), validated with Cedar's validator (strict mode)
 * against its schema before anything is written.
 *
 * @param configs - the validated configurations, one per stack
 * @param render - the twin's files of one configuration (tests pass a broken one)
 * @returns each stack's twin files by name inside `cedar/`, by stack name
 * @throws SynthError `ERR_SYNTH_CEDAR` when a twin does not validate (every problem listed)
 */
export function cedarTwinsOf(
  configs: readonly ScopegateConfig[],
  render: (config: ScopegateConfig) => ReadonlyMap<string, string> = (config) => cedarTwinFiles(renderCedarTwin(config)),
): ReadonlyMap<string, ReadonlyMap<string, string>> {
  const twins = new Map<string, ReadonlyMap<string, string>>();
  for (const config of configs) {
    const files = render(config);
    const problems = cedarTwinProblems(files);
    if (problems.length > 0) {
      throw new SynthError(
        "ERR_SYNTH_CEDAR",
        `the Cedar twin of stack ${JSON.stringify(config.name)} does not validate against its schema: ${problems.join("; ")}; ` +
          "nothing was written: report it with this message (the twin is rendered from the configuration alone)",
      );
    }
    twins.set(config.name, files);
  }
  return twins;
}

/**
 * Writes each stack's Cedar twin into `cedar/` beside its `cdk.tf.json`.
 *
 * @param outdir - the output folder (`App.outdir`)
 * @param twins - from {@link cedarTwinsOf}
 */
export function writeCedarTwins(outdir: string, twins: ReadonlyMap<string, ReadonlyMap<string, string>>): void {
  const stacks = readSynthOutput(outdir, { fail: (_problem, message) => new SynthError("ERR_SYNTH_FAILED", message) });
  for (const stack of stacks) {
    const files = twins.get(stack.name);
    if (files === undefined)
      throw new SynthError("ERR_SYNTH_FAILED", `the synth wrote a stack ${JSON.stringify(stack.name)} it has no Cedar twin of`);
    const folder = path.join(stack.folder, CEDAR_FOLDER);
    mkdirSync(folder, { recursive: true });
    for (const [name, text] of files) writeFileSync(path.join(folder, name), text);
  }
}

/**
 * The configuration's name as the stack model records it: relative to the project folder with
 * `/` separators, whatever folder the user named it from (never an absolute path).
 *
 * @param file - the configuration file, absolute
 * @param projectDir - the project folder
 */
export function configurationName(file: string, projectDir: string): string {
  return path.relative(projectDir, file).split(path.sep).join("/");
}

/**
 * The one message a failed synth prints: `<code>: <message>`, never a stack trace. Errors that
 * carry a stable `ERR_*` code keep it; anything else is `ERR_SYNTH_FAILED`.
 *
 * @param error - what the synth threw
 * @returns the message, without a line end
 */
export function synthErrorMessage(error: unknown): string {
  if (error instanceof ScopegateError) return `${error.code}: ${error.message}`;
  return `ERR_SYNTH_FAILED: ${error instanceof Error ? error.message : String(error)}`;
}
