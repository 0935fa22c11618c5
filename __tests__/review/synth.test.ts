import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReviewError } from "../../review/errors";
import { runReview } from "../../review/run";
import { synthesizeRef } from "../../review/synth";
import { PROJECT_ROOT } from "../../testing/app";
import { ruleList } from "../../testing/review";

/** Files of the project a copy leaves out (the tests are not needed to synthesize). */
const LEFT_OUT = /^(__tests__|\.github)\//;

const git = (cwd: string, ...args: string[]) => {
  const result = spawnSync("git", ["-c", "user.name=review-test", "-c", "user.email=review-test@example.com", ...args], {
    cwd,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
};

/**
 * A new git repository holding a copy of this project: an empty first commit, then the project
 * as it is in this working tree, sharing node_modules.
 */
function projectRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), "scopegate-review-repo-"));
  git(dir, "init", "-q");
  git(dir, "commit", "-q", "--allow-empty", "-m", "empty");
  const files = git(PROJECT_ROOT, "ls-files", "--cached", "--others", "--exclude-standard").split("\n");
  for (const file of files.filter((f) => f !== "" && !LEFT_OUT.test(f)))
    cpSync(join(PROJECT_ROOT, file), join(dir, file), { recursive: true });
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "project");
  return dir;
}

describe("--base: synthesizing a git ref", () => {
  let repo: string;

  beforeAll(() => {
    repo = projectRepository();
  });
  // Unlink the shared node_modules first, so removing the copy cannot reach into it.
  afterAll(() => {
    unlinkSync(join(repo, "node_modules"));
    rmSync(repo, { recursive: true, force: true });
  });

  test("compares the committed project with a changed working tree, leaving the repository as it was", async () => {
    // GIVEN the example's deletion protection turned off in the working tree
    const configFile = join(repo, "stacks", "config", "example.config.json");
    const doc = JSON.parse(readFileSync(configFile, "utf8"));
    doc.userPool.deletionProtection = false;
    writeFileSync(configFile, JSON.stringify(doc));
    // WHEN reviewed against HEAD
    const run = await runReview(
      { input: { kind: "base-ref", ref: "HEAD" }, outDir: "cdktf.out/review", failOn: "high", quiet: true },
      { projectDir: repo },
    );
    // THEN the change is found and fails at high; the repository has no new worktree and only the
    // edited file is modified
    const head = git(repo, "rev-parse", "HEAD");
    expect(run.summary.source).toEqual({ kind: "synth-diff", base: `HEAD (${head.slice(0, 7)})`, head: "the working tree" });
    expect(ruleList(run.report.flags)).toEqual(["deletion-protection-off@high"]);
    expect(run.exitCode).toBe(1);
    expect(git(repo, "status", "--porcelain")).toBe("M stacks/config/example.config.json");
    expect(git(repo, "worktree", "list").split("\n")).toHaveLength(1);
    git(repo, "checkout", "--", "stacks/config/example.config.json");
  }, 60000);

  test("a ref without the project counts everything as added", async () => {
    const base = await synthesizeRef(repo, "HEAD~1");
    expect(base).toMatchObject({ missingApp: true, commit: git(repo, "rev-parse", "HEAD~1") });
    const run = await runReview(
      { input: { kind: "base-ref", ref: "HEAD~1" }, outDir: "cdktf.out/review", failOn: "none", quiet: true },
      { projectDir: repo },
    );
    expect(run.summary.totals).toMatchObject({ change: 0, replace: 0, remove: 0 });
    expect(run.summary.totals.add).toBeGreaterThan(40);
    expect(run.summary.notes).toContain("HEAD~1 has no main.ts: every resource counts as added.");
  }, 60000);

  test("fails with ERR_REVIEW_GIT outside a repository or for a ref that names nothing", async () => {
    await expect(synthesizeRef(repo, "no-such-ref")).rejects.toThrow(ReviewError);
    await expect(synthesizeRef(repo, "no-such-ref")).rejects.toMatchObject({ code: "ERR_REVIEW_GIT" });
    const elsewhere = mkdtempSync(join(tmpdir(), "scopegate-not-a-repo-"));
    await expect(synthesizeRef(elsewhere, "HEAD")).rejects.toThrow(/is not inside a git checkout/);
    rmSync(elsewhere, { recursive: true, force: true });
  });

  test("fails with ERR_REVIEW_SYNTH, showing the app's error, when the base does not synthesize", async () => {
    git(repo, "checkout", "-q", "-b", "broken");
    writeFileSync(join(repo, "main.ts"), 'throw new Error("the base is broken");\n');
    git(repo, "commit", "-q", "-am", "break");
    git(repo, "checkout", "-q", "-");
    await expect(synthesizeRef(repo, "broken")).rejects.toMatchObject({
      code: "ERR_REVIEW_SYNTH",
      message: expect.stringContaining("the base is broken"),
    });
  }, 60000);

  test("this repository's HEAD synthesizes in a temporary folder", async () => {
    const base = await synthesizeRef(PROJECT_ROOT, "HEAD");
    expect(base.missingApp).toBe(false);
    expect(base.output.stacks.size).toBeGreaterThan(0);
  }, 30000);
});
