/**
 * An offline Terraform plan of a synthesized stack: what a new stack would create, without an AWS
 * account or network. The stack folder is copied to a temporary folder; an override file there
 * makes the AWS provider skip every account lookup and points state at a fresh local file, so the
 * synthesized JSON itself stays exactly what users deploy; `terraform init`, `plan
 * -refresh=false` and `show -json` run with mock credentials.
 *
 * The provider comes from a filesystem mirror when one is found (the flag, the
 * `SCOPEGATE_TF_PLUGIN_MIRROR` variable, or Terraform's implied local mirror folders); without
 * one, `terraform init` installs it from the registry as usual (which needs network).
 *
 * @packageDocumentation
 */
import { AWS_PROVIDER } from "../core/aws-provider";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { tail } from "../core/errors";
import { ReviewError } from "./errors";
import { TerraformPlan, asPlan } from "./load";
import { isJsonObject, type JsonObject } from "../core/json";

/** Environment variable naming a filesystem mirror that holds `hashicorp/aws`. */
export const MIRROR_ENV = "SCOPEGATE_TF_PLUGIN_MIRROR";

/** The provider the review plans with. */
export const AWS_PROVIDER_SOURCE = AWS_PROVIDER.name;

/** The AWS provider version a stack requires (`terraform.required_providers.aws.version`), if pinned. */
export function requiredAwsProviderVersion(tf: JsonObject): string | undefined {
  const terraform = isJsonObject(tf.terraform) ? tf.terraform : undefined;
  const providers = terraform && isJsonObject(terraform.required_providers) ? terraform.required_providers : undefined;
  const aws = providers && isJsonObject(providers.aws) ? providers.aws : undefined;
  return aws && typeof aws.version === "string" && /^\d+\.\d+\.\d+$/.test(aws.version) ? aws.version : undefined;
}

/**
 * A filesystem mirror holding `hashicorp/aws` at `version`: `explicit` if given (it must hold
 * the provider), else `SCOPEGATE_TF_PLUGIN_MIRROR`, else Terraform's implied local mirror folders.
 *
 * @throws ReviewError `ERR_REVIEW_USAGE` when `explicit` does not hold the provider
 */
