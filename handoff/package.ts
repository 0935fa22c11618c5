/**
 * `npm run handoff`: after a synth, one standalone folder per stack that a platform team can own:
 * HCL with the same resource addresses as `cdk.tf.json`, the Lambda package by a relative path,
 * variables with an example, `HANDOFF.md`, and the check results and access matrix as JSON.
 *
 * Each folder is written to a temporary sibling first and renamed into place, so an error leaves
 * no half-written hand-off; a folder is replaced only when it holds a previous hand-off.
 *
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { CheckError } from "../checks/errors";
import { evaluateStack } from "../checks/evaluate";
import { countBySeverity } from "../core/severity";
import { readOutput } from "../checks/output";
import { computeAccessMatrix } from "../matrix/compute";
import { MATRIX_FORMAT } from "../matrix/files";
import type { ScopegateConfig } from "../stacks/config/model";
import { HandoffError } from "./errors";
import { SynthesizedTerraform, renderHandoffMarkdown } from "./handoff-md";
import { terraformFiles } from "./terraform-files";

/** Name of the document every hand-off folder holds; marks a folder as a hand-off. */
export const HANDOFF_DOCUMENT = "HANDOFF.md";

/** What {@link writeHandoff} reads. */
export interface HandoffInput {
  /** The synth output folder (`cdktf.out`). */
  readonly synthOut: string;
  /** How to name the synth output in messages (as the user gave it). */
  readonly synthOutLabel: string;
  /** The validated configurations, one per stack (environments included). */
  readonly configs: readonly ScopegateConfig[];
  /** Where the configuration came from, e.g. `the built-in example`. */
  readonly source: string;
  /** The folder that receives one sub-folder per stack. */
  readonly outDir: string;
}

/** What was written, per stack: its folder and its files, sorted. */
export interface HandoffResult {
  readonly stacks: readonly { readonly stack: string; readonly folder: string; readonly files: readonly string[] }[];
}

/**
 * Writes the hand-off of every stack.
 *
 * @throws HandoffError `ERR_HANDOFF_NO_OUTPUT` without a synth output, `ERR_HANDOFF_STALE` when the
 *   output and the configuration name different stacks, `ERR_HANDOFF_UNSUPPORTED` for JSON the HCL
 *   writer cannot translate, `ERR_HANDOFF_USAGE` when a target folder holds something else
 */
export function writeHandoff(input: HandoffInput): HandoffResult {
  let stacks;
  try {
    stacks = readOutput(input.synthOut, input.synthOutLabel, "--from");
  } catch (error) {
    if (!(error instanceof CheckError)) throw error;
    throw new HandoffError("ERR_HANDOFF_NO_OUTPUT", error.message);
  }
  const configured = input.configs.map((c) => c.name).sort();
  const synthesized = stacks.map((s) => s.name).sort();
  if (configured.join() !== synthesized.join()) {
    throw new HandoffError(
      "ERR_HANDOFF_STALE",
      `${input.synthOutLabel} holds the stacks ${synthesized.join(", ")} but the configuration (${input.source}) defines ${configured.join(", ")}: run "npm run synth" with the same configuration first`,
    );
  }
  const results: { stack: string; folder: string; files: string[] }[] = [];
  for (const stackInput of stacks) {
    const config = input.configs.find((c) => c.name === stackInput.name) as ScopegateConfig;
    const stackDir = join(input.synthOut, "stacks", stackInput.name);
    const target = join(input.outDir, stackInput.name);
    if (existsSync(target) && !existsSync(join(target, HANDOFF_DOCUMENT))) {
      throw new HandoffError(
        "ERR_HANDOFF_USAGE",
        `--out: ${target} exists and is not a hand-off (it has no ${HANDOFF_DOCUMENT}); pass another --out, or remove it`,
      );
    }
    mkdirSync(input.outDir, { recursive: true });
    const staging = join(input.outDir, `.${stackInput.name}.partial`);
    rmSync(staging, { recursive: true, force: true });
    try {
      writeStack(staging, stackDir, stackInput, config, input.source);
      rmSync(target, { recursive: true, force: true });
      renameSync(staging, target);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    results.push({ stack: stackInput.name, folder: target, files: filesBelow(target) });
  }
  return { stacks: results };
}

function writeStack(
  folder: string,
  stackDir: string,
  stackInput: ReturnType<typeof readOutput>[number],
  config: ScopegateConfig,
  source: string,
): void {
  const tf = stackInput.template as SynthesizedTerraform;
  const files = terraformFiles(tf, stackInput.name);
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
      ...(zip === undefined ? {} : { lambdaPackage: { path: zip, ...digest(join(folder, zip)) } }),
    }),
  );
}

/** The deployment package a function names by `filename`, relative to the stack folder. */
function lambdaPackage(tf: SynthesizedTerraform): string | undefined {
  const functions = Object.values(tf.resource?.aws_lambda_function ?? {}) as Record<string, unknown>[];
  const names = functions.map((fn) => fn.filename).filter((name): name is string => typeof name === "string");
  return names[0];
}

function digest(file: string): { sha256: string; bytes: number } {
  const content = readFileSync(file);
  return { sha256: createHash("sha256").update(content).digest("hex"), bytes: content.length };
}

/** `terraform.tfvars.example`: every input, sensitive ones by shape only and commented out. */
export function tfvarsExample(config: ScopegateConfig): string {
  const lines = [
    "# Copy to terraform.tfvars (or pass -var / TF_VAR_*) and adjust.",
    "",
    "# AWS region of every resource in this stack.",
    `aws_region = "${config.region}"`,
    "",
    "# Sensitive: permanent initial passwords by username, for users who should not be invited by e-mail.",
    "# Prefer TF_VAR_user_passwords in the environment of the apply over a file; never commit real values.",
  ];
  if (config.users.length === 0) {
    lines.push("# (this stack configures no users)", "# user_passwords = {}");
  } else {
    const width = Math.max(...config.users.map((u) => JSON.stringify(u.username).length));
    lines.push(
      "# user_passwords = {",
      ...config.users.map((u) => `#   ${JSON.stringify(u.username).padEnd(width)} = "<a password meeting the pool's policy>"`),
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
