/**
 * Where access matrices come from: the models a synth output was built from (`scopegate.model.json`,
 * the one input every tool reads), the configuration `main.ts` would read (found as it finds it:
 * `SCOPEGATE_CONFIG`, then the cdktf context `configFile`, else the built-in example), or, for a base
 * synthesized by an older scopegate that records no model, the configuration as it was at a git ref.
 *
 * @packageDocumentation
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ExportedRef } from "../core/git-export";
import { modelMismatch, type StackModel } from "../core/stack-model";
import { readSynthOutput, requireStackModels } from "../core/synth-output";
import { loadConfigs } from "../stacks/config/load";
import { EXAMPLE_CONFIG_PATH, folderInCopy, locateConfig, namedConfig, userFolder } from "../stacks/config/location";
import type { ScopegateConfig } from "../stacks/config/model";
import { computeAccessMatrix } from "./compute";
import { MatrixError } from "./errors";
import type { AccessMatrix } from "./model";

/**
 * Matrices computed in this process, by configuration: a review whose base and head share a
 * configuration (a change of code only) computes it once. Small: a review has two sides.
 */
const computed = new Map<string, AccessMatrix>();
const COMPUTED_LIMIT = 8;

/** {@link computeAccessMatrix}, once per distinct configuration. */
function matrixOf(config: ScopegateConfig, source: string): AccessMatrix {
  const key = JSON.stringify(config);
  let matrix = computed.get(key);
  if (matrix === undefined) {
    if (computed.size >= COMPUTED_LIMIT) computed.clear();
    computed.set(key, (matrix = computeAccessMatrix(config)));
  }
  return { ...matrix, source };
}

/**
 * The matrices of a synth output, from the model each stack was built from (`scopegate.model.json`).
 *
 * @param models - each stack's model, in the output's order
 * @param label - the output folder as the user named it
 */
export function matricesOfModels(models: readonly StackModel[], label: string): AccessMatrix[] {
  return models.map((stack) => matrixOf(stack.model as unknown as ScopegateConfig, `${stack.configuration} (synth output ${label})`));
}

/**
 * Which matrices `npm run matrix` shows: the synth output is the one input every tool reads.
 *
 * - A configuration is named (`SCOPEGATE_CONFIG`, the cdktf context `configFile`): its matrices;
 *   when `outDir` holds a synth output, it must have been built from that configuration (each stack's
 *   model digest equal), else the matrix would describe another truth than the output it lands in.
 * - None is named and `outDir` holds a synth output: the models it was built from.
 * - Neither: the built-in example, as synth does.
 *
 * @param cwd - the project folder (relative configuration paths start here)
 * @param env - where `SCOPEGATE_CONFIG` and `CDKTF_CONTEXT_JSON` are read
 * @param outDir - the synth output folder the matrix is written into
 * @param outLabel - `outDir` as the user named it
 * @throws MatrixError `ERR_MATRIX_STALE` when the output holds no models or models of another configuration
 */
export function matricesForOutput(cwd: string, env: NodeJS.ProcessEnv, outDir: string, outLabel: string): AccessMatrix[] {
  const hasOutput = existsSync(join(outDir, "manifest.json"));
  const stale = (message: string) => new MatrixError("ERR_MATRIX_STALE", message);
  const output = () =>
    requireStackModels(readSynthOutput(outDir, { label: outLabel, fail: (_problem, message) => stale(message) }), outLabel, stale);
  const named = namedConfig(env);
  if (named.path === undefined && hasOutput)
    return matricesOfModels(
      output().map((stack) => stack.model),
      outLabel,
    );
  const from = userFolder(env, cwd);
  const location = locateConfig(env, from);
  const configs = loadConfigs({ ...(location.path === undefined ? {} : { envPath: location.path }), cwd: from });
  if (hasOutput) {
    const mismatch = modelMismatch(output(), configs);
    if (mismatch !== undefined) {
      throw stale(
        `${outLabel} was synthesized from ${mismatch.synthesizedFrom} (${mismatch.built}), but ${location.label} gives ${mismatch.given}: ` +
          `run "npm run synth" with ${location.label} first, unset ${named.namedBy === "configFile" ? "the cdktf context configFile" : "SCOPEGATE_CONFIG"} to show the output as it is, or pass --out <another folder>`,
      );
    }
  }
  return configs.map((config) => matrixOf(config, location.label));
}

/** Result of {@link matricesOfExport}. */
export type MatricesAtRef =
  | { readonly ok: true; readonly matrices: AccessMatrix[]; readonly commit: string }
  | {
      readonly ok: false;
      /** Why there is no matrix, in one line (git failed, no configuration at that commit, or it does not validate). */
      readonly problem: string;
    };

/**
 * The matrices of the configuration in an exported ref, loaded and validated with today's rules.
 * A configuration that did not exist yet gives no matrix (every stack new).
 *
 * @param exported - the project's files at the ref (see `core/git-export.ts`)
 * @param env - where `SCOPEGATE_CONFIG`, `CDKTF_CONTEXT_JSON` and `INIT_CWD` are read
 * @param projectDir - the working tree's project folder: a relative configuration path starts at the
 *   user's folder, taken to the same place in the export
 * @returns the matrices, or the problem; never throws for configuration problems
 */
export function matricesOfExport(exported: ExportedRef, env: NodeJS.ProcessEnv, projectDir: string): MatricesAtRef {
  const { ref, commit } = exported;
  try {
    const named = namedConfig(env);
    const from = named.path === undefined ? exported.dir : folderInCopy(userFolder(env, projectDir), projectDir, exported.dir);
    const path = named.path ?? EXAMPLE_CONFIG_PATH;
    if (!existsSync(resolve(from, path))) return { ok: true, matrices: [], commit };
    const configs = loadConfigs({ envPath: path, cwd: from });
    return { ok: true, matrices: configs.map((config) => matrixOf(config, `${named.label} at ${ref}`)), commit };
  } catch (error) {
    return { ok: false, problem: `the configuration at ${ref} does not load: ${(error as Error).message.split("\n").join(" ")}` };
  }
}
