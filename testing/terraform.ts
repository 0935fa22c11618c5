import { AWS_PROVIDER } from "../core/aws-provider";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AWS_PROVIDER_SOURCE, MIRROR_ENV, findProviderMirror, offlineEnvironment, writeOfflineOverride } from "../review/terraform";
import { describeMissingTool } from "./missing-tool";
import { digestOf, folderDigest, runDir, sharedInRun, sharedInRunAsync } from "./run-cache";

/** The provider the stacks are written for: `@cdktf/provider-aws` 20.1.0 binds 5.100.0. */
export const AWS_PROVIDER_VERSION = AWS_PROVIDER.version;
const PROVIDER_PATH = `${AWS_PROVIDER_SOURCE}/${AWS_PROVIDER_VERSION}`;

/** What the offline Terraform tests need, or why they cannot run. */
export type OfflineTerraform =
  | { readonly available: true; readonly env: NodeJS.ProcessEnv; readonly mirror: string; readonly version: string }
  | { readonly available: false; readonly reason: string };

/** What {@link offlineTerraform} finds, shared by the run's workers (the mirror search takes seconds). */
type Found =
  { readonly available: true; readonly mirror: string; readonly version: string } | { readonly available: false; readonly reason: string };

let cached: OfflineTerraform | undefined;

/**
 * Finds the Terraform CLI and a filesystem mirror of `hashicorp/aws` 5.100.0, and writes a CLI
 * configuration that installs the provider from that mirror only. Where either is missing the
 * result says why, so tests can skip loudly instead of passing silently.
 *
 * The mirror is looked for in `SCOPEGATE_TF_PLUGIN_MIRROR`, then in Terraform's implied local
 * mirror folders, then anywhere on the root filesystem. Found once per run (`testing/run-cache.ts`).
 */
export function offlineTerraform(): OfflineTerraform {
  if (cached === undefined) {
    const found = sharedInRun("terraform-found", detect);
    // The same offline environment `npm run review -- --offline-plan` uses: mock credentials and a
    // CLI configuration that installs the provider from the mirror only.
    cached = found.available ? { ...found, env: offlineEnvironment(mkdtempSync(join(tmpdir(), "scopegate-tf-")), found.mirror) } : found;
  }
  return cached;
}

function detect(): Found {
  const version = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  if (version.status !== 0) return { available: false, reason: "the terraform CLI is not on PATH" };
  const mirror = findProviderMirror(AWS_PROVIDER_VERSION) ?? searchRootFilesystem();
  if (mirror === undefined) {
    return {
      available: false,
      reason: `no filesystem mirror holds ${PROVIDER_PATH}; set ${MIRROR_ENV} to a folder that contains registry.terraform.io/`,
    };
  }
  return { available: true, mirror, version: String(JSON.parse(version.stdout).terraform_version) };
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
    // Once per run, and a busy machine makes it slow: a search cut short would skip every Terraform test.
    { encoding: "utf8", timeout: 180000 },
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

/** What Terraform leaves in a folder, never copied with a stack folder nor part of what it is. */
const TERRAFORM_LEFTOVERS = /(^|[\\/])(\.terraform|\.terraform\.lock\.hcl|[^\\/]*\.tfstate[^\\/]*|plan\.bin)$/;

/**
 * One `terraform init` per run: a folder that requires the AWS provider with the offline override's
 * local state, initialised once (`testing/run-cache.ts`). Its `.terraform/` (a link into the mirror
 * and the backend record) and lock file are what a stack folder needs to validate and plan.
 */
function initialisedTemplate(tf: Extract<OfflineTerraform, { available: true }>): string {
  const key = digestOf("terraform-init", tf.version, AWS_PROVIDER_VERSION, tf.mirror);
  return sharedInRun(`terraform-init-${key}`, () => {
    const base = runDir();
    const dir = base === undefined ? mkdtempSync(join(tmpdir(), "scopegate-tf-init-")) : join(base, "terraform-init", key);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source: "aws", version: AWS_PROVIDER_VERSION } } } }),
    );
    writeOfflineOverride(dir);
    terraform(tf, dir, ["init", "-input=false", "-no-color"]);
    return dir;
  });
}

