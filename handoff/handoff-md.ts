/**
 * `HANDOFF.md`: what a platform team needs to own one stack, generated from its configuration,
 * its synthesized Terraform and its check results. Deterministic: no dates, no machine paths.
 *
 * @packageDocumentation
 */
import { markdownCode, markdownRow, markdownText } from "../core/markdown";
import { FAILING_SEVERITIES, SEVERITIES, countBySeverity } from "../core/severity";
import type { StackResult } from "../checks/evaluate";
import type { ScopegateConfig } from "../stacks/config/model";
import type { AccessMatrix } from "../matrix/model";
import { expandProfileCell } from "../matrix/cells";
import { countCells, summarizeProfile } from "../matrix/describe";
import { scopeIdentifier } from "../core/scopes";
import { stackBlocks } from "../core/terraform-json/document";

/** Above this many cells (callers × routes) the matrix is shown in its compact form. */
export const FULL_MATRIX_MAX_CELLS = 60;

/** The platforms `terraform providers lock` records checksums for in the commands shown. */
export const LOCK_PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64"] as const;

/** The parts of a parsed `cdk.tf.json` the document reads. */
export interface SynthesizedTerraform {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly variable?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly output?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Import blocks (`adopt`): `to` is the address of a resource that exists already. */
  readonly import?: readonly { readonly to?: unknown; readonly id?: unknown }[];
}

/** What {@link renderHandoffMarkdown} reads. */
export interface HandoffFacts {
  readonly config: ScopegateConfig;
  /** Where the configuration came from, e.g. `the built-in example` or the file as named. */
  readonly source: string;
  /** The parsed `cdk.tf.json`. */
  readonly tf: SynthesizedTerraform;
  readonly checks: StackResult;
  readonly matrix: AccessMatrix;
  /** The Lambda package as written, when the stack has one. */
  readonly lambdaPackage?: LambdaPackageFacts;
  /** `required_version` written to `versions.tf`. */
  readonly requiredTerraform: string;
  /** The users `main.tf` creates (its `aws_cognito_user` resources that no `import` block imports), by username, with their e-mail address. */
  readonly users: readonly { readonly username: string; readonly email?: string }[];
  /** Where the hand-off was made. */
  readonly origin: HandoffOrigin;
}

/** The Lambda package, read from the file the hand-off wrote. */
export interface LambdaPackageFacts {
  /** Path relative to the stack folder. */
  readonly path: string;
  /** SHA-256 (hex) of the zip. */
  readonly sha256: string;
  /** Size of the zip. */
  readonly bytes: number;
  /** The zip's files, read from its central directory, with their uncompressed sizes. */
  readonly entries: readonly { readonly name: string; readonly bytes: number }[];
  /** What its `index.js` was bundled from, when the synth recorded it and the zip holds that very bundle. */
  readonly bundle?: {
    readonly esbuild: string;
    readonly entryPoint: string;
    readonly projectInputs: readonly string[];
    readonly packages: readonly { readonly name: string; readonly version: string }[];
  };
}

/** Where the hand-off was made, for the way to make it again. */
export interface HandoffOrigin {
  /** The git commit checked out where it ran, when that is a git checkout with a commit. */
  readonly commit?: string;
  /** Whether tracked files differed from that commit. */
  readonly uncommittedChanges?: boolean;
  /** The value of `SCOPEGATE_CONFIG` that names the configuration file (project-relative), when a file was named. */
  readonly configEnv?: string;
}