export function findProviderMirror(version: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const holds = (folder: string) => existsSync(join(folder, AWS_PROVIDER_SOURCE, version));
  if (explicit !== undefined) {
    if (!holds(explicit)) {
      throw new ReviewError(
        "ERR_REVIEW_USAGE",
        `--plugin-mirror: "${explicit}" holds no ${AWS_PROVIDER_SOURCE}/${version}; pass the folder that contains registry.terraform.io/`,
      );
    }
    return explicit;
  }
  const candidates = [
    env[MIRROR_ENV],
    join(homedir(), ".terraform.d", "plugins"),
    join(homedir(), ".local", "share", "terraform", "plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ];
  return candidates.find((candidate): candidate is string => candidate !== undefined && candidate !== "" && holds(candidate));
}

/**
 * The environment of an offline Terraform run: mock credentials, no prompts or version checks,
 * and (with a mirror) a CLI configuration written into `workDir` that installs the AWS provider
 * from the mirror only.
 */
export function offlineEnvironment(workDir: string, mirror: string | undefined, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    // Mock credentials: the override skips every AWS call that plan would otherwise make.
    AWS_ACCESS_KEY_ID: "mock-access-key",
    AWS_SECRET_ACCESS_KEY: "mock-secret-key",
    AWS_EC2_METADATA_DISABLED: "true",
  };
  for (const name of ["AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "TF_WORKSPACE"])
    delete env[name];
  if (mirror !== undefined) {
    const cliConfig = join(workDir, "terraform.rc");
    writeFileSync(
      cliConfig,
      [
        "provider_installation {",
        "  filesystem_mirror {",
        `    path    = ${JSON.stringify(mirror)}`,
        `    include = [${JSON.stringify(AWS_PROVIDER_SOURCE)}]`,
        "  }",
        "  direct {",
        `    exclude = [${JSON.stringify(AWS_PROVIDER_SOURCE)}]`,
        "  }",
        "}",
        "",
      ].join("\n"),
    );
    env.TF_CLI_CONFIG_FILE = cliConfig;
  } else if (env.TF_CLI_CONFIG_FILE !== undefined && !existsSync(env.TF_CLI_CONFIG_FILE)) {
    // A configuration file that does not exist only produces a warning on every command.
    delete env.TF_CLI_CONFIG_FILE;
  }
  return env;
}

/**
 * Writes `offline_override.tf.json` into a stack folder: the provider skips credential, account
 * and region checks, and state is a fresh local file (whatever backend the stack configures), so
 * the plan shows what a new stack would create.
 */
export function writeOfflineOverride(stackDir: string, providerSettings: Record<string, unknown> = {}): void {
  writeFileSync(
    join(stackDir, "offline_override.tf.json"),
    JSON.stringify({
      terraform: { backend: { local: { path: "offline-review.tfstate" } } },
      provider: {
        aws: {
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: "true",
          skip_region_validation: true,
          ...providerSettings,
        },
      },
    }),
  );
}

/**
 * Runs `terraform <args>` and returns its standard output.
 *
 * @throws ReviewError `ERR_REVIEW_TERRAFORM` when Terraform is missing or fails
 */
export function runTerraform(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync("terraform", args, {
    cwd,
    env,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.error !== undefined) {
    throw new ReviewError(
      "ERR_REVIEW_TERRAFORM",
      `--offline-plan needs the terraform CLI on PATH (${result.error.message}); install Terraform, or review without a plan (--base or --base-out/--head-out)`,
    );
  }
  if (result.status !== 0) {
    const hint =
      args[0] === "init"
        ? `; offline, point ${MIRROR_ENV} (or --plugin-mirror) at a filesystem mirror that holds ${AWS_PROVIDER_SOURCE}`
        : "";
    throw new ReviewError(
      "ERR_REVIEW_TERRAFORM",
      `terraform ${args[0]} failed (exit ${result.status})${hint}:\n${tail(result.stderr || result.stdout)}`,
    );
  }
  return result.stdout;
}

/** Options of {@link planStackOffline}. */
export interface OfflinePlanOptions {
  /** Filesystem mirror of the AWS provider. @default found by {@link findProviderMirror} */
  readonly mirror?: string;
  /** Values of the stack's Terraform variables (written to an `.auto.tfvars.json` file). */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** Base environment. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** An offline plan, and how many `import` blocks it left out. */
export interface OfflinePlan {
  readonly plan: TerraformPlan;
  /**
   * The stack's `import` blocks (adopt), left out of the copy that is planned: importing reads the
   * existing resource from the account, which an offline plan has not got, so the resources they
   * adopt are planned as additions.
   */
  readonly importsLeftOut: number;
}

/**
 * Plans one synthesized stack offline and returns the plan's JSON. Works on a temporary copy of
 * the stack folder, removed afterwards; the copy has no `import` blocks (see {@link OfflinePlan}).
 *
 * @param stackDir the stack's folder in a synth output (`cdktf.out/stacks/<name>`)
 * @throws ReviewError `ERR_REVIEW_TERRAFORM` when init, plan or show fails
 */
export function planStackOffline(stackDir: string, options: OfflinePlanOptions = {}): OfflinePlan {
  const workDir = mkdtempSync(join(tmpdir(), "scopegate-review-plan-"));
  try {
    const copy = join(workDir, "stack");
    cpSync(stackDir, copy, { recursive: true, filter: (source) => !/[\\/](\.terraform|[^\\/]*\.tfstate[^\\/]*|plan\.bin)$/.test(source) });
    const importsLeftOut = leaveOutImports(join(copy, "cdk.tf.json"));
    writeOfflineOverride(copy);
    if (options.variables !== undefined) writeFileSync(join(copy, "offline-review.auto.tfvars.json"), JSON.stringify(options.variables));
    const env = offlineEnvironment(workDir, options.mirror, options.env);
    runTerraform(copy, ["init", "-input=false", "-no-color"], env);
    runTerraform(copy, ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=plan.bin"], env);
    const shown = runTerraform(copy, ["show", "-json", "plan.bin"], env);
    let document: unknown;
    try {
      document = JSON.parse(shown);
    } catch (error) {
      throw new ReviewError("ERR_REVIEW_TERRAFORM", `terraform show -json printed no JSON (${(error as Error).message})`);
    }
    return { plan: asPlan(document, "the output of terraform show -json"), importsLeftOut };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Removes the top-level `import` blocks of a copied `cdk.tf.json`; returns how many there were. */
function leaveOutImports(file: string): number {
  if (!existsSync(file)) return 0;
  const tf: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!isJsonObject(tf) || tf.import === undefined) return 0;
  const count = Array.isArray(tf.import) ? tf.import.length : 1;
  delete tf.import;
  writeFileSync(file, JSON.stringify(tf, null, 2));
  return count;
}
