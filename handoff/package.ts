/**
 * `npm run handoff`: after a synth, one standalone folder per stack that a platform team can own:
 * HCL with the same resource addresses as `cdk.tf.json`, the Lambda package by a relative path,
 * variables with an example, `HANDOFF.md`, and the check results and access matrix as JSON.
 *
 * Everything is generated into a temporary sibling of the output folder first, so an error leaves
 * no half-written hand-off; then only the files the hand-off writes are moved into place (listed in
 * {@link HANDOFF_MANIFEST}), and nothing it did not write is ever replaced or deleted.
 *
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { CheckError } from "../checks/errors";
import { evaluateStack } from "../checks/evaluate";
import { countBySeverity } from "../core/severity";
import { readOutput } from "../checks/output";
import { TERRAFORM_EVALUATION_RULE } from "../checks/rules/terraform";
import { modelMismatch } from "../core/stack-model";
import { EXAMPLE_CONFIG_PATH } from "../stacks/config/location";
import { computeAccessMatrix } from "../matrix/compute";
import { MATRIX_FORMAT } from "../matrix/files";
import { CEDAR_FOLDER, cedarTwinFiles, renderCedarTwin } from "../stacks/cedar/render";
import type { ScopegateConfig } from "../stacks/config/model";
import { isJsonObject } from "../core/json";
import { stackBlocks } from "../core/terraform-json/document";
import { BUNDLE_RECORD_FILE, BUNDLE_RECORD_FORMAT } from "../stacks/bundle-record-file";
import type { BundleRecord } from "../stacks/authorizer-bundle";
import { HandoffError } from "./errors";
import { HandoffOrigin, LambdaPackageFacts, SynthesizedTerraform, renderHandoffMarkdown } from "./handoff-md";
import { checkSameInput, createdUsers } from "./same-input";
import { zipListing } from "./zip-listing";
import { TerraformFiles, terraformFiles } from "./terraform-files";

/** Name of the document every hand-off folder holds; marks a folder as a hand-off. */
export const HANDOFF_DOCUMENT = "HANDOFF.md";

/** The file, at the top of an output folder, that lists every file the hand-off wrote there. */
export const HANDOFF_MANIFEST = ".scopegate-handoff.json";

/** What {@link writeHandoff} reads. */
export interface HandoffInput {
  /** The synth output folder (`cdktf.out`). */
  readonly synthOut: string;
  /** How to name the synth output in messages (as the user gave it). */
  readonly synthOutLabel: string;
  /**
   * A configuration the user named (`SCOPEGATE_CONFIG`, the cdktf context `configFile`), which the
   * synth output must have been built from; the hand-off itself reads the models the output holds.
   * @default none: the output's models are taken as they are
   */
  readonly given?: { readonly configs: readonly ScopegateConfig[]; readonly source: string };
  /** The folder that receives one sub-folder per stack. */
  readonly outDir: string;
  /** Where the hand-off was made: the source commit, and the command that makes it again. */
  readonly origin?: (configuration: string | undefined) => HandoffOrigin;
}

/** What was written, per stack: its folder and the files the hand-off wrote there, sorted. */
export interface HandoffResult {
  readonly stacks: readonly { readonly stack: string; readonly folder: string; readonly files: readonly string[] }[];
}

/** The content of {@link HANDOFF_MANIFEST}. */
interface Manifest {
  readonly format: "scopegate-handoff-files";
  readonly version: 1;
  /** Every file the hand-off wrote, relative to the output folder, with `/` separators, sorted. */
  readonly files: readonly string[];
}