/** What each resource type is, in the service's terms (a test holds it to every type the stacks emit). */
export const RESOURCE_KINDS: Readonly<Record<string, string>> = {
  aws_api_gateway_account: "API Gateway account setting (CloudWatch role, one per account and region)",
  aws_api_gateway_authorizer: "API Gateway authorizer",
  aws_api_gateway_deployment: "API Gateway deployment",
  aws_api_gateway_gateway_response: "API Gateway gateway response (401/403 body)",
  aws_api_gateway_integration: "API Gateway integration",
  aws_api_gateway_integration_response: "API Gateway integration response",
  aws_api_gateway_method: "API Gateway method (a route and its guard)",
  aws_api_gateway_method_response: "API Gateway method response",
  aws_api_gateway_method_settings: "API Gateway stage method settings (logging, metrics)",
  aws_api_gateway_resource: "API Gateway resource (path segment)",
  aws_api_gateway_rest_api: "API Gateway REST API",
  aws_api_gateway_stage: "API Gateway stage",
  aws_cloudwatch_log_group: "CloudWatch Logs log group",
  aws_cognito_resource_server: "Cognito resource server (custom scopes)",
  aws_cognito_user: "Cognito user",
  aws_cognito_user_group: "Cognito group",
  aws_cognito_user_in_group: "Cognito group membership",
  aws_cognito_user_pool: "Cognito user pool",
  aws_cognito_user_pool_client: "Cognito app client",
  aws_cognito_user_pool_domain: "Cognito hosted-UI domain",
  aws_dynamodb_table: "DynamoDB table (grants)",
  aws_dynamodb_table_item: "DynamoDB item (one principal's grants)",
  aws_iam_role: "IAM role",
  aws_iam_role_policy: "IAM inline role policy",
  aws_iam_role_policy_attachment: "IAM managed policy attachment",
  aws_kms_alias: "KMS key alias",
  aws_kms_key: "KMS customer managed key",
  aws_kms_key_policy: "KMS key policy",
  aws_lambda_function: "Lambda function (the authorizer)",
  aws_lambda_permission: "Lambda invoke permission",
  aws_verifiedpermissions_identity_source: "Verified Permissions identity source (the user pool's tokens)",
  aws_verifiedpermissions_policy: "Verified Permissions policy (one of the Cedar twin's, cedar/policies.cedar)",
  aws_verifiedpermissions_policy_store: "Verified Permissions policy store (the Cedar twin, validation STRICT)",
  aws_verifiedpermissions_schema: "Verified Permissions schema (cedar/schema.cedarschema.json)",
  aws_wafv2_web_acl: "WAF web ACL (rate limit on Basic sign-in)",
  aws_wafv2_web_acl_association: "WAF web ACL association (with the API stage)",
  terraform_data: "Terraform data (the authorizer package's settings, shown in a plan)",
};

/**
 * Renders `HANDOFF.md` for one stack.
 *
 * @returns the document, ending with a newline
 */
export function renderHandoffMarkdown(facts: HandoffFacts): string {
  const { config } = facts;
  const out: string[] = [
    `# Hand-off: ${markdownCode(config.name)}`,
    "",
    `Generated by \`npm run handoff\` from ${markdownText(facts.source)}. This folder stands alone: copy it anywhere, and Terraform ` +
      `(${facts.requiredTerraform}) with the \`hashicorp/aws\` provider plans it. The HCL is equivalent to the stack's synthesized ` +
      "`cdk.tf.json` with the same resource addresses, so a state written by `cdktf deploy` plans with no changes.",
    "",
    "| File | What it is |",
    "|---|---|",
    "| `versions.tf` | Required Terraform and provider versions, and the state backend. |",
    "| `main.tf` | The provider and every resource, each under a comment naming its construct path. |",
    "| `variables.tf`, `terraform.tfvars.example` | Inputs, with descriptions; the example shows sensitive values by shape only. |",
    "| `outputs.tf` | What the stack hands back (ids, endpoints, client secrets as sensitive outputs). |",
    ...((facts.tf.import ?? []).length > 0
      ? [
          "| `imports.tf` | Import blocks (Terraform 1.5 or later): the existing resources the first plan imports instead of creating. Once applied they change nothing; delete the file then if you like. |",
        ]
      : []),
    ...(facts.lambdaPackage
      ? [markdownRow([markdownCode(facts.lambdaPackage.path), "The Lambda authorizer's deployment package (see below)."])]
      : []),
    "| `checks.json` | The security-check results, for machines. |",
    "| `access-matrix.json` | Who can call what, for machines (the format of `npm run matrix`). |",
    "| `cedar/` | The same access as Cedar policies, with their schema and entities (see scopegate's docs/cedar.md). |",
    "",
  ];
  out.push(...creates(facts), ...inputs(facts), ...outputs(facts), ...scopesAndClients(facts), ...access(facts.matrix));
  out.push(...checks(facts.checks), ...lambda(facts), ...state(facts), ...commands(facts));
  return `${out.join("\n").trimEnd()}\n`;
}

