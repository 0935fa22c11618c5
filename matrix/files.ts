/**
 * The files `npm run matrix` writes into the synth output folder, and reading the JSON one back
 * (so two synth outputs can be compared without their configurations).
 *
 * @packageDocumentation
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AccessMatrix } from "./model";
import { renderMatrixHtml } from "./render-html";
import { renderMatrixMarkdown } from "./render-markdown";

/** File names inside the output folder. */
export const MATRIX_FILES = { markdown: "access-matrix.md", html: "access-matrix.html", json: "access-matrix.json" } as const;

/** Marks the JSON file; `version` changes when the shape does. */
export const MATRIX_FORMAT = { format: "scopegate-access-matrix", version: 3 } as const;

/** Paths of the files written by {@link writeMatrixFiles}. */
export interface MatrixFilePaths {
  readonly markdown: string;
  readonly html: string;
  readonly json: string;
}

/**
 * Writes `access-matrix.md`, `access-matrix.html` and `access-matrix.json` into `outDir`
 * (created when missing).
 *
 * @param outDir - the synth output folder, e.g. `cdktf.out`
 * @param matrices - one per stack
 * @returns the paths written
 */
export function writeMatrixFiles(outDir: string, matrices: readonly AccessMatrix[]): MatrixFilePaths {
  mkdirSync(outDir, { recursive: true });
  const paths = {
    markdown: join(outDir, MATRIX_FILES.markdown),
    html: join(outDir, MATRIX_FILES.html),
    json: join(outDir, MATRIX_FILES.json),
  };
  writeFileSync(paths.markdown, renderMatrixMarkdown(matrices));
  writeFileSync(paths.html, renderMatrixHtml(matrices));
  writeFileSync(paths.json, `${JSON.stringify(matrixDocument(matrices), null, 2)}\n`);
  return paths;
}

/** The document of `access-matrix.json` (and of `npm run matrix -- --json`): the format and the matrices. */
export function matrixDocument(matrices: readonly AccessMatrix[]): typeof MATRIX_FORMAT & { readonly matrices: readonly AccessMatrix[] } {
  return { ...MATRIX_FORMAT, matrices };
}

/**
 * Reads the matrices of a folder that `npm run matrix -- --out <dir>` wrote.
 *
 * @param dir - the folder holding `access-matrix.json`
 * @returns the matrices, or `undefined` when the folder has no `access-matrix.json`
 * @throws Error naming the file when it is not a matrix file of this version
 */
export function readMatrixFile(dir: string): AccessMatrix[] | undefined {
  const file = join(dir, MATRIX_FILES.json);
  if (!existsSync(file)) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); run \`npm run matrix -- --out ${dir}\` again`, {
      cause: error,
    });
  }
  const { format, version, matrices } = (document ?? {}) as { format?: unknown; version?: unknown; matrices?: unknown };
  if (format !== MATRIX_FORMAT.format || version !== MATRIX_FORMAT.version || !Array.isArray(matrices)) {
    throw new Error(
      `${file} is not a ${MATRIX_FORMAT.format} file of version ${MATRIX_FORMAT.version}; run \`npm run matrix -- --out ${dir}\` again`,
    );
  }
  return matrices as AccessMatrix[];
}
