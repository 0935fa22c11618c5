/**
 * `npm run matrix`: reads the configuration exactly as `main.ts` does, computes the access matrix
 * of every stack, and writes it into the synth output folder.
 *
 * @packageDocumentation
 */
import { isAbsolute, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../stacks/config/errors";
import { CONFIG_ENV } from "../stacks/config/load";
import { countCells } from "./describe";
import { MATRIX_FILES, writeMatrixFiles } from "./files";
import type { AccessMatrix } from "./model";
import { matricesOfWorkingTree } from "./sources";

/** The default output folder: the one `npm run synth` writes. */
export const DEFAULT_OUT_DIR = "cdktf.out";

/** Usage text of `npm run matrix -- --help`. */
export const MATRIX_USAGE = `Usage: npm run matrix [-- --out <dir>]

Computes who can call what (every caller × every route, allowed or refused, and why) from the
configuration that \`npm run synth\` uses (${CONFIG_ENV}, the cdktf context configFile, or the built-in
example), and writes ${MATRIX_FILES.markdown}, ${MATRIX_FILES.html} and ${MATRIX_FILES.json}.

Options:
  --out <dir>   where to write them (default: $CDKTF_OUTDIR, else ${DEFAULT_OUT_DIR})
  --help        print this text

Exit codes: 0 written; 1 the configuration is invalid; 2 wrong usage.`;

/** Where the command runs. */
export interface MatrixCliContext {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Folder relative paths start at. @default process.cwd() */
  readonly cwd?: string;
}

/** What the command printed and its exit code. */
export interface MatrixCliResult {
  readonly exitCode: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the command.
 *
 * @param argv - the arguments after the script name
 * @param context - environment and working folder
 * @returns output and exit code; configuration errors print like `main.ts` (`ERR_CONFIG_INVALID: …`)
 */
export function runMatrixCli(argv: readonly string[], context: MatrixCliContext = {}): MatrixCliResult {
  const env = context.env ?? process.env;
  const cwd = context.cwd ?? process.cwd();
  let values: { out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { out: { type: "string" }, help: { type: "boolean" } },
    }));
  } catch (error) {
    return { exitCode: 2, stdout: "", stderr: `${(error as Error).message}\n\n${MATRIX_USAGE}\n` };
  }
  if (values.help === true) return { exitCode: 0, stdout: `${MATRIX_USAGE}\n`, stderr: "" };
  if (values.out !== undefined && values.out.trim() === "")
    return { exitCode: 2, stdout: "", stderr: `--out needs a folder\n\n${MATRIX_USAGE}\n` };

  let matrices: AccessMatrix[];
  try {
    matrices = matricesOfWorkingTree(cwd, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { exitCode: 1, stdout: "", stderr: `${error.code}: ${error.message}\n` };
  }

  const outDir = resolve(cwd, values.out ?? nonEmpty(env.CDKTF_OUTDIR) ?? DEFAULT_OUT_DIR);
  const paths = writeMatrixFiles(outDir, matrices);
  const lines = matrices.map((matrix) => {
    const { allowed } = countCells(matrix);
    return (
      `${matrix.stack}: ${matrix.callers.length} callers in ${matrix.profiles.length} profiles × ${matrix.routes.length} routes, ` +
      `${allowed} allowed, ${matrix.cells.length - allowed} refused`
    );
  });
  const shown = [paths.markdown, paths.html, paths.json].map((path) => {
    const rel = relative(cwd, path);
    return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
  });
  return { exitCode: 0, stdout: `${lines.join("\n")}\nwrote ${shown.join(", ")}\n`, stderr: "" };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
