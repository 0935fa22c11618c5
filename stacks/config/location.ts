/**
 * Where the configuration is: the one resolver that `main.ts` (synth) and the tools (matrix,
 * review, handoff) share, so they read the same file and fail the same way.
 *
 * Order: `SCOPEGATE_CONFIG`, then the cdktf context `configFile` (the `context` object of
 * cdktf.json, which the cdktf CLI hands to the app as `CDKTF_CONTEXT_JSON`), else the built-in
 * example. Relative paths start at the folder the user ran the command in: npm runs scripts from the
 * package root and records that folder in `INIT_CWD` ({@link userFolder}).
 *
 * @packageDocumentation
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { ScopegateError } from "../../core/errors";
import { CONFIG_ENV } from "./load";

/** Where the built-in example lives in the project (what `loadConfigs` parses when no file is named). */
export const EXAMPLE_CONFIG_PATH = "stacks/config/example.config.json";

/** Where the configuration comes from. */
export interface ConfigLocation {
  /** The file as named (relative paths start at the working folder); absent for the built-in example. */
  readonly path?: string;
  /** Which setting named it. */
  readonly namedBy: typeof CONFIG_ENV | "configFile" | "example";
  /** How messages and reports name it: the path, or `"the built-in example"`. */
  readonly label: string;
}

/**
 * The configuration cannot be found: `SCOPEGATE_CONFIG` or the cdktf context `configFile` names
 * a file that does not exist, or `CDKTF_CONTEXT_JSON` is not JSON.
 *
 * Stable code: `ERR_CONFIG_NOT_FOUND` (see `help`).
 */
export class ConfigLocationError extends ScopegateError {
  /** Stable error code. */
  declare readonly code: "ERR_CONFIG_NOT_FOUND";

  constructor(message: string) {
    super("ERR_CONFIG_NOT_FOUND", message);
    this.name = "ConfigLocationError";
  }
}

/**
 * The folder relative configuration paths start at: the one the user ran the command in. `npm run`
 * starts a script in the package root and keeps the folder it was run from in `INIT_CWD`; without
 * npm (the cdktf CLI, `node` directly), the working folder.
 *
 * @param env - where `INIT_CWD` is read
 * @param cwd - the working folder of the process
 */
export function userFolder(env: NodeJS.ProcessEnv, cwd: string): string {
  const fromNpm = env.INIT_CWD;
  return fromNpm === undefined || fromNpm.trim() === "" ? cwd : resolve(cwd, fromNpm);
}

/**
 * The same folder as {@link userFolder} in another copy of the project (a git ref exported for
 * `review --base`), so a relative configuration path names the file of that copy. A folder outside
 * the project stays as it is.
 *
 * @param folder - the user's folder in the working tree
 * @param projectDir - the working tree's project folder
 * @param copyDir - the other copy's project folder
 */
export function folderInCopy(folder: string, projectDir: string, copyDir: string): string {
  const inside = relative(projectDir, folder);
  return inside.startsWith("..") || isAbsolute(inside) ? folder : join(copyDir, inside);
}

/**
 * Which configuration the settings name, without looking at the file system (a tool reading a
 * past commit looks the path up in that commit's files).
 *
 * @param env - where `SCOPEGATE_CONFIG` and `CDKTF_CONTEXT_JSON` are read
 * @throws ConfigLocationError `ERR_CONFIG_NOT_FOUND` when `CDKTF_CONTEXT_JSON` is not a JSON object
 */
export function namedConfig(env: NodeJS.ProcessEnv): ConfigLocation {
  const fromEnv = nonEmpty(env[CONFIG_ENV]);
  if (fromEnv !== undefined) return { path: fromEnv, namedBy: CONFIG_ENV, label: fromEnv };
  const fromContext = nonEmpty(contextConfigFile(env.CDKTF_CONTEXT_JSON));
  if (fromContext !== undefined) return { path: fromContext, namedBy: "configFile", label: fromContext };
  return { namedBy: "example", label: "the built-in example" };
}

/**
 * The configuration synth and the tools read in `cwd`: {@link namedConfig}, and the file must exist.
 *
 * @param env - where `SCOPEGATE_CONFIG` and `CDKTF_CONTEXT_JSON` are read
 * @param cwd - the folder relative paths start at
 * @throws ConfigLocationError `ERR_CONFIG_NOT_FOUND` when the named file does not exist
 */
export function locateConfig(env: NodeJS.ProcessEnv, cwd: string): ConfigLocation {
  const location = namedConfig(env);
  if (location.path !== undefined && !existsSync(resolve(cwd, location.path))) {
    const setting = location.namedBy === CONFIG_ENV ? CONFIG_ENV : 'the cdktf context "configFile" (cdktf.json)';
    throw new ConfigLocationError(
      `${setting} names ${JSON.stringify(location.path)}, which does not exist in ${cwd}; check the path (relative paths start at the folder you run from), or unset it to use the built-in example`,
    );
  }
  return location;
}

function contextConfigFile(json: string | undefined): string | undefined {
  if (json === undefined || json.trim() === "") return undefined;
  let context: unknown;
  try {
    context = JSON.parse(json);
  } catch (error) {
    throw new ConfigLocationError(
      `CDKTF_CONTEXT_JSON is not JSON (${(error as Error).message}), so its "configFile" cannot be read; unset it, or let the cdktf CLI set it from cdktf.json`,
    );
  }
  const value = typeof context === "object" && context !== null ? (context as Record<string, unknown>).configFile : undefined;
  return typeof value === "string" ? value : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