/**
 * Writes the hand-off of every stack. Only files the hand-off writes are replaced: it lists them
 * in {@link HANDOFF_MANIFEST}, and a later run replaces those, removes those it no longer writes,
 * and leaves everything else (Terraform's state, `.terraform/`, the lock file, a saved plan, any
 * file of the team's) as it is. Everything is generated into a temporary sibling folder first, so
 * a run that fails changes nothing.
 *
 * @throws HandoffError `ERR_HANDOFF_NO_OUTPUT` without a synth output, `ERR_HANDOFF_STALE` when the
 *   output was not synthesized from the configuration, `ERR_HANDOFF_UNSUPPORTED` for JSON the HCL
 *   writer cannot translate, `ERR_HANDOFF_USAGE` when the output folder is not a hand-off or holds a
 *   file of the user's where the hand-off would write one
 */
export async function writeHandoff(input: HandoffInput): Promise<HandoffResult> {
  let stacks;
  try {
    stacks = readOutput(input.synthOut, input.synthOutLabel, "--from");
  } catch (error) {
    if (!(error instanceof CheckError)) throw error;
    throw new HandoffError("ERR_HANDOFF_NO_OUTPUT", error.message);
  }
  // The synth output is the one input: each stack is described from the model it was built from.
  const models = new Map(stacks.map((stack) => [stack.name, stack.model]));
  if (input.given !== undefined) {
    const mismatch = modelMismatch(stacks, input.given.configs);
    if (mismatch !== undefined) {
      throw new HandoffError(
        "ERR_HANDOFF_STALE",
        `${input.synthOutLabel} was synthesized from ${mismatch.synthesizedFrom} (${mismatch.built}), but the configuration (${input.given.source}) gives ${mismatch.given}: run "npm run synth" with the same configuration first, or unset SCOPEGATE_CONFIG to hand off the output as it is`,
      );
    }
  }
  // A template that reads files or the environment, unmasks secrets or runs programs (SG-TF-001)
  // would be written as a live HCL expression for another team to plan: never hand such an output off.
  for (const stackInput of stacks) {
    const unsafe = evaluateStack(stackInput, [TERRAFORM_EVALUATION_RULE]).findings;
    if (unsafe.length > 0) {
      const [first] = unsafe;
      throw new HandoffError(
        "ERR_HANDOFF_UNSAFE",
        `stack ${stackInput.name}: ${first.address} ${first.attribute}: ${first.detail} (${first.rule}${unsafe.length > 1 ? `, and ${unsafe.length - 1} more` : ""}); ` +
          "handing it off would give another team Terraform that reads files or the environment, unmasks secrets or runs programs when planned: " +
          'regenerate the output with "npm run synth" from a reviewed configuration (nothing was written)',
      );
    }
  }
  for (const stackInput of stacks) {
    const model = models.get(stackInput.name)!;
    // Defence in depth: the model must say what cdk.tf.json creates (an output edited by hand would not).
    checkSameInput(
      model.model as unknown as ScopegateConfig,
      stackInput.template as Readonly<Record<string, unknown>>,
      input.synthOutLabel,
      model.configuration,
    );
  }
  const previous = previousFiles(input.outDir);
  // The HCL of every stack first (laid out asynchronously), so that what follows writes at once.
  const hcl = new Map<string, TerraformFiles>();
  for (const stackInput of stacks) hcl.set(stackInput.name, await terraformFiles(stackInput.template, stackInput.name));

  mkdirSync(dirname(input.outDir), { recursive: true });
  const staging = mkdtempSync(join(dirname(input.outDir), `.${basename(input.outDir)}.partial-`));
  try {
    for (const stackInput of stacks) {
      const config = models.get(stackInput.name)!.model as unknown as ScopegateConfig;
      const stackDir = join(input.synthOut, "stacks", stackInput.name);
      const files = hcl.get(stackInput.name)!;
      writeStack(
        join(staging, stackInput.name),
        stackDir,
        stackInput,
        files,
        config,
        sourceOf(models.get(stackInput.name)!.configuration),
        input,
      );
    }
    const files = filesBelow(staging);
    checkNoConflict(input.outDir, files, previous);
    replaceFiles(input.outDir, staging, files, previous);
    return {
      stacks: stacks.map((stack) => ({
        stack: stack.name,
        folder: join(input.outDir, stack.name),
        files: files.filter((file) => file.startsWith(`${stack.name}/`)).map((file) => file.slice(stack.name.length + 1)),
      })),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The files an earlier hand-off wrote into `outDir`: none for a new or empty folder.
 *
 * @throws HandoffError `ERR_HANDOFF_USAGE` when `outDir` is a file, or holds something without a
 *   readable {@link HANDOFF_MANIFEST}
 */
function previousFiles(outDir: string): readonly string[] {
  if (!existsSync(outDir)) return [];
  const nothingWritten = "(nothing was written)";
  if (!statSync(outDir).isDirectory()) {
    throw new HandoffError("ERR_HANDOFF_USAGE", `--out: ${outDir} is a file; pass --out <a new or empty folder> ${nothingWritten}`);
  }
  const manifestFile = join(outDir, HANDOFF_MANIFEST);
  if (!existsSync(manifestFile)) {
    const entries = readdirSync(outDir);
    if (entries.length === 0) return [];
    // A hand-off made before hand-offs recorded their files: say how to move to this one without losing state.
    const earlier = entries
      .filter((entry) => existsSync(join(outDir, entry, HANDOFF_DOCUMENT)))
      .map((entry) => `${entry}/${HANDOFF_DOCUMENT}`);
    if (earlier.length > 0) {
      throw new HandoffError(
        "ERR_HANDOFF_USAGE",
        `--out: ${outDir} holds a hand-off made before hand-offs recorded the files they write (${earlier.join(", ")}; no ${HANDOFF_MANIFEST}), ` +
          "so which files are the team's cannot be told: move the folder aside, run again with the same --out, then copy back what your team " +
          `added (terraform.tfstate, .terraform.lock.hcl, .terraform/, files of your own); or pass --out <a new or empty folder> ${nothingWritten}`,
      );
    }
    throw new HandoffError(
      "ERR_HANDOFF_USAGE",
      `--out: ${outDir} is not empty and holds no ${HANDOFF_MANIFEST}, so it is not a hand-off; pass --out <a new or empty folder> ${nothingWritten}`,
    );
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  } catch {
    manifest = undefined;
  }
  const files = isJsonObject(manifest) ? manifest.files : undefined;
  if (!Array.isArray(files) || !files.every((file) => typeof file === "string" && isInside(file))) {
    throw new HandoffError(
      "ERR_HANDOFF_USAGE",
      `--out: ${manifestFile} is damaged (not a list of the files a hand-off wrote); restore it, or pass --out <a new or empty folder> ${nothingWritten}`,
    );
  }
  return files as string[];
}

/** A manifest entry names a file inside the output folder: relative, no `..`, not the manifest itself. */
function isInside(file: string): boolean {
  return (
    file !== "" &&
    file !== HANDOFF_MANIFEST &&
    !isAbsolute(file) &&
    !file.split("/").some((part) => part === ".." || part === "." || part === "")
  );
}

/**
 * @throws HandoffError `ERR_HANDOFF_USAGE` naming the first path where the hand-off would write over
 *   something it did not write (a file of the user's, or a file where it needs a folder)
 */
function checkNoConflict(outDir: string, files: readonly string[], previous: readonly string[]): void {
  const ours = new Set(previous);
  for (const file of files) {
    const parts = file.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const path = join(outDir, ...parts.slice(0, i));
      const stat = lstatIfAny(path);
      if (stat === undefined) break;
      const isLast = i === parts.length;
      if ((!isLast && stat.isDirectory()) || (isLast && stat.isFile() && ours.has(file))) continue;
      throw new HandoffError(
        "ERR_HANDOFF_USAGE",
        `--out: ${path} exists and was not written by a hand-off; move it away or pass another --out (nothing was written)`,
      );
    }
  }
}

function lstatIfAny(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Moves the new files from `staging` into `outDir` and removes the files the previous run wrote
 * that this one does not (and folders that this leaves empty), touching nothing else. The
 * manifest first lists both runs' files, so a run interrupted here still knows every file it owns.
 */
function replaceFiles(outDir: string, staging: string, files: readonly string[], previous: readonly string[]): void {
  mkdirSync(outDir, { recursive: true });
  const writeManifest = (listed: readonly string[]) => {
    const manifest: Manifest = { format: "scopegate-handoff-files", version: 1, files: [...new Set(listed)].sort() };
    const temporary = join(staging, HANDOFF_MANIFEST);
    writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(temporary, join(outDir, HANDOFF_MANIFEST));
  };
  writeManifest([...previous, ...files]);
  const kept = new Set(files);
  for (const file of previous.filter((f) => !kept.has(f))) {
    // Only a file is removed, and only inside real folders: what the team put in its place (a folder,
    // a link, a link to a folder above it) stays, and so does whatever such a link points at.
    if (lstatIfAny(join(outDir, file))?.isFile() !== true || !inRealFolders(outDir, file)) continue;
    rmSync(join(outDir, file));
    removeEmptyFolders(outDir, file);
  }
  for (const file of files) {
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    renameSync(join(staging, file), join(outDir, file));
  }
  writeManifest(files);
}

/** Whether every folder between `outDir` and `file` is a folder, not a link to one. */
function inRealFolders(outDir: string, file: string): boolean {
  const parts = file.split("/").slice(0, -1);
  return parts.every((_, i) => lstatIfAny(join(outDir, ...parts.slice(0, i + 1)))?.isDirectory() === true);
}

/** Removes the folders above `file` (inside `outDir`) that are now empty, deepest first. */
function removeEmptyFolders(outDir: string, file: string): void {
  const parts = file.split("/").slice(0, -1);
  for (let i = parts.length; i > 0; i--) {
    const folder = join(outDir, ...parts.slice(0, i));
    if (!existsSync(folder) || readdirSync(folder).length > 0) return;
    rmdirSync(folder);
  }
}

/** How HANDOFF.md and the matrix name the configuration a stack's model records (relative to the project). */
function sourceOf(configuration: string): string {
  return configuration === EXAMPLE_CONFIG_PATH ? "the built-in example" : configuration;
}

function writeStack(
  folder: string,
  stackDir: string,
  stackInput: ReturnType<typeof readOutput>[number],
  files: TerraformFiles,
  config: ScopegateConfig,
  source: string,
  input: HandoffInput,
): void {
  const tf = stackInput.template as SynthesizedTerraform;
  mkdirSync(folder, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  if (existsSync(join(stackDir, "assets"))) cpSync(join(stackDir, "assets"), join(folder, "assets"), { recursive: true });

  const checks = evaluateStack(stackInput);
  writeFileSync(
    join(folder, "checks.json"),
    `${JSON.stringify(
      {
        format: "scopegate-checks-result",
        version: 1,
        stack: checks.stack,
        passed: checks.findings.every((f) => f.severity === "info"),
        counts: countBySeverity(checks.findings),
        findings: checks.findings,
        suppressed: checks.suppressed,
        unusedSuppressions: checks.unusedSuppressions,
      },
      null,
      2,
    )}\n`,
  );
  const matrix = computeAccessMatrix(config, { source });
  writeFileSync(join(folder, "access-matrix.json"), `${JSON.stringify({ ...MATRIX_FORMAT, matrices: [matrix] }, null, 2)}\n`);
  // The Cedar twin beside the matrix, rendered like it from the model (whose digest and same-input
  // checks passed), never copied from the output: the hand-off carries exactly what synth writes.
  mkdirSync(join(folder, CEDAR_FOLDER));
  for (const [name, text] of cedarTwinFiles(renderCedarTwin(config))) writeFileSync(join(folder, CEDAR_FOLDER, name), text);
  writeFileSync(join(folder, "terraform.tfvars.example"), tfvarsExample(config));

  const zip = lambdaPackage(tf);
  const requiredTerraform = /required_version\s*=\s*"([^"]+)"/.exec(files["versions.tf"])?.[1] ?? "";
  writeFileSync(
    join(folder, HANDOFF_DOCUMENT),
    renderHandoffMarkdown({
      config,
      source,
      tf,
      checks,
      matrix,
      requiredTerraform,
      users: createdUsers(tf as Readonly<Record<string, unknown>>),
      origin: input.origin?.(source === "the built-in example" ? undefined : source) ?? {},
      ...(zip === undefined ? {} : { lambdaPackage: packageFacts(join(folder, zip), zip, stackDir) }),
    }),
  );
}

/** The Lambda package as written: its digest, its files read from the zip, and its bundle's record when it matches. */
function packageFacts(file: string, path: string, stackDir: string): LambdaPackageFacts {
  const content = readFileSync(file);
  const entries = zipListing(content);
  const bundle = entries.find((entry) => entry.name === "index.js");
  const record = readBundleRecordFile(join(stackDir, BUNDLE_RECORD_FILE));
  const matches = bundle !== undefined && record !== undefined && sha256(bundle.content()) === record.sha256;
  return {
    path,
    sha256: sha256(content),
    bytes: content.length,
    entries: entries.map(({ name, bytes }) => ({ name, bytes })),
    ...(matches ? { bundle: record } : {}),
  };
}

/** The bundle record a synth wrote next to `cdk.tf.json`, when there is a readable one. */
function readBundleRecordFile(file: string): BundleRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, "utf8")) as BundleRecord & { format?: unknown; version?: unknown };
    if (record.format !== BUNDLE_RECORD_FORMAT.format || record.version !== BUNDLE_RECORD_FORMAT.version) return undefined;
    const ok =
      typeof record.sha256 === "string" &&
      Array.isArray(record.projectInputs) &&
      Array.isArray(record.packages) &&
      record.packages.every((p) => typeof p?.name === "string" && typeof p?.version === "string");
    return ok ? record : undefined;
  } catch {
    return undefined;
  }
}

