/**
 * The GitHub workflow files as the tests read them, and one step's `run` script run as the runner
 * runs it (bash with the runner's flags, `RUNNER_TEMP` and `GITHUB_ENV`), in a scratch folder.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "./app";

// js-yaml: a devDependency, pinned to the version jest itself brings; typed here by the one function used.
const yaml = require("js-yaml") as { safeLoad(text: string): any };

/** The folder of the workflow files. */
export const WORKFLOWS = join(PROJECT_ROOT, ".github", "workflows");

/** The CI workflow. */
export const CI_WORKFLOW = join(WORKFLOWS, "ci.yml");

/** A workflow file, parsed. */
export function readWorkflow(file: string): any {
  return yaml.safeLoad(readFileSync(file, "utf8"));
}

/** The step whose name starts with `start`. */
export function stepNamed(steps: any[], start: string): any {
  return steps.find((s) => String(s.name).startsWith(start));
}

/** Scratch folders of the steps run, removed by {@link removeStepScratch}: a mirror left in the temp folder would mislead other tests. */
const scratch: string[] = [];

/** Removes the scratch folders of the steps run (call it after the suite: `afterAll(removeStepScratch)`). */
export function removeStepScratch(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Runs one workflow step's `run` script with bash and the flags the runner uses, in a scratch folder. */
export function runStep(script: string, env: NodeJS.ProcessEnv, runnerTemp = mkdtempSync(join(tmpdir(), "scopegate-runner-"))) {
  const githubEnv = join(runnerTemp, "github-env");
  writeFileSync(githubEnv, "");
  const result = spawnSync("/bin/bash", ["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script], {
    cwd: runnerTemp,
    env: { ...env, RUNNER_TEMP: runnerTemp, GITHUB_ENV: githubEnv },
    encoding: "utf8",
    timeout: 120_000,
  });
  const exported = Object.fromEntries(
    readFileSync(githubEnv, "utf8")
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  scratch.push(runnerTemp);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, exported };
}
