/**
 * The base of a synth diff from git: resolving a ref to a commit and exporting the project's files
 * at that commit into a folder (`git archive`, so the repository itself is left untouched: no
 * worktree to prune if the review is interrupted).
 *
 * @packageDocumentation
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ReviewError, tail } from "./errors";

function git(cwd: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (result.error !== undefined) {
    throw new ReviewError(
      "ERR_REVIEW_GIT",
      `--base: cannot run git (${result.error.message}); install git or compare existing outputs with --base-out/--head-out`,
    );
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The commit a ref names, in the repository that holds `projectDir`.
 *
 * @throws ReviewError `ERR_REVIEW_GIT` when the folder is not in a git checkout or the ref names no commit
 */
export function resolveCommit(projectDir: string, ref: string): string {
  if (git(projectDir, ["rev-parse", "--is-inside-work-tree"]).status !== 0) {
    throw new ReviewError(
      "ERR_REVIEW_GIT",
      `--base: "${projectDir}" is not inside a git checkout; run the review from the repository, or compare existing outputs with --base-out/--head-out`,
    );
  }
  if (ref.startsWith("-")) throw new ReviewError("ERR_REVIEW_GIT", `--base: "${ref}" is not a git ref`);
  const resolved = git(projectDir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (resolved.status !== 0) {
    throw new ReviewError(
      "ERR_REVIEW_GIT",
      `--base: "${ref}" names no commit in this repository; fetch it first (\`git fetch origin <branch>\`; in GitHub Actions check out with fetch-depth: 0) or pass a branch, tag or commit that exists`,
    );
  }
  return resolved.stdout.trim();
}

/**
 * Writes the files of the project folder as they are at `commit` into `destination` (which must
 * exist). Works when the project is a subfolder of the repository.
 *
 * @throws ReviewError `ERR_REVIEW_GIT` when git or tar fails
 */
export function exportProject(projectDir: string, commit: string, destination: string): void {
  const prefix = git(projectDir, ["rev-parse", "--show-prefix"]).stdout.trim();
  const archive = join(destination, "..", `${commit.slice(0, 12)}.tar`);
  const archived = git(projectDir, ["archive", "--format=tar", `--output=${archive}`, `${commit}:${prefix}`]);
  if (archived.status !== 0) {
    throw new ReviewError("ERR_REVIEW_GIT", `--base: git archive of ${commit.slice(0, 12)} failed:\n${tail(archived.stderr)}`);
  }
  const extracted = spawnSync("tar", ["-xf", archive, "-C", destination], { encoding: "utf8" });
  if (extracted.status !== 0) {
    throw new ReviewError(
      "ERR_REVIEW_GIT",
      `--base: extracting the files of ${commit.slice(0, 12)} failed:\n${tail(extracted.stderr ?? String(extracted.error))}`,
    );
  }
}
