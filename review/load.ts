/**
 * Reading the review's inputs: a cdktf synth output folder (`manifest.json` and each stack's
 * `cdk.tf.json`) and the JSON of a Terraform plan (`terraform show -json <planfile>`). Problems
 * are {@link ReviewError}s that name the flag and say how to produce the right input.
 *
 * @packageDocumentation
 */
import { existsSync, readFileSync } from "node:fs";
import type { StackModel } from "../core/stack-model";
import { readSynthOutput } from "../core/synth-output";
import { join } from "node:path";
import { CheckError } from "../checks/errors";
import type { StackInput } from "../checks/evaluate";
import { readStackChecksFiles } from "../checks/output";
import { ReviewError } from "./errors";
import { SensitivityMask } from "./sensitive";
import { isJsonObject, type JsonObject } from "../core/json";
import { stackBlocks } from "../core/terraform-json/document";

/** A synthesized cdktf app: the Terraform JSON of each stack, by stack name. */
export interface SynthOutput {
  readonly stacks: ReadonlyMap<string, JsonObject>;
  /** The folder of each stack (holding `cdk.tf.json` and its assets), when read from disk. */
  readonly stackDirs?: ReadonlyMap<string, string>;
  /** The model each stack was built from (`scopegate.model.json`), for the stacks that have one. */
  readonly models?: ReadonlyMap<string, StackModel>;
  /** What each stack's folder holds for `npm run check` (its suppressions, other Terraform files), when read from disk. */
  readonly checks?: ReadonlyMap<string, StackChecksFiles>;
}

/** The check's inputs in a stack's folder besides `cdk.tf.json` (see `checks/output.ts`). */
export type StackChecksFiles = Pick<StackInput, "suppressions" | "checksFile" | "otherTerraformFiles">;

/** A synth output without stacks (the base of a project that did not exist yet). */
export const EMPTY_SYNTH_OUTPUT: SynthOutput = { stacks: new Map() };

/**
 * Reads a cdktf output folder (what `npm run synth` writes to `cdktf.out`; `core/synth-output.ts`).
 *
 * @param dir the folder holding `manifest.json`
 * @param flag the command-line flag that named the folder, for error messages
 * @param shown the folder as the user wrote it, for error messages @default dir
 * @throws ReviewError `ERR_REVIEW_INPUT` when the folder, the manifest or a stack file is missing or malformed
 */
export function loadSynthOutput(dir: string, flag: string, shown: string = dir): SynthOutput {
  const read = readSynthOutput(dir, {
    label: shown,
    ...(flag.startsWith("--") ? { flag } : {}),
    fail: (_problem, message) => new ReviewError("ERR_REVIEW_INPUT", `${flag}: ${message}`),
  }).sort((a, b) => a.name.localeCompare(b.name));
  return {
    stacks: new Map(read.map((stack) => [stack.name, stack.template as JsonObject])),
    stackDirs: new Map(read.map((stack) => [stack.name, stack.folder])),
    models: new Map(read.flatMap((stack) => (stack.model ? [[stack.name, stack.model] as const] : []))),
    checks: new Map(
      read.map((stack) => {
        try {
          return [stack.name, readStackChecksFiles(stack.folder, join(shown, stack.relativeFolder))] as const;
        } catch (error) {
          if (error instanceof CheckError) throw new ReviewError("ERR_REVIEW_INPUT", `${flag}: ${error.message}`);
          throw error;
        }
      }),
    ),
  };
}

/** Construct paths of every resource of a synth output: stack name → address → path. */
export type ConstructIndex = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
 * Indexes the construct paths of synth outputs; where several hold an address, the last wins
 * (pass the base, then the head, to name removed resources too).
 */
export function constructIndex(...outputs: readonly SynthOutput[]): ConstructIndex {
  const index = new Map<string, Map<string, string>>();
  for (const output of outputs) {
    for (const [stack, tf] of output.stacks) {
      const paths = index.get(stack) ?? new Map<string, string>();
      for (const block of stackBlocks(tf)) if (block.mode === "managed") paths.set(block.address, block.constructPath ?? block.address);
      index.set(stack, paths);
    }
  }
  return index;
}

/** The parts of `terraform show -json <planfile>` the review reads. */
export interface TerraformPlan {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly PlanResourceChange[];
}

/** One entry of a plan's `resource_changes`. */
export interface PlanResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before: unknown;
    readonly after: unknown;
    readonly after_unknown?: unknown;
    readonly before_sensitive?: SensitivityMask;
    readonly after_sensitive?: SensitivityMask;
    readonly replace_paths?: readonly (readonly (string | number)[])[];
    /** Present when the plan imports the resource (Terraform 1.5 or later). */
    readonly importing?: { readonly id?: string };
  };
}

/**
 * Reads the JSON of a Terraform plan.
 *
 * @param file output of `terraform show -json <planfile>`
 * @param flag the flag that named the file, for error messages
 * @param shown the file as the user wrote it, for error messages
 * @throws ReviewError `ERR_REVIEW_INPUT` when the file is missing, not JSON, or not a plan
 */
export function readPlanFile(file: string, flag = "--plan", shown: string = file): TerraformPlan {
  const how = "pass the output of `terraform show -json plan.bin > plan.json`";
  if (!existsSync(file)) throw new ReviewError("ERR_REVIEW_INPUT", `${flag}: file "${shown}" does not exist; ${how}`);
  const document = readJson(file, flag, `${how}, not the binary plan file itself`, shown);
  return asPlan(document, `${flag}: "${shown}"`);
}

/**
 * Checks that a parsed document is a Terraform plan.
 *
 * @param label names the document in the error message
 * @throws ReviewError `ERR_REVIEW_INPUT` when it is not
 */
export function asPlan(document: unknown, label: string): TerraformPlan {
  const isPlan =
    isJsonObject(document) &&
    typeof document.format_version === "string" &&
    ("planned_values" in document || "resource_changes" in document) &&
    (document.resource_changes === undefined || Array.isArray(document.resource_changes));
  if (!isPlan) {
    throw new ReviewError(
      "ERR_REVIEW_INPUT",
      `${label} is JSON but not a Terraform plan (no format_version with planned_values/resource_changes); pass the output of \`terraform show -json <planfile>\` (the JSON of a state has no changes to review)`,
    );
  }
  return document as unknown as TerraformPlan;
}

function readJson(file: string, flag: string, fix: string, shown: string = file): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ReviewError(
      "ERR_REVIEW_INPUT",
      `${flag}: cannot read "${shown}" (${(error as NodeJS.ErrnoException).code ?? String(error)}); ${fix}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReviewError("ERR_REVIEW_INPUT", `${flag}: "${shown}" is not valid JSON (${(error as Error).message}); ${fix}`);
  }
}