/**
 * Gives `dir` the run's initialised `.terraform/` and lock file: one `terraform init` per run
 * instead of one per folder. Its backend is the offline override's local state: commands that
 * read the backend (`plan`, `apply`, `providers schema`) need that override in `dir` too
 * (`validate` does not). A folder that needs more than the AWS provider is initialised by the
 * helpers below when Terraform asks for it.
 */
export function shareInit(tf: Extract<OfflineTerraform, { available: true }>, dir: string): void {
  const template = initialisedTemplate(tf);
  cpSync(join(template, ".terraform"), join(dir, ".terraform"), { recursive: true, verbatimSymlinks: true });
  cpSync(join(template, ".terraform.lock.hcl"), join(dir, ".terraform.lock.hcl"));
}

/** `stackDir` copied alone into a new folder (without what Terraform left there), with {@link shareInit}. */
function copyAlone(tf: Extract<OfflineTerraform, { available: true }>, stackDir: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), "scopegate-tf-alone-")), "stack");
  cpSync(stackDir, copy, { recursive: true, filter: (source) => !TERRAFORM_LEFTOVERS.test(source) });
  shareInit(tf, copy);
  return copy;
}

/**
 * `stackDir` copied alone, initialised ({@link shareInit}) and with the offline override
 * (`providerSettings` merged into its provider block): ready for `terraform plan` or `apply`.
 */
export function offlineStackAlone(
  tf: Extract<OfflineTerraform, { available: true }>,
  stackDir: string,
  providerSettings: Record<string, unknown> = {},
): string {
  const copy = copyAlone(tf, stackDir);
  writeOfflineOverride(copy, providerSettings);
  return copy;
}

/** Runs `args` in `dir`; where the run's shared init does not fit the folder (another provider), inits it first. */
export async function runInitialised(tf: Extract<OfflineTerraform, { available: true }>, dir: string, args: string[]): Promise<string> {
  try {
    return await terraformAsync(tf, dir, args);
  } catch (error) {
    if (!/terraform init/.test((error as Error).message)) throw error;
    await terraformAsync(tf, dir, ["init", "-input=false", "-no-color"]);
    return terraformAsync(tf, dir, args);
  }
}

/** What identifies a stack folder's Terraform results: its files, the Terraform and provider versions. */
function stackKey(tf: Extract<OfflineTerraform, { available: true }>, kind: string, stackDir: string, extra: unknown = null): string {
  const files = folderDigest(stackDir, (path) => TERRAFORM_LEFTOVERS.test(path));
  return `${kind}-${digestOf(kind, files, tf.version, AWS_PROVIDER_VERSION, JSON.stringify(extra))}`;
}

/**
 * `terraform validate -json` of `stackDir` copied alone (as a platform team would receive it, no
 * override), parsed. Once per run for the same folder content: suites that validate the same
 * synthesized example share one validation.
 */
export function validateAlone(tf: Extract<OfflineTerraform, { available: true }>, stackDir: string): Promise<any> {
  return sharedInRunAsync(stackKey(tf, "terraform-validate", stackDir), async () => {
    const copy = copyAlone(tf, stackDir);
    return JSON.parse(await runInitialised(tf, copy, ["validate", "-json", "-no-color"]));
  });
}

/** An offline plan: what `terraform plan` printed, and `terraform show -json` of it, parsed. */
export interface OfflinePlanResult {
  readonly text: string;
  readonly plan: any;
}

/**
 * The offline plan of `stackDir` copied alone: the offline override (`providerSettings` merged into
 * its provider block), `plan -refresh=false`, `show -json`. Once per run for the same folder content
 * and settings: suites that plan the same synthesized example share one plan.
 */
export function planAlone(
  tf: Extract<OfflineTerraform, { available: true }>,
  stackDir: string,
  providerSettings: Record<string, unknown> = {},
): Promise<OfflinePlanResult> {
  return sharedInRunAsync(stackKey(tf, "terraform-plan", stackDir, providerSettings), async () => {
    const copy = offlineStackAlone(tf, stackDir, providerSettings);
    const text = await runInitialised(tf, copy, ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=plan.bin"]);
    const plan = JSON.parse(await terraformAsync(tf, copy, ["show", "-json", "plan.bin"]));
    return { text, plan };
  });
}
