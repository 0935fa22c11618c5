/** Copies of the project elsewhere, and whole output trees, for tests of byte-identical output. */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "./app";

/** Every file below `dir`, relative path → content. */
export function tree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** A copy of the project's files (tracked, and untracked but not ignored) in a new folder, sharing node_modules. */
export function checkoutElsewhere(): string {
  const dir = mkdtempSync(join(tmpdir(), "scopegate-checkout-"));
  const tracked = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  for (const file of tracked.stdout.split("\0").filter((f) => f !== "")) {
    cpSync(join(PROJECT_ROOT, file), join(dir, file), { recursive: true });
  }
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * A copy of the project's files ({@link checkoutElsewhere}) made a git repository with one commit,
 * by a fixed author at a fixed time: two such copies of the same files are clones of one commit
 * (the same commit hash) in different folders.
 */
export function commitElsewhere(): string {
  const dir = checkoutElsewhere();
  const git = (args: string[]) => {
    const run = spawnSync("git", args, {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "scopegate",
        GIT_AUTHOR_EMAIL: "scopegate@example.com",
        GIT_COMMITTER_NAME: "scopegate",
        GIT_COMMITTER_EMAIL: "scopegate@example.com",
        GIT_AUTHOR_DATE: "2025-01-01T00:00:00Z",
        GIT_COMMITTER_DATE: "2025-01-01T00:00:00Z",
      },
    });
    if (run.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${run.stderr}`);
    return run.stdout;
  };
  git(["init", "--quiet", "--initial-branch=main"]);
  // node_modules is a link to the project's, which the ignore rule for the folder does not cover.
  git(["add", "--all", "--", ".", ":(exclude)node_modules"]);
  git(["-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "-m", "copy"]);
  return dir;
}

/** The commit checked out in `dir` (40 hex digits). */
export function headCommit(dir: string): string {
  const run = spawnSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`git rev-parse HEAD failed in ${dir}: ${run.stderr}`);
  return run.stdout.trim();
}
