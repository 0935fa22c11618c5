import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AWS_PROVIDER_SOURCE, MIRROR_ENV, findProviderMirror, offlineEnvironment, writeOfflineOverride } from "../review/terraform";
import { describeMissingTool } from "./missing-tool";

/** The provider the stacks are written for: `@cdktf/provider-aws` 20.1.0 binds 5.100.0. */
export const AWS_PROVIDER_VERSION = "5.100.0";
const PROVIDER_PATH = `${AWS_PROVIDER_SOURCE}/${AWS_PROVIDER_VERSION}`;

/** What the offline Terraform tests need, or why they cannot run. */
export type OfflineTerraform =
  | { readonly available: true; readonly env: NodeJS.ProcessEnv; readonly mirror: string }
  | { readonly available: false; readonly reason: string };

let cached: OfflineTerraform | undefined;

/**
 * Finds the Terraform CLI and a filesystem mirror of `hashicorp/aws` 5.100.0, and writes a CLI
 * configuration that installs the provider from that mirror only. Where either is missing the
 * result says why, so tests can skip loudly instead of passing silently.
 *
 * The mirror is looked for in `SCOPEGATE_TF_PLUGIN_MIRROR`, then in Terraform's implied local
 * mirror folders, then anywhere on the root filesystem.
 */
export function offlineTerraform(): OfflineTerraform {
  cached ??= detect();
  return cached;
}

function detect(): OfflineTerraform {
  const version = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  if (version.status !== 0) return { available: false, reason: "the terraform CLI is not on PATH" };
  const mirror = findProviderMirror(AWS_PROVIDER_VERSION) ?? searchRootFilesystem();
  if (mirror === undefined) {
    return {
      available: false,
      reason: `no filesystem mirror holds ${PROVIDER_PATH}; set ${MIRROR_ENV} to a folder that contains registry.terraform.io/`,
    };
  }
  // The same offline environment `npm run review -- --offline-plan` uses: mock credentials and a
  // CLI configuration that installs the provider from the mirror only.
  return { available: true, env: offlineEnvironment(mkdtempSync(join(tmpdir(), "scopegate-tf-")), mirror), mirror };
}

/**
 * Last resort for tests: a mirror anywhere on the root filesystem (well under a second here). It
 * must hold the provider binary itself: an empty folder of the same layout (a test's scratch mirror)
 * does not count.
 */
function searchRootFilesystem(): string | undefined {
  const found = spawnSync(
    "find",
    [
      "/",
      "-xdev",
      "-type",
      "f",
      "-path",
      `*/${PROVIDER_PATH}/*/terraform-provider-aws*`,
      "-not",
      "-path",
      "*/.terraform/*",
      "-print",
      "-quit",
    ],
    { encoding: "utf8", timeout: 20000 },
  );
  const hit = found.stdout?.split("\n").find((line) => line.includes(`/${PROVIDER_PATH}/`));
  return hit === undefined ? undefined : hit.slice(0, hit.indexOf(`/${PROVIDER_PATH}/`));
}

/**
 * The provider settings that let `terraform plan` run without an AWS account, as an override
 * file (the review's own): Terraform merges it into the stack, and the synthesized JSON stays
 * exactly what users deploy.
 */
export { writeOfflineOverride as writeOfflineProviderOverride };

/** Runs `terraform <args>` in `cwd` and returns stdout; throws with stderr on failure. */
export function terraform(
  tf: Extract<OfflineTerraform, { available: true }>,
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): string {
  try {
    return execFileSync("terraform", args, {
      cwd,
      env: { ...tf.env, ...env },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`terraform ${args.join(" ")} failed in ${cwd}:\n${e.stderr || e.stdout || e.message}`, { cause: error });
  }
}

/**
 * Runs `terraform <args>` without blocking the event loop: needed whenever Terraform talks to a
 * server that runs inside the test process (dynalite), which a synchronous call would starve.
 */
export function terraformAsync(tf: Extract<OfflineTerraform, { available: true }>, cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("terraform", args, { cwd, env: tf.env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`terraform ${args.join(" ")} failed in ${cwd}:\n${stderr || stdout || error.message}`));
      else resolve(stdout);
    });
  });
}

/**
 * Declares a test that needs offline Terraform: runs it when available, otherwise registers a
 * skipped test whose title carries the reason (and prints it), never a silent pass; a failing
 * one where `SCOPEGATE_REQUIRE_TEST_TOOLS=1` (the CI workflow).
 */
export function describeWithTerraform(title: string, body: (tf: Extract<OfflineTerraform, { available: true }>) => void): void {
  const tf = offlineTerraform();
  if (tf.available) {
    describe(title, () => body(tf));
    return;
  }
  describeMissingTool(title, "needs Terraform and the provider mirror", tf.reason);
}