function creates(facts: HandoffFacts): string[] {
  const counts = new Map<string, number>();
  for (const block of stackBlocks(facts.tf)) if (block.mode === "managed") counts.set(block.type, (counts.get(block.type) ?? 0) + 1);
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  return [
    "## What the stack creates",
    "",
    `${total} resources in region \`var.aws_region\` (default ${markdownCode(facts.config.region)}), every one tagged \`managed-by = scopegate\` and ${markdownCode(`scopegate-stack = ${facts.config.name}`)}.`,
    ...imported(facts),
    "",
    "| Kind | Terraform type | Count |",
    "|---|---|---:|",
    ...[...counts.entries()].map(([type, count]) =>
      markdownRow([RESOURCE_KINDS[type] ?? "(not described)", markdownCode(type), String(count)]),
    ),
    "",
  ];
}

/** The sentence on import blocks, counted from them: how many resources exist already, and where. */
function imported(facts: HandoffFacts): string[] {
  const count = (facts.tf.import ?? []).length;
  if (count === 0) return [];
  return [
    "",
    `${count} of them exist already and are imported (\`imports.tf\`): the first plan shows them as imports, not as creations, ` +
      "and a change it plans for one applies to the existing resource.",
  ];
}

function inputs(facts: HandoffFacts): string[] {
  const variables = Object.entries(facts.tf.variable ?? {}) as [string, Record<string, unknown>][];
  return [
    "## Inputs",
    "",
    "| Variable | Type | Default | Sensitive | Description |",
    "|---|---|---|---|---|",
    ...variables.map(([name, v]) =>
      markdownRow([
        markdownCode(name),
        markdownCode(String(v.type)),
        v.default === undefined ? "required" : markdownCode(JSON.stringify(v.default)),
        v.sensitive === true ? "yes" : "no",
        cell(String(v.description ?? "")),
      ]),
    ),
    "",
  ];
}

function outputs(facts: HandoffFacts): string[] {
  const entries = Object.entries(facts.tf.output ?? {}) as [string, Record<string, unknown>][];
  return [
    "## Outputs",
    "",
    "| Output | Sensitive | Description |",
    "|---|---|---|",
    ...entries.map(([name, o]) =>
      markdownRow([markdownCode(name), o.sensitive === true ? "yes" : "no", cell(String(o.description ?? ""))]),
    ),
    "",
  ];
}

function scopesAndClients(facts: HandoffFacts): string[] {
  const { config } = facts;
  const out = ["## Scopes and clients", "", "| Resource server | Scope | Description |", "|---|---|---|"];
  for (const server of config.resourceServers) {
    for (const scope of server.scopes)
      out.push(
        markdownRow([
          markdownCode(server.identifier),
          markdownCode(scopeIdentifier(server.identifier, scope.name)),
          cell(scope.description),
        ]),
      );
  }
  const flows = {
    browser: "authorization code + PKCE, no secret",
    machine: "client_credentials, with a secret",
    legacy: "none: Basic sign-in by the authorizer",
  };
  out.push("", "| App client | Kind | OAuth flow | Scopes | Access / ID token, refresh token |", "|---|---|---|---|---|");
  for (const client of config.appClients) {
    out.push(
      markdownRow([
        markdownCode(client.name),
        client.kind,
        flows[client.kind],
        client.scopes.length === 0 ? "—" : client.scopes.map(markdownCode).join(", "),
        `${client.accessTokenValidityMinutes} min / ${client.idTokenValidityMinutes} min, ${client.refreshTokenValidityDays} days`,
      ]),
    );
  }
  out.push(
    "",
    `Users: ${facts.users.length === 0 ? "none" : facts.users.map((u) => markdownCode(u.username)).join(", ")}` +
      ((config.adopt?.users ?? []).length === 0 ? ". " : `; existing, imported: ${config.adopt!.users.map(markdownCode).join(", ")}. `) +
      `Groups: ${config.groups.length === 0 ? "none" : config.groups.map((g) => markdownCode(g.name)).join(", ")}.`,
    "",
  );
  return out;
}

