/**
 * Where access matrices come from: the configuration as it is in the working tree, or as it was at
 * a git ref (for comparing a pull request with its base). The configuration is found as `main.ts` finds it:
 * `SCOPEGATE_CONFIG`, then the cdktf context `configFile`, else the built-in example; at a ref,
 * relative paths are looked up in that commit's files.
 *
 * @packageDocumentation
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONFIG_ENV, loadConfigs } from "../stacks/config/load";
import type { ScopegateConfig } from "../stacks/config/model";
import { computeAccessMatrix } from "./compute";
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

/** Where the built-in example lives in the project (what `loadConfigs` parses when no file is named). */
export const EXAMPLE_CONFIG_PATH = "stacks/config/example.config.json";

/**
 * The matrices of the configuration `main.ts` would synthesize in `projectDir`.
 *
 * @param projectDir - the project folder (relative configuration paths start here)
 * @param env - where `SCOPEGATE_CONFIG` and `CDKTF_CONTEXT_JSON` are read
 * @throws ConfigError when the configuration is invalid
 */
export function matricesOfWorkingTree(projectDir: string, env: NodeJS.ProcessEnv): AccessMatrix[] {
  const named = configPathFromEnv(env);
  const configs = loadConfigs({ ...(named === undefined ? {} : { envPath: named }), cwd: projectDir });
  return configs.map((config) => matrixOf(config, named ?? "the built-in example"));
}

/** Result of {@link matricesAtRef}. */
export type MatricesAtRef =
  | { readonly ok: true; readonly matrices: AccessMatrix[]; readonly commit: string }
  | {
      readonly ok: false;
      /** Why there is no matrix, in one line (git failed, no configuration at that commit, or it does not validate). */
      readonly problem: string;
    };

/**
 * The matrices of the configuration as it was at `ref`: the project's files at that commit are
 * exported (`git archive`) into a temporary folder, loaded and validated with today's rules, and
 * the folder is removed. A configuration that did not exist yet gives no matrix (every stack new).
 *
 * @param projectDir - the project folder inside a git checkout
 * @param ref - a branch, tag or commit
 * @param env - where `SCOPEGATE_CONFIG` and `CDKTF_CONTEXT_JSON` are read
 * @returns the matrices, or the problem; never throws for git or configuration problems
 */
export function matricesAtRef(projectDir: string, ref: string, env: NodeJS.ProcessEnv): MatricesAtRef {
  if (ref.startsWith("-")) return { ok: false, problem: `"${ref}" is not a git ref` };
  const resolved = git(projectDir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (resolved.status !== 0) return { ok: false, problem: `"${ref}" names no commit here` };
  const commit = resolved.stdout.trim();
  const prefix = git(projectDir, ["rev-parse", "--show-prefix"]).stdout.trim();
  const workDir = mkdtempSync(join(tmpdir(), "scopegate-matrix-base-"));
  try {
    const sourceDir = join(workDir, "project");
    mkdirSync(sourceDir);
    const archive = join(workDir, "base.tar");
    const archived = git(projectDir, ["archive", "--format=tar", `--output=${archive}`, `${commit}:${prefix}`]);
    if (archived.status !== 0) return { ok: false, problem: `git archive of ${commit.slice(0, 12)} failed: ${archived.stderr.trim()}` };
    const extracted = spawnSync("tar", ["-xf", archive, "-C", sourceDir], { encoding: "utf8" });
    if (extracted.status !== 0)
      return { ok: false, problem: `extracting ${commit.slice(0, 12)} failed: ${(extracted.stderr ?? "").trim()}` };

    const named = configPathFromEnv(env);
    const path = named ?? EXAMPLE_CONFIG_PATH;
    if (!existsSync(join(sourceDir, path))) return { ok: true, matrices: [], commit };
    try {
      const configs = loadConfigs({ envPath: path, cwd: sourceDir });
      return {
        ok: true,
        matrices: configs.map((config) => matrixOf(config, `${named ?? "the built-in example"} at ${ref}`)),
        commit,
      };
    } catch (error) {
      return { ok: false, problem: `the configuration at ${ref} does not load: ${(error as Error).message.split("\n").join(" ")}` };
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** `SCOPEGATE_CONFIG`, else the cdktf context `configFile`, as `main.ts` reads them. */
export function configPathFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env[CONFIG_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return fromEnv;
  let context: unknown;
  try {
    context = JSON.parse(env.CDKTF_CONTEXT_JSON ?? "{}");
  } catch {
    return undefined;
  }
  const value = typeof context === "object" && context !== null ? (context as Record<string, unknown>).configFile : undefined;
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function git(cwd: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (result.error !== undefined) return { status: null, stdout: "", stderr: result.error.message };
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
