import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REVIEW_MARKER } from "../../review/render-markdown";
import { PROJECT_ROOT, synthOutput } from "../../testing/app";
import { exampleDocument } from "../../testing/config";

/** Runs `npm run review -- <args>` the way npm does (its script's command, without npm's own start-up). */
function review(...args: string[]) {
  const child = spawnSync(process.execPath, ["scripts/tool.cjs", "review", ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    timeout: 60000,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe("npm run review", () => {
  let base: string;
  let head: string;
  let work: string;

  beforeAll(() => {
    // GIVEN the example, and the example with users signing in by e-mail (which replaces the pool)
    work = mkdtempSync(join(tmpdir(), "scopegate-review-cli-"));
    const doc = exampleDocument();
    doc.userPool.signInWith = "email";
    for (const user of doc.users) user.username = user.email ?? `${user.username}@example.com`;
    doc.authorizationTable.grants = doc.authorizationTable.grants.filter((grant: any) => grant.principal.user !== "svc-reports");
    for (const grant of doc.authorizationTable.grants) if (grant.principal.user) grant.principal.user = "alice@example.com";
    doc.appClients[2].basicUsers = ["svc-reports@example.com"];
    writeFileSync(join(work, "email.json"), JSON.stringify(doc));
    [base, head] = [synthOutput(), synthOutput(join(work, "email.json"))];
  }, 60000);
  afterAll(() =>
    [work, base, head].forEach((dir) => rmSync(dir.endsWith("cdktf.out") ? dirname(dir) : dir, { recursive: true, force: true })),
  );

  test("writes review.md and review.json, prints the Markdown, and exits 1 at --fail-on critical", () => {
    const out = join(work, "critical");
    const run = review("--base-out", base, "--head-out", head, "--out", out, "--fail-on", "critical");
    expect(run.status).toBe(1);
    expect(run.stdout.startsWith(`${REVIEW_MARKER}\n## scopegate review`)).toBe(true);
    expect(run.stdout).toBe(readFileSync(join(out, "review.md"), "utf8"));
    expect(run.stderr).toMatch(
      /^review: 1 critical, \d+ high, \d+ medium, \d+ low, \d+ info \(fails: --fail-on critical\) → .*review\.md, .*review\.json\n$/,
    );
    const summary = JSON.parse(readFileSync(join(out, "review.json"), "utf8"));
    expect(summary).toMatchObject({
      schemaVersion: 1,
      highestSeverity: "critical",
      failOn: "critical",
      failed: true,
      source: { kind: "synth-diff" },
    });
    expect(summary.flags[0]).toMatchObject({
      rule: "user-pool-destroyed",
      path: "scopegate-example/user-pool/pool",
      attribute: "username_attributes",
    });
  });

  test("exits 0 below the threshold, and --quiet keeps the Markdown off standard output", () => {
    const run = review("--base-out", base, "--head-out", base, "--out", join(work, "same"), "--fail-on", "info", "--quiet");
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: "" });
    expect(existsSync(join(work, "same", "review.md"))).toBe(true);
  });

  test("--json prints review.json on stdout instead of the Markdown", () => {
    const out = join(work, "json");
    const run = review("--base-out", base, "--head-out", head, "--out", out, "--json");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(readFileSync(join(out, "review.json"), "utf8")));
    expect(JSON.parse(run.stdout)).toMatchObject({ schemaVersion: 1, highestSeverity: "critical", failed: false });
  });

  test("reviews a plan file, naming resources by the construct paths of --head-out", () => {
    const plan = join(__dirname, "fixtures", "plan-user-pool-replaced.json");
    const run = review("--plan", plan, "--head-out", base, "--out", join(work, "plan"), "--quiet");
    expect(run.status).toBe(0);
    const markdown = readFileSync(join(work, "plan", "review.md"), "utf8");
    expect(markdown).toContain("| 🔴 critical | `scopegate-example/user-pool/pool` | `username_attributes` |");
    expect(markdown).not.toContain("mock-client_secret");
  });

  test.each([
    [
      ["--plan", "missing.json"],
      'ERR_REVIEW_INPUT: --plan: file "missing.json" does not exist; pass the output of `terraform show -json plan.bin > plan.json`',
    ],
    [
      ["--base", "no-such-branch-anywhere"],
      'ERR_REVIEW_GIT: --base: "no-such-branch-anywhere" names no commit in this repository; fetch it first',
    ],
    [
      ["--base", "main", "--fail-on", "urgent"],
      'ERR_REVIEW_USAGE: --fail-on: must be one of critical, high, medium, low, info, none, got "urgent"',
    ],
    [["--bogus"], 'ERR_REVIEW_USAGE: unknown option "--bogus"\n\nUsage: npm run review -- <input> [options]'],
  ])("fails clearly with exit 2 when given %j", (args, message) => {
    const run = review(...args, "--out", join(work, "errors"));
    expect(run.status).toBe(2);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test("--help prints the usage", () => {
    const run = review("--help");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Usage: npm run review -- <input> [options]");
  });
});