function access(matrix: AccessMatrix): string[] {
  const counts = countCells(matrix);
  const out = [
    "## Who can call what",
    "",
    `${matrix.routes.length} routes, ${matrix.callers.length} callers in ${matrix.profiles.length} access profiles (callers that answer ` +
      `alike), ${counts.allowed} of ${counts.total} calls allowed, computed from the configuration (\`access-matrix.json\` holds ` +
      "every credential and every grant set on every route, whose join is every cell with its reason, and every profile's callers).",
    "",
  ];
  if (counts.total <= FULL_MATRIX_MAX_CELLS) {
    out.push(
      markdownRow(["Profile", ...matrix.routes.map((r) => `${markdownCode(r.key)} (${markdownText(r.guard)})`)]),
      `|---|${matrix.routes.map(() => "---").join("|")}|`,
    );
    for (const profile of matrix.profiles) {
      const cells = matrix.routes.map((route) => {
        const found = expandProfileCell(matrix, profile.id, route.key);
        return found === undefined ? "" : found.allowed ? "✅" : `⛔ ${found.httpStatus} ${markdownCode(found.reason)}`;
      });
      out.push(markdownRow([cell(profile.label), ...cells]));
    }
  } else {
    out.push("Compact form (the full grid is in `access-matrix.json`): each profile and the routes it may call.", "");
    out.push("| Profile | Callers | Allowed routes | Refused |", "|---|---:|---|---:|");
    for (const profile of matrix.profiles) {
      const summary = summarizeProfile(matrix, profile);
      const allowed = summary.allowed.map((c) => markdownCode(c.route));
      const refused = summary.refused.reduce((total, { count }) => total + count, 0);
      out.push(
        markdownRow([
          cell(profile.label),
          String(profile.callers.length),
          allowed.length === 0 ? "none" : allowed.join(", "),
          String(refused),
        ]),
      );
    }
  }
  out.push("");
  return out;
}

function checks(result: StackResult): string[] {
  const counts = countBySeverity(result.findings);
  const failing = result.findings.filter((f) => f.severity !== "info");
  const out = [
    "## Security checks",
    "",
    `\`npm run check\` on the synth output this folder was made from: ${failing.length === 0 ? "**passed**" : "**failed**"} ` +
      `(${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(", ")}; ${result.suppressed.length} suppressed). ` +
      `Findings at ${FAILING_SEVERITIES.join(", ")} fail; \`info\` marks a decision that belongs to your organisation, with what to set if it requires it.`,
    "",
  ];
  if (result.findings.length > 0) {
    out.push("| Severity | Rule | Resource | Finding | Fix, or what to set if required |", "|---|---|---|---|---|");
    for (const f of result.findings)
      out.push(markdownRow([f.severity, markdownCode(f.rule), markdownCode(f.path), cell(f.detail), cell(f.fix)]));
    out.push("");
  }
  if (result.suppressed.length > 0) {
    out.push(
      "Suppressed on purpose in the configuration, each with its reason:",
      "",
      "| Rule | Severity | Resource | Reason |",
      "|---|---|---|---|",
    );
    for (const f of result.suppressed)
      out.push(markdownRow([markdownCode(f.rule), f.severity, markdownCode(f.path), cell(f.suppression.reason)]));
    out.push("");
  }
  if (result.unusedSuppressions.length > 0) {
    out.push(
      `Suppressions that match no finding: ${result.unusedSuppressions.map((s) => `${markdownCode(s.rule)} on ${markdownCode(s.resource)}`).join(", ")}.`,
      "",
    );
  }
  return out;
}

