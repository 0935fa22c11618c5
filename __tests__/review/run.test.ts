import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExportGitRef, ExportedRef, exportGitRef } from "../../core/git-export";
import { ACCESS_REVIEW_HEADING } from "../../review/for-review";
import { ReviewOptions } from "../../review/args";
import { ReviewError } from "../../review/errors";
import { runReview } from "../../review/run";
import { PROJECT_ROOT } from "../../testing/app";
import { checkoutElsewhere } from "../../testing/checkout";
import { exampleDocument } from "../../testing/config";

const options = (input: ReviewOptions["input"]): ReviewOptions => ({ input, outDir: "cdktf.out/review", failOn: "none", quiet: true });

async function failure(input: ReviewOptions["input"]): Promise<ReviewError> {
  try {
    await runReview(options(input), { projectDir: PROJECT_ROOT });
  } catch (error) {
    if (error instanceof ReviewError) return error;
    throw error;
  }
  throw new Error("the review did not fail");
}

describe("runReview fails on bad inputs, naming the flag and the fix", () => {
  test.each([
    [
      { kind: "plan", planFile: "package.json" },
      "ERR_REVIEW_INPUT",
      '--plan: "package.json" is JSON but not a Terraform plan (no format_version with planned_values/resource_changes); pass the output of `terraform show -json <planfile>`',
    ],
    [{ kind: "plan", planFile: "help" }, "ERR_REVIEW_INPUT", '--plan: "help" is not valid JSON ('],
    [
      { kind: "outputs", baseOut: "stacks", headOut: "stacks" },
      "ERR_REVIEW_INPUT",
      '--base-out: stacks has no manifest.json, so it is not a synthesized app: run "npm run synth" first (or pass --base-out <the folder cdktf synthesized into>)',
    ],
    [
      { kind: "outputs", baseOut: "no-such-folder", headOut: "stacks" },
      "ERR_REVIEW_INPUT",
      '--base-out: no-such-folder does not exist: run "npm run synth" first (or pass --base-out <the folder cdktf synthesized into>)',
    ],
    [
      { kind: "plan", planFile: "__tests__/review/fixtures/plan-user-pool-replaced.json", headOut: "stacks" },
      "ERR_REVIEW_INPUT",
      "--head-out: stacks has no manifest.json",
    ],
  ] as const)("%j", async (input, code, message) => {
    const error = await failure(input);
    expect(error.code).toBe(code);
    expect(error.message.startsWith(message)).toBe(true);
  });
});

describe("runReview --base exports the base once", () => {
  test("its synth and its access matrix share one export, removed afterwards", async () => {
    // GIVEN a repository whose HEAD has no project yet, and an empty synth output as the head
    const repo = mkdtempSync(join(tmpdir(), "scopegate-review-once-"));
    const git = (...args: string[]) =>
      spawnSync("git", ["-c", "user.name=review-test", "-c", "user.email=review-test@example.com", ...args], { cwd: repo });
    git("init", "-q");
    git("commit", "-q", "--allow-empty", "-m", "empty");
    const headOut = join(repo, "head");
    mkdirSync(headOut);
    writeFileSync(join(headOut, "manifest.json"), JSON.stringify({ stacks: {} }));
    const exports: ExportedRef[] = [];
    const counting: ExportGitRef = (projectDir, ref) => {
      const result = exportGitRef(projectDir, ref);
      if (result.ok) exports.push(result.exported);
      return result;
    };
    // WHEN it is reviewed against HEAD
    const run = await runReview(
      { input: { kind: "base-ref", ref: "HEAD", headOut: "head" }, outDir: "review", failOn: "none", quiet: true },
      { projectDir: repo, env: {}, exportRef: counting },
    );
    // THEN the ref was exported once, both the synth diff and the access changes read it, and the folder is gone
    expect(exports.map((exported) => exported.ref)).toEqual(["HEAD"]);
    expect(run.summary.notes).toContain("HEAD has no main.ts: every resource counts as added.");
    expect(run.markdown).toContain(ACCESS_REVIEW_HEADING);
    expect(run.markdown).not.toContain("Not compared");
    expect(existsSync(exports[0].dir)).toBe(false);
  });
});

describe("runReview --base from a project subfolder", () => {
  test("a relative SCOPEGATE_CONFIG starts at the folder npm was run in (INIT_CWD), in the base tree for the base and in the working tree for the head", async () => {
    // GIVEN a copy of the project as a repository whose orders/orders.json is committed, then changed (a user added)
    const repo = checkoutElsewhere();
    const git = (...args: string[]) =>
      spawnSync("git", ["-c", "user.name=review-test", "-c", "user.email=review-test@example.com", ...args], {
        cwd: repo,
        encoding: "utf8",
      });
    const document = exampleDocument();
    document.name = "orders";
    mkdirSync(join(repo, "orders"));
    writeFileSync(join(repo, "orders", "orders.json"), JSON.stringify(document));
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
    document.users.push({ username: "olga", email: "olga@example.com", groups: ["readers"] });
    writeFileSync(join(repo, "orders", "orders.json"), JSON.stringify(document));
    // WHEN it is reviewed against HEAD as `cd orders && SCOPEGATE_CONFIG=orders.json npm run review -- --base HEAD` runs it
    const run = await runReview(
      { input: { kind: "base-ref", ref: "HEAD" }, outDir: "review", failOn: "none", quiet: true },
      { projectDir: repo, env: { ...process.env, SCOPEGATE_CONFIG: "orders.json", INIT_CWD: join(repo, "orders") } },
    );
    // THEN each side read its own orders/orders.json: the one change is the user added
    const added = run.report.changeSet.stacks.flatMap((stack) => stack.changes).filter((change) => change.action === "add");
    expect(added.map((change) => change.type).sort()).toEqual(["aws_cognito_user", "aws_cognito_user_in_group"]);
    expect(run.report.changeSet.stacks.map((stack) => stack.name)).toEqual(["orders"]);
    rmSync(repo, { recursive: true, force: true });
  }, 180_000);
});