function sha256(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

/** The deployment package a function names by `filename`, relative to the stack folder. */
function lambdaPackage(tf: SynthesizedTerraform): string | undefined {
  const functions = stackBlocks(tf).filter((block) => block.mode === "managed" && block.type === "aws_lambda_function");
  const names = functions.map((fn) => fn.config.filename).filter((name): name is string => typeof name === "string");
  return names[0];
}

/** `terraform.tfvars.example`: every input, sensitive ones by shape only and commented out. */
export function tfvarsExample(config: ScopegateConfig): string {
  const lines = [
    "# Copy to terraform.tfvars (or pass -var / TF_VAR_*) and adjust.",
    "",
    "# AWS region of every resource in this stack.",
    `aws_region = "${config.region}"`,
    "",
    "# Sensitive: permanent initial passwords by username. A user with an e-mail address and no entry is invited by",
    "# e-mail; a user without one needs a password set by the operator (an entry here).",
    "# Prefer TF_VAR_user_passwords in the environment of the apply over a file; never commit real values.",
  ];
  // Users that exist already (attached with existing, or adopted) take no password from the stack.
  const created = config.users.filter((u) => !u.existing && !(config.adopt?.users ?? []).includes(u.username));
  if (created.length === 0) {
    lines.push("# (this stack creates no users)", "# user_passwords = {}");
  } else {
    const width = Math.max(...created.map((u) => JSON.stringify(u.username).length));
    lines.push(
      "# user_passwords = {",
      ...created.map((u) => `#   ${JSON.stringify(u.username).padEnd(width)} = "<a password meeting the pool's policy>"`),
      "# }",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Files below `dir`, relative, with `/` separators, sorted. */
export function filesBelow(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(dir, path).split(sep).join("/"));
    }
  };
  walk(dir);
  return found;
}