function lambda(facts: HandoffFacts): string[] {
  if (facts.lambdaPackage === undefined) return [];
  const p = facts.lambdaPackage;
  const out = [
    "## The Lambda package",
    "",
    `${markdownCode(p.path)} (${p.bytes} bytes, SHA-256 ${markdownCode(p.sha256)}) holds ${p.entries.length} ${p.entries.length === 1 ? "file" : "files"}:`,
    "",
    "| File | Bytes |",
    "|---|---:|",
    ...p.entries.map((entry) => markdownRow([code(entry.name), String(entry.bytes)])),
    "",
  ];
  const names = new Set(p.entries.map((entry) => entry.name));
  if (names.has("index.js")) out.push(bundleSentence(p));
  if (names.has("authorizer-settings.json")) {
    out.push(
      "`authorizer-settings.json` holds the authorizer's settings that are too large for the function's environment (its routes, " +
        "a JWKS snapshot when configured); the `terraform_data` resource repeats them, so a plan shows their changes.",
    );
  }
  out.push(
    "",
    "The zip has fixed timestamps. `main.tf` names it by this relative path and sets `source_code_hash = filebase64sha256(...)`, " +
      "so a changed package updates the function and an unchanged one plans no change.",
    "",
    rebuildSentence(facts.origin),
    "",
  );
  return out;
}

