import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AWS_PROVIDER } from "../core/aws-provider";
import { MIRROR_ENV } from "../review/terraform";
import { PROJECT_ROOT } from "../testing/app";
import { CHROMIUM_ENV } from "../testing/chromium";
import { REQUIRE_TEST_TOOLS_ENV } from "../testing/missing-tool";
import { CI_WORKFLOW, WORKFLOWS, readWorkflow, removeStepScratch, runStep, stepNamed } from "../testing/workflow";

// The workflow files and the steps that need no Terraform; the provider mirror step filling a mirror
// with Terraform is in workflows.terraform.test.ts.

const AWS_PROVIDER_VERSION = AWS_PROVIDER.version;
const VALIDATOR = join(PROJECT_ROOT, "node_modules", ".bin", "action-validator");

/** Runs the workflow linter (`@action-validator/cli`) on one file. */
function validate(file: string) {
  return spawnSync(VALIDATOR, [file], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
}

afterAll(removeStepScratch);

describe("the workflow files", () => {
  const files = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name));

  test("include the CI workflow and the review workflow", () => {
    expect(files.sort()).toEqual(["ci.yml", "scopegate-review.yml"]);
  });

  test.each(files)("%s passes the workflow linter", (name) => {
    const result = validate(join(WORKFLOWS, name));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  test("fails the linter when a workflow is broken (a timeout that is not a number)", () => {
    const broken = readFileSync(CI_WORKFLOW, "utf8").replace("timeout-minutes: 30", "timeout-minutes: soon");
    expect(broken).toContain("timeout-minutes: soon");
    const file = join(mkdtempSync(join(tmpdir(), "scopegate-workflow-")), "ci.yml");
    writeFileSync(file, broken);
    const result = validate(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('"path": "/jobs/test/timeout-minutes"');
  });

  test.each(files)("%s checks out without leaving the token in .git/config (the jobs run the pull request's code)", (name) => {
    const workflow = readWorkflow(join(WORKFLOWS, name));
    const checkouts = Object.values(workflow.jobs as Record<string, { steps: any[] }>)
      .flatMap((job) => job.steps)
      .filter((step) => String(step.uses ?? "").startsWith("actions/checkout@"));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const step of checkouts) expect(step.with).toMatchObject({ "persist-credentials": false });
  });

  test("pin every action to a full commit with its version in a comment", () => {
    for (const name of files) {
      const uses = readFileSync(join(WORKFLOWS, name), "utf8")
        .split("\n")
        .filter((line) => /^\s*(- )?uses:/.test(line));
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });
});

describe("the CI workflow", () => {
  const workflow = readWorkflow(CI_WORKFLOW);
  const testSteps: any[] = workflow.jobs.test.steps;
  const checkSteps: any[] = workflow.jobs.check.steps;
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");

  test("runs on pushes and pull requests (forks too) with read-only access and no secrets", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push", "workflow_dispatch"]);
    expect(workflow.on.push).toBeNull();
    expect(workflow.on.pull_request).toBeNull();
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(readFileSync(CI_WORKFLOW, "utf8")).not.toMatch(/\$\{\{\s*secrets\./);
  });

  test("cancels a run that a newer push to the same ref supersedes, and bounds every job's time", () => {
    expect(workflow.concurrency).toEqual({ group: "ci-${{ github.workflow }}-${{ github.ref }}", "cancel-in-progress": true });
    for (const job of Object.values<any>(workflow.jobs)) expect(job["timeout-minutes"]).toBeGreaterThan(0);
  });

  test("sets up Node 20 with the npm cache in each job", () => {
    for (const steps of [testSteps, checkSteps]) {
      expect(steps.find((s) => String(s.uses).startsWith("actions/setup-node@")).with).toEqual({ "node-version": 20, cache: "npm" });
    }
  });

  test("runs exactly the README's test command", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const readmeCommand = firstBlock
      .split("\n")
      .map((l) => l.replace(/\s+#.*$/, ""))
      .find((l) => l.endsWith("npm test"));
    expect(readmeCommand).toBe("npm ci && npm test");
    expect(testSteps.filter((s) => s.run === readmeCommand)).toHaveLength(1);
    // The tools are set up before the tests run.
    const testIndex = testSteps.findIndex((s) => s.run === readmeCommand);
    expect(testIndex).toBe(testSteps.length - 1);
  });

  test("runs npm run check on a fresh synth of the example configuration", () => {
    expect(checkSteps.map((s) => s.run).filter((run) => run !== undefined)).toEqual(["npm ci", "npm run synth", "npm run check"]);
  });

  test("makes a missing Chromium or Terraform fail the tests instead of skipping them", () => {
    expect(workflow.jobs.test.env).toEqual({ [REQUIRE_TEST_TOOLS_ENV]: "1" });
  });

  test("sets up Terraform 1.11 without the wrapper script and mirrors the provider version the stacks pin", () => {
    expect(testSteps.find((s) => String(s.uses).startsWith("hashicorp/setup-terraform@")).with).toEqual({
      terraform_version: "1.11.4",
      terraform_wrapper: false,
    });
    const mirrorStep = stepNamed(testSteps, "Mirror the AWS provider");
    expect(mirrorStep.run).toContain(`aws = { source = "hashicorp/aws", version = "${AWS_PROVIDER_VERSION}" }`);
    expect(mirrorStep.run).toContain(`echo "${MIRROR_ENV}=\${mirror}" >> "\${GITHUB_ENV}"`);
  });

  test("keeps the provider mirror between runs: a cache of the mirror folder, keyed on the provider version, restored before the mirror step", () => {
    const index = testSteps.findIndex((s) => String(s.uses).startsWith("actions/cache@"));
    expect(index).toBeGreaterThan(-1);
    expect(testSteps[index].uses).toMatch(/^actions\/cache@[0-9a-f]{40}$/);
    expect(testSteps[index].with.path).toBe("${{ runner.temp }}/terraform-plugins");
    expect(testSteps[index].with.key).toContain(`hashicorp-aws-${AWS_PROVIDER_VERSION}`);
    expect(index).toBeLessThan(testSteps.indexOf(stepNamed(testSteps, "Mirror the AWS provider")));
  });

  test("a restored mirror is used as it is: no terraform run (none is on PATH here), the mirror exported", () => {
    const runnerTemp = mkdtempSync(join(tmpdir(), "scopegate-runner-"));
    mkdirSync(join(runnerTemp, "terraform-plugins", "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION, "linux_amd64"), {
      recursive: true,
    });
    const result = runStep(
      stepNamed(testSteps, "Mirror the AWS provider").run,
      { PATH: mkdtempSync(join(tmpdir(), "scopegate-empty-path-")) },
      runnerTemp,
    );
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(result.exported[MIRROR_ENV]).toBe(join(runnerTemp, "terraform-plugins"));
  });

  describe("the Chrome step", () => {
    const script: string = stepNamed(testSteps, "Find Chrome").run;

    test("exports the first browser it finds in PATH as CHROMIUM_PATH", () => {
      const bin = mkdtempSync(join(tmpdir(), "scopegate-fake-chrome-"));
      const chrome = join(bin, "google-chrome-stable");
      writeFileSync(chrome, "#!/bin/sh\necho 'Google Chrome 1.0'\n", { mode: 0o755 });
      const result = runStep(script, { PATH: bin });
      expect(result.status).toBe(0);
      expect(result.stdout).toBe("Google Chrome 1.0\n");
      expect(result.exported).toEqual({ [CHROMIUM_ENV]: chrome });
    });

    test("fails the job when there is no browser", () => {
      const result = runStep(script, { PATH: mkdtempSync(join(tmpdir(), "scopegate-empty-path-")) });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain("::error::No Chromium or Chrome on this runner");
      expect(result.exported).toEqual({});
    });
  });
});
