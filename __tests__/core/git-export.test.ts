import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportGitRef } from "../../core/git-export";

const git = (cwd: string, ...args: string[]) => {
  const result = spawnSync("git", ["-c", "user.name=export-test", "-c", "user.email=export-test@example.com", ...args], {
    cwd,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
};

describe("exportGitRef", () => {
  let repo: string;

  beforeAll(() => {
    // GIVEN a repository whose project is the subfolder app/, at two commits
    repo = mkdtempSync(join(tmpdir(), "scopegate-export-"));
    git(repo, "init", "-q");
    mkdirSync(join(repo, "app"));
    writeFileSync(join(repo, "app", "main.ts"), "first\n");
    writeFileSync(join(repo, "outside.txt"), "not the project\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "first");
    writeFileSync(join(repo, "app", "main.ts"), "second\n");
    git(repo, "commit", "-qam", "second");
  });

  test("writes the project's files at the ref into a temporary folder, which dispose removes", () => {
    // WHEN the project folder is exported at HEAD~1
    const result = exportGitRef(join(repo, "app"), "HEAD~1");
    if (!result.ok) throw new Error(result.problem);
    const { exported } = result;
    // THEN the folder holds the project (not the rest of the repository) as it was, and the working tree is untouched
    expect(exported.commit).toBe(git(repo, "rev-parse", "HEAD~1"));
    expect(readFileSync(join(exported.dir, "main.ts"), "utf8")).toBe("first\n");
    expect(existsSync(join(exported.dir, "outside.txt"))).toBe(false);
    expect(readFileSync(join(repo, "app", "main.ts"), "utf8")).toBe("second\n");
    exported.dispose();
    expect(existsSync(exported.dir)).toBe(false);
  });

  test.each([
    ["a ref that names no commit", () => repo, "no-such-ref", /^"no-such-ref" names no commit in this repository; fetch it first/],
    ["a ref that looks like a flag", () => repo, "--all", /^"--all" is not a git ref$/],
    ["a folder outside any checkout", () => mkdtempSync(join(tmpdir(), "scopegate-no-repo-")), "HEAD", /is not inside a git checkout/],
  ])("fails, without throwing, on %s", (_title, dir, ref, problem) => {
    const result = exportGitRef(dir(), ref);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.problem).toMatch(problem);
  });
});