/** What `index.js` was bundled from, from the synth's record of esbuild's metafile. */
function bundleSentence(p: LambdaPackageFacts): string {
  if (p.bundle === undefined) {
    return "What `index.js` was bundled from is not recorded with the synth output it came from (or the record is of another bundle).";
  }
  const { bundle } = p;
  const folders = [
    ...new Set(
      bundle.projectInputs.map((input) =>
        input.startsWith("functions/authorizer/") ? "functions/authorizer/" : `${input.split("/")[0]}/`,
      ),
    ),
  ]
    .sort()
    .map(code);
  const packages = bundle.packages.map((pkg) => `${code(pkg.name)} ${pkg.version}`);
  const sdk = bundle.packages.filter((pkg) => pkg.name.startsWith("@aws-sdk/")).map((pkg) => code(pkg.name));
  return (
    `\`index.js\` is the scopegate authorizer (${code(bundle.entryPoint)}) bundled by esbuild from ${bundle.projectInputs.length} project modules ` +
    `(under ${folders.join(", ")})${packages.length === 0 ? " and no package" : ` and the packages ${packages.join(", ")}`}; ` +
    `${sdk.length === 0 ? "no AWS SDK client (`@aws-sdk/*`) is in it" : `AWS SDK packages in it: ${sdk.join(", ")}`} (esbuild ${bundle.esbuild}).`
  );
}

/** How to make the package again: the exact command, and the commit only when there was one. */
function rebuildSentence(origin: HandoffOrigin): string {
  const value = origin.configEnv;
  // A path with characters the shell would split or expand is quoted; the placeholder for a file outside the project is not.
  const word =
    value === undefined || /^[\w./-]+$/.test(value) || value.startsWith("<path to ") ? value : `'${value.replace(/'/g, "'\\''")}'`;
  const env = word === undefined ? "" : `SCOPEGATE_CONFIG=${word} `;
  const command = `\`npm ci && ${env}npm run synth && ${env}npm run handoff\``;
  const change = "To change the authorizer, change its source there and hand off again; do not edit the zip.";
  if (origin.commit === undefined) {
    return (
      `To rebuild it, run ${command} in the scopegate sources it was made from: the package is byte-identical (same SHA-256) ` +
      `when those sources, \`package-lock.json\` and the configuration are the same. ${change}`
    );
  }
  return (
    `This hand-off was made in a scopegate checkout at commit \`${origin.commit}\`${origin.uncommittedChanges ? ", with changes to tracked files that were not committed" : ""}. ` +
    `To rebuild the package, check out that commit${origin.uncommittedChanges ? ", apply the same changes," : ""} and run ${command} with the same configuration: ` +
    `the package is byte-identical (same SHA-256). ${change}`
  );
}

function state(facts: HandoffFacts): string[] {
  const invited = facts.users.filter((u) => u.email !== undefined).map((u) => markdownCode(u.username));
  const noEmail = facts.users.filter((u) => u.email === undefined).map((u) => markdownCode(u.username));
  const secrets = facts.config.appClients.filter((c) => c.kind === "machine").map((c) => markdownCode(c.name));
  return [
    "## What the state holds",
    "",
    "The state holds every attribute of every resource in clear. Keep it in an encrypted backend that only the team " +
      "that applies may read (S3 with `encrypt = true`, a bucket policy limited to that role, versioning on). Sensitive values in it:",
    "",
    ...(facts.users.length === 0
      ? []
      : [
          `- Initial user passwords: the \`user_passwords\` variable (sensitive) sets \`password\` on each of the ${facts.users.length} ` +
            "`aws_cognito_user` resources that has an entry; Terraform stores them in the state." +
            (invited.length === 0
              ? ""
              : ` A user with an e-mail address and no entry is invited by e-mail (${invited.join(", ")}) with a temporary password, and no password is stored.`) +
            (noEmail.length === 0
              ? ""
              : ` ${noEmail.join(", ")} ${noEmail.length === 1 ? "has no e-mail address: it needs" : "have no e-mail address: each needs"} a password set by the operator (\`var.user_passwords\`).`),
        ]),
    ...(secrets.length > 0
      ? [
          `- App client secrets of ${secrets.join(", ")} (\`client_secret\` of \`aws_cognito_user_pool_client\`), also exposed as sensitive outputs.`,
        ]
      : []),
    "- Sensitive outputs are hidden in `terraform output` but stored in clear in the state.",
    "",
  ];
}

function commands(facts: HandoffFacts): string[] {
  const backend = facts.config.backend;
  const passwords = facts.users.length > 0;
  const noEmail = facts.users.filter((u) => u.email === undefined).map((u) => u.username);
  const out = [
    "## Commands",
    "",
    "Record provider checksums for every platform your team and CI run on, and commit `.terraform.lock.hcl`:",
    "",
    "```sh",
    `terraform providers lock ${LOCK_PLATFORMS.map((p) => `-platform=${p}`).join(" ")}`,
    "# without access to the registry, from a filesystem mirror: add -fs-mirror=<mirror folder>",
    "```",
    "",
  ];
  if (backend.type === "local") {
    out.push(
      'State is a local file (`terraform.tfstate` in this folder) as configured. For a team, replace the `backend "local"` block in `versions.tf` with a remote backend, for example:',
      "",
      "```hcl",
      'backend "s3" {',
      '  bucket       = "<state bucket>"',
      `  key          = "${facts.config.name}/terraform.tfstate"`,
      `  region       = "${facts.config.region}"`,
      "  encrypt      = true",
      "  use_lockfile = true",
      "}",
      "```",
      "",
      "(`use_lockfile` needs Terraform 1.10 or later.) A state that `cdktf deploy` wrote is " +
        markdownCode(`cdktf.out/stacks/${facts.config.name}/${backend.path}`) +
        ": move it into the new backend with `terraform init -migrate-state`.",
      "",
    );
  } else {
    out.push(
      `State is in S3: bucket ${markdownCode(backend.bucket)}, key ${markdownCode(backend.key)}, region ${markdownCode(backend.region)}, encrypted, ` +
        `${backend.useLockfile ? "locked with S3's lock file" : ""}${backend.useLockfile && backend.dynamodbTable ? " and " : ""}${backend.dynamodbTable ? `locked with the DynamoDB table ${markdownCode(backend.dynamodbTable)}` : ""}. ` +
        "It is the state `cdktf deploy` uses: the same resource addresses mean the plan below shows no changes for what is deployed.",
      "",
    );
  }
  out.push(
    "Plan and apply (credentials for the target account in the environment):",
    "",
    "```sh",
    "terraform init",
    "terraform validate",
    ...(passwords
      ? [
          noEmail.length === 0
            ? "# initial passwords only for users who should not be invited by e-mail; never in a file under version control"
            : `# initial passwords: needed by ${noEmail.join(", ")} (no e-mail address), optional for the others; never in a file under version control`,
          `export TF_VAR_user_passwords='{${facts.users.map((u) => `"${u.username}":"…"`).join(",")}}'`,
        ]
      : []),
    "terraform plan -out=tfplan",
    "terraform apply tfplan",
    "```",
    "",
  );
  return out;
}

/** Text as inline code, inert whatever it holds: see core/markdown.ts. */
function code(text: string): string {
  return markdownCode(text);
}

/** Prose from the configuration or the synth output (descriptions, reasons, labels), inert: see core/markdown.ts. */
function cell(text: string): string {
  return markdownText(text);
}
