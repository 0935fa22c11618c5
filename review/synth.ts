/**
 * Synthesizing a project as `npm run synth` does, for the working tree or for a git ref exported
 * into a temporary folder that borrows this checkout's `node_modules`. It runs `main.ts` through
 * the tsx loader (`node --import tsx main.ts` with `CDKTF_OUTDIR`) rather than the synth launcher,
 * because that works for every ref, including those older than the launcher.
 *
 * @packageDocumentation
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tail } from "../core/errors";
import { ExportGitRef, ExportedRef, exportGitRef } from "../core/git-export";
import { folderInCopy, userFolder } from "../stacks/config/location";
import { ReviewError } from "./errors";
import { EMPTY_SYNTH_OUTPUT, SynthOutput, loadSynthOutput } from "./load";

/** The project's entry point; a base without it has no stacks yet. */
export const APP_ENTRY = "main.ts";

/** Options of {@link synthesize}. */
export interface SynthesizeOptions {
  /** Folder holding `main.ts` (and `node_modules`). */
  readonly projectDir: string;
  /** Output folder (`CDKTF_OUTDIR`). */
  readonly outdir: string;
  /** Which side of the comparison, for error messages: `"base (origin/main)"`, `"head"`. */
  readonly label: string;
  /** Environment of the app. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default 180000 */
  readonly timeoutMs?: number;
}

/**
 * Runs the cdktf app of a project and reads what it wrote.
 *
 * @throws ReviewError `ERR_REVIEW_SYNTH` when the app fails or times out
 */
export async function synthesize(options: SynthesizeOptions): Promise<SynthOutput> {
  const env = { ...(options.env ?? process.env), CDKTF_OUTDIR: options.outdir };
  const timeoutMs = options.timeoutMs ?? 180000;
  const result = await new Promise<{ code: number | null; stderr: string; timedOut: boolean }>((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", APP_ENTRY], {
      cwd: options.projectDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let timedOut = false;
    child.stdout.resume();
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new ReviewError("ERR_REVIEW_SYNTH", `synthesizing the ${options.label} failed to start: ${error.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stderr, timedOut });
    });
  });
  if (result.timedOut) {
    throw new ReviewError(
      "ERR_REVIEW_SYNTH",
      `synthesizing the ${options.label} took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`,
    );
  }
  if (result.code !== 0) {
    throw new ReviewError(
      "ERR_REVIEW_SYNTH",
      `synthesizing the ${options.label} failed (exit ${result.code}); fix it so \`npm run synth\` passes there:\n${tail(result.stderr)}`,
    );
  }
  return loadSynthOutput(options.outdir, `the ${options.label}'s synth output`);
}

/** What {@link synthesizeRef} produced. */
export interface RefSynthesis {
  readonly output: SynthOutput;
  /** The commit the ref named. */
  readonly commit: string;
  /** Set when the ref has no `main.ts` (a project that did not exist yet): the output is empty. */
  readonly missingApp: boolean;
}

/**
 * Exports the project as it is at a git ref into a temporary folder (see {@link exportGitRef}).
 * The caller disposes of it.
 *
 * @param exportRef - the exporter @default exportGitRef
 * @throws ReviewError `ERR_REVIEW_GIT` when the ref cannot be resolved or exported
 */
export function exportBase(projectDir: string, ref: string, exportRef: ExportGitRef = exportGitRef): ExportedRef {
  const result = exportRef(projectDir, ref);
  if (!result.ok) throw new ReviewError("ERR_REVIEW_GIT", `--base: ${result.problem}`);
  return result.exported;
}

/**
 * Synthesizes the project as it is at a git ref: exports its files (unless `exported` is given,
 * which is then left for the caller to remove), links this checkout's `node_modules` into them,
 * runs its `main.ts`, and removes what it created. The base therefore runs with the head's
 * dependencies.
 *
 * @param projectDir the project folder in the current checkout
 * @param ref a branch, tag or commit (e.g. `origin/main`)
 * @param exported the ref already exported by {@link exportBase} @default exported here
 * @throws ReviewError `ERR_REVIEW_GIT` for a bad ref, `ERR_REVIEW_SYNTH` when the app fails
 */
export async function synthesizeRef(
  projectDir: string,
  ref: string,
  env?: NodeJS.ProcessEnv,
  exported?: ExportedRef,
): Promise<RefSynthesis> {
  const base = exported ?? exportBase(projectDir, ref);
  const sourceDir = base.dir;
  const modulesLink = join(sourceDir, "node_modules");
  const outDir = mkdtempSync(join(tmpdir(), "scopegate-review-base-"));
  let linked = false;
  try {
    if (!existsSync(join(sourceDir, APP_ENTRY))) return { output: EMPTY_SYNTH_OUTPUT, commit: base.commit, missingApp: true };
    const modules = join(projectDir, "node_modules");
    if (existsSync(modules) && !existsSync(modulesLink)) {
      symlinkSync(modules, modulesLink, "dir");
      linked = true;
    }
    // A relative configuration path starts at the user's folder (INIT_CWD): the same folder in the base tree.
    const baseEnv = env ?? process.env;
    const from = folderInCopy(userFolder(baseEnv, projectDir), projectDir, sourceDir);
    const output = await synthesize({
      projectDir: sourceDir,
      outdir: join(outDir, "cdktf.out"),
      label: `base (${ref})`,
      env: { ...baseEnv, INIT_CWD: from },
    });
    return { output, commit: base.commit, missingApp: false };
  } finally {
    // Unlink the borrowed node_modules first, so removing the folder can never reach into it.
    if (linked) unlinkSync(modulesLink);
    rmSync(outDir, { recursive: true, force: true });
    if (exported === undefined) base.dispose();
  }
}
