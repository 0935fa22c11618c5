/**
 * `npm run matrix`: reads the configuration exactly as `main.ts` does, computes the access matrix
 * of every stack, and writes it into the synth output folder; a tool of the one CLI shape
 * (`core/cli.ts`). `scripts/matrix.ts` is its entry point.
 *
 * @packageDocumentation
 */
import { resolve } from "node:path";
import { ToolRun, ToolSpec, jsonOutput, runTool, shownPath } from "../core/cli";
import { DEFAULT_SYNTH_OUT, synthOutDir } from "../core/synth-output";
import { CONFIG_ENV } from "../stacks/config/load";
import { countCells } from "./describe";
import { MatrixError } from "./errors";
import { MATRIX_FILES, matrixDocument, writeMatrixFiles } from "./files";
import { matricesForOutput } from "./sources";

/** Usage text of `npm run matrix -- --help`. */
export const MATRIX_USAGE = `Usage: npm run matrix [-- --out <dir>] [--json]

Computes who can call what (every caller × every route, allowed or refused, and why) and writes
${MATRIX_FILES.markdown}, ${MATRIX_FILES.html} and ${MATRIX_FILES.json}. It reads the synth output in the
folder it writes to (the model each stack was built from); with no synth output there, the
configuration that \`npm run synth\` uses (${CONFIG_ENV}, the cdktf context configFile, or the built-in
example). A configuration named while the folder holds a synth output of another one is refused.

Options:
  --out <dir>   where to write them (default: $CDKTF_OUTDIR, else ${DEFAULT_SYNTH_OUT})
  --json        also print the matrices (the document of ${MATRIX_FILES.json}) on stdout
  --help        print this text

Exit codes: 0 written; 2 could not run (wrong usage, a configuration missing or invalid, a synth
output without its model or of another configuration: a code and a message on stderr, nothing written).`;

/** The command line of `npm run matrix`. */
export const MATRIX_CLI = {
  name: "matrix",
  usage: MATRIX_USAGE,
  flags: { out: { type: "string" } },
  usageError: (message: string) => new MatrixError("ERR_MATRIX_USAGE", message),
} as const satisfies ToolSpec<Record<string, { type: "string" | "boolean" }>>;

/** Where the command runs. */
export interface MatrixCliContext {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Folder relative paths start at. @default process.cwd() */
  readonly cwd?: string;
}

/**
 * Runs the command.
 *
 * @param argv - the arguments after the script name
 * @param context - environment and working folder
 * @returns output and exit code; configuration errors print like `main.ts` (`ERR_CONFIG_INVALID: …`)
 */
export function runMatrixCli(argv: readonly string[], context: MatrixCliContext = {}): ToolRun {
  const env = context.env ?? process.env;
  const cwd = context.cwd ?? process.cwd();
  return runTool(MATRIX_CLI, argv, (values) => {
    const outLabel = values.out ?? synthOutDir(env);
    const outDir = resolve(cwd, outLabel);
    const matrices = matricesForOutput(cwd, env, outDir, outLabel);
    const paths = writeOrFail(outDir, () => writeMatrixFiles(outDir, matrices));
    if (values.json) return { status: 0, stdout: jsonOutput(matrixDocument(matrices)), stderr: "" };
    const lines = matrices.map((matrix) => {
      const { allowed, refused } = countCells(matrix);
      return (
        `${matrix.stack}: ${matrix.callers.length} callers in ${matrix.profiles.length} profiles × ${matrix.routes.length} routes, ` +
        `${allowed} allowed, ${refused} refused`
      );
    });
    const shown = [paths.markdown, paths.html, paths.json].map((path) => shownPath(cwd, path));
    return { status: 0, stdout: `${lines.join("\n")}\nwrote ${shown.join(", ")}\n`, stderr: "" };
  });
}

/** Runs `write`, turning a file-system failure into a coded error that names `--out`. */
function writeOrFail<T>(outDir: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new MatrixError("ERR_MATRIX_USAGE", `--out: cannot write into ${outDir} (${code}); pass --out <a folder you can write>`);
  }
}
