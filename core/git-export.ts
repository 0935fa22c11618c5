/**
 * Exporting the project's files as they are at a git ref into a temporary folder (`git archive`,
 * so the repository itself is left untouched: no worktree to prune if a run is interrupted). The
 * review synthesizes that folder and computes its access matrix from it: one export per review.
 *
 * @packageDocumentation
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tail } from "./errors";

/** The project's files at a commit, in a temporary folder. */
export interface ExportedRef {
  /** The ref as given: a branch, tag or commit. */
  readonly ref: string;
  /** The commit the ref named (40 hex digits). */
  readonly commit: string;
  /** The project folder as it was at `commit` (the subfolder when the project is not the repository root). */
  readonly dir: string;
  /** Removes the folder; safe to call twice. */
  dispose(): void;
}

/** Result of {@link exportGitRef}: the export, or why there is none (one line, or git's output below it). */
export type GitExportResult = { readonly ok: true; readonly exported: ExportedRef } | { readonly ok: false; readonly problem: string };

/** The signature of {@link exportGitRef}, for a caller that takes it as a parameter. */
export type ExportGitRef = (projectDir: string, ref: string) => GitExportResult;

/**
 * Resolves `ref` in the repository holding `projectDir` and writes the project's files at that
 * commit into a new temporary folder. Works when the project is a subfolder of the repository.
 *
 * @param projectDir - the project folder inside a git checkout
 * @param ref - a branch, tag or commit (e.g. `origin/main`)
 * @returns the export (the caller disposes of it), or the problem; never throws for git problems
 */
export function exportGitRef(projectDir: string, ref: string): GitExportResult {
  const fail = (problem: string): GitExportResult => ({ ok: false, problem });
  const inside = git(projectDir, ["rev-parse", "--is-inside-work-tree"]);
  if (inside.status === null) return fail(`cannot run git (${inside.stderr}); install git`);
  if (inside.status !== 0) return fail(`"${projectDir}" is not inside a git checkout; run from the repository`);
  if (ref.startsWith("-")) return fail(`"${ref}" is not a git ref`);
  const resolved = git(projectDir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (resolved.status !== 0) {
    return fail(
      `"${ref}" names no commit in this repository; fetch it first (\`git fetch origin <branch>\`; in GitHub Actions check out with fetch-depth: 0) or pass a branch, tag or commit that exists`,
    );
  }
  const commit = resolved.stdout.trim();
  const short = commit.slice(0, 12);
  const prefix = git(projectDir, ["rev-parse", "--show-prefix"]).stdout.trim();
  // Archived from the top of the repository: from a subfolder, git would apply the prefix twice.
  const top = git(projectDir, ["rev-parse", "--show-toplevel"]).stdout.trim();
  const workDir = mkdtempSync(join(tmpdir(), "scopegate-ref-"));
  const dispose = () => rmSync(workDir, { recursive: true, force: true });
  const dir = join(workDir, "project");
  mkdirSync(dir);
  const archive = join(workDir, `${short}.tar`);
  const archived = git(top, ["archive", "--format=tar", `--output=${archive}`, `${commit}:${prefix}`]);
  if (archived.status !== 0) {
    dispose();
    return fail(`git archive of ${short} failed:\n${tail(archived.stderr)}`);
  }
  const extracted = spawnSync("tar", ["-xf", archive, "-C", dir], { encoding: "utf8" });
  rmSync(archive, { force: true });
  if (extracted.status !== 0) {
    dispose();
    return fail(`extracting the files of ${short} failed:\n${tail(extracted.stderr ?? String(extracted.error))}`);
  }
  return { ok: true, exported: { ref, commit, dir, dispose } };
}

function git(cwd: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (result.error !== undefined) return { status: null, stdout: "", stderr: result.error.message };
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
