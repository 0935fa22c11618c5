/**
 * Rules about Terraform itself rather than one AWS service: what a stack makes Terraform do on the
 * machine that plans or applies it.
 *
 * @packageDocumentation
 */
import { isJsonObject, type JsonObject } from "../../core/json";
import { Rule, Violation, violation } from "../rule";
import { StackTemplate, TfResource } from "../../core/terraform-json/document";
import { scanTemplate } from "../../core/terraform-json/template";

/** Functions that read the files of the machine that runs Terraform. */
const FILE_FUNCTIONS = [
  "file",
  "filebase64",
  "fileexists",
  "fileset",
  "filemd5",
  "filesha1",
  "filesha256",
  "filesha512",
  "filebase64sha256",
  "filebase64sha512",
  "templatefile",
];

/** Why each flagged function matters, by its name without a namespace. */
const FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ...FILE_FUNCTIONS.map((name): [string, string] => [name, "reads a file of the machine that runs Terraform, and a plan can print it"]),
  ["nonsensitive", "unmasks a sensitive value (such as the users' passwords), so a plan prints it"],
  ["templatestring", "evaluates a string as a template, so text that looks literal can call any of these functions"],
  ["abspath", "reveals the paths of the machine that runs Terraform"],
  ["pathexpand", "reveals the home folder of the account that runs Terraform"],
]);

/** `path.*` references: the folders of the machine that runs Terraform. */
const PATH_REFERENCES = new Set(["path.cwd", "path.root", "path.module", "path[…]"]);

/** Data sources that run a program, read local files, fetch a URL or read another state at plan time. */
const DATA_SOURCES: ReadonlyMap<string, string> = new Map([
  ["external", "runs a program on the machine that runs Terraform, at plan"],
  ["local_file", "reads a file of the machine that runs Terraform, at plan"],
  ["local_sensitive_file", "reads a file of the machine that runs Terraform, at plan"],
  ["http", "fetches a URL at plan: anything in it leaves the machine"],
  ["terraform_remote_state", "reads another Terraform state (its outputs, or a local file), at plan"],
]);

/**
 * The one `filebase64sha256` a stack writes itself: the authorizer function's package hash,
 * `source_code_hash = "${filebase64sha256("<asset path>")}"` next to `filename = "<asset path>"`
 * (`stacks/constructs/authorizer-function.ts`), where the asset path is cdktf's
 * `assets/<logical id>/<32 hex digit hash>/authorizer.zip`, relative to the stack's folder.
 */
const PACKAGE_PATH = /^assets\/[A-Za-z0-9_-]+\/[0-9A-F]{32}\/authorizer\.zip$/;

/** Whether `text` at `segments` of `resource` is exactly the package hash the stack writes for its own asset. */
function isOwnPackageHash(resource: TfResource, segments: readonly string[], text: string): boolean {
  if (resource.mode !== "managed" || resource.type !== "aws_lambda_function") return false;
  if (segments.length !== 1 || segments[0] !== "source_code_hash") return false;
  const filename = resource.body.filename;
  return typeof filename === "string" && PACKAGE_PATH.test(filename) && text === `\${filebase64sha256("${filename}")}`;
}

/**
 * What a finding's text names: the function (with its namespace as written) or reference, and
 * why it matters; `undefined` for anything else.
 */
function hazardOf(call: string): string | undefined {
  const parts = call.split("::");
  if (parts[0] === "provider") return "calls a provider-defined function: a provider's code runs at plan, with what the stack passes it";
  if (parts.length > 1 && parts[0] !== "core") return "calls a function of an unknown namespace";
  return FUNCTIONS.get(parts[parts.length - 1]);
}

/** Every top-level block of the document with the address a finding names it by. */
function blocksOf(stack: StackTemplate): { block: TfResource; literal: ReadonlySet<string> }[] {
  const document = stack.document;
  const byAddress = new Map(stack.all.map((resource) => [resource.address, resource]));
  const result: { block: TfResource; literal: ReadonlySet<string> }[] = [];
  const none = new Set<string>();
  const pseudo = (address: string, body: JsonObject): TfResource => ({
    mode: "block",
    type: address.split(".")[0],
    name: address.slice(address.indexOf(".") + 1),
    address,
    path: address,
    body,
  });
  const asObject = (value: unknown): JsonObject => (isJsonObject(value) ? value : { value });
  for (const [section, content] of Object.entries(document)) {
    if ((section === "resource" || section === "data" || section === "ephemeral") && isJsonObject(content)) {
      const prefix = section === "resource" ? "" : `${section}.`;
      for (const [type, byName] of Object.entries(content)) {
        if (!isJsonObject(byName)) {
          result.push({ block: pseudo(`${prefix}${type}`, asObject(byName)), literal: none });
          continue;
        }
        for (const [name, body] of Object.entries(byName)) {
          const address = `${prefix}${type}.${name}`;
          result.push({ block: byAddress.get(address) ?? pseudo(address, asObject(body)), literal: none });
        }
      }
    } else if (section === "locals") {
      for (const [index, locals] of (Array.isArray(content) ? content : [content]).entries()) {
        if (!isJsonObject(locals)) result.push({ block: pseudo(`locals[${index}]`, asObject(locals)), literal: none });
        else for (const [name, value] of Object.entries(locals)) result.push({ block: pseudo(`local.${name}`, { value }), literal: none });
      }
    } else if (section === "terraform") {
      // Backend settings are read literally: Terraform evaluates nothing in them.
      result.push({ block: pseudo("terraform", asObject(content)), literal: new Set(["backend"]) });
    } else if (isJsonObject(content) && ["output", "variable", "provider", "module"].includes(section)) {
      const root = section === "variable" ? "var" : section;
      // A variable's default is read literally (a template there stays text).
      const literal = section === "variable" ? new Set(["default"]) : none;
      for (const [name, body] of Object.entries(content)) {
        if (!Array.isArray(body)) result.push({ block: pseudo(`${root}.${name}`, asObject(body)), literal });
        else body.forEach((item, index) => result.push({ block: pseudo(`${root}.${name}[${index}]`, asObject(item)), literal }));
      }
    } else {
      result.push({ block: pseudo(section, asObject(content)), literal: none });
    }
  }
  return result;
}

/** Calls `visit` for every key and string below `value`, with the path of keys to it. */
function forEachText(value: unknown, segments: readonly string[], visit: (text: string, segments: readonly string[]) => void): void {
  if (typeof value === "string") {
    visit(value, segments);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => forEachText(item, [...segments, `[${index}]`], visit));
  } else if (isJsonObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      visit(key, [...segments, key]);
      forEachText(item, [...segments, key], visit);
    }
  }
}

function attributePath(segments: readonly string[]): string {
  return segments.map((segment, index) => (segment.startsWith("[") || index === 0 ? segment : `.${segment}`)).join("");
}

/** The variables a stack declares `sensitive`, as references: `var.user_passwords`. */
function sensitiveVariables(stack: StackTemplate): ReadonlySet<string> {
  const variables = stack.document.variable;
  if (!isJsonObject(variables)) return new Set();
  return new Set(
    Object.entries(variables)
      .filter(([, body]) => isJsonObject(body) && (body.sensitive === true || body.sensitive === "true"))
      .map(([name]) => `var.${name}`),
  );
}

/** The one place the stack passes a sensitive variable: a user's `password` (`stacks/constructs/user-accounts.ts`). */
function takesSensitiveVariable(block: TfResource, segments: readonly string[]): boolean {
  return block.mode === "managed" && block.type === "aws_cognito_user" && segments.length === 1 && segments[0] === "password";
}

/** The violations of one top-level block. */
function blockViolations(
  { block, literal }: { block: TfResource; literal: ReadonlySet<string> },
  sensitive: ReadonlySet<string>,
): Violation[] {
  const found: Violation[] = [];
  if (block.mode === "data" && DATA_SOURCES.has(block.type)) {
    found.push(violation(block, "", `data source ${block.type} ${DATA_SOURCES.get(block.type)}`));
  }
  if (block.mode === "block" && block.type === "module") {
    found.push(violation(block, "source", "a module call loads Terraform configuration from elsewhere, which this check cannot see"));
  }
  for (const [key, value] of Object.entries(block.body)) {
    if (literal.has(key)) continue;
    if (key === "provisioner" && (block.mode === "managed" || block.mode === "data")) {
      found.push(
        violation(block, "provisioner", "a provisioner runs commands (local-exec: on the machine that runs Terraform) when applied"),
      );
    }
    const seen = new Set<string>();
    forEachText(value, [key], (text, segments) => {
      if (isOwnPackageHash(block, segments, text)) return;
      const scan = scanTemplate(text);
      if (scan.sequences === 0) return;
      const attribute = attributePath(segments);
      const hazards = [
        ...scan.calls.flatMap((call) => {
          const why = hazardOf(call);
          return why === undefined ? [] : [`calls ${call}(): it ${why}`];
        }),
        ...scan.references
          .filter((r) => PATH_REFERENCES.has(r))
          .map((r) => `refers to ${r}: it reveals the folders of the machine that runs Terraform`),
        ...scan.references
          .filter((r) => sensitive.has(r) && !takesSensitiveVariable(block, segments))
          .map(
            (r) =>
              `refers to the sensitive ${r}: only a user's password takes it; anywhere else a plan, an output or an error message can show it`,
          ),
      ];
      for (const hazard of hazards) {
        if (seen.has(`${attribute} ${hazard}`)) continue;
        seen.add(`${attribute} ${hazard}`);
        found.push(violation(block, attribute, `${attribute} ${hazard}`));
      }
    });
  }
  return found;
}

/**
 * SG-TF-001: nothing in a stack's Terraform makes Terraform read the files or the environment of
 * the machine that plans it, unmask a sensitive value, or run a program. Terraform JSON strings are
 * templates: `"Read ${file("/etc/hostname")}"` in a description is evaluated by `terraform plan`,
 * which then prints the file (`${file("/proc/self/environ")}`: the process environment, cloud keys
 * included; `${jsonencode(nonsensitive(var.user_passwords))}`: the users' passwords).
 *
 * What is read: every string and every object key (see {@link scanTemplate}) of every top-level
 * block Terraform evaluates: resources (provisioners and connection blocks included), data
 * sources, ephemeral resources, outputs, local values, providers, module calls, variables (their
 * validation), `import`, `moved`, `removed`, `check` blocks, and any block type not named here; and
 * the `terraform` block. Left out, because Terraform reads them literally (a template there stays
 * text): `terraform.backend` settings and variables' `default`. cdktf's `"//"` comments are read
 * too (a finding there costs nothing; scopegate never writes a template in one).
 *
 * What is flagged, inside `${…}` and `%{…}` sequences: calls of `file`, `filebase64`,
 * `fileexists`, `fileset`, `filemd5`, `filesha1`, `filesha256`, `filesha512`, `filebase64sha256`,
 * `filebase64sha512`, `templatefile`, `templatestring` (it would evaluate text that only looks
 * literal), `nonsensitive`, `abspath`, `pathexpand`, each also as `core::<name>` (Terraform 1.8);
 * every provider-defined function (`provider::<provider>::<name>`) and any other namespace;
 * references to `path.cwd`, `path.root` and `path.module`; and references to a variable declared
 * `sensitive` (`var.user_passwords`) anywhere but an `aws_cognito_user`'s `password`, where the
 * stack passes it (elsewhere a provider's validation error or an output could show the value). Also flagged, because they run programs
 * or read the machine at plan or apply: `external`, `local_file`, `local_sensitive_file`, `http`
 * and `terraform_remote_state` data sources, every `provisioner` (local-exec runs a command on
 * the machine that applies), and every module call (its configuration is not in this file).
 *
 * Every other Terraform file in the stack's folder (`*.tf`, `*.tf.json`, `*.tofu`, `*.tofu.json`:
 * Terraform reads them with `cdk.tf.json`, and a synth writes none) is flagged too, unread.
 *
 * Its findings cannot be suppressed: whoever can edit the output can edit its suppressions.
 *
 * The one exception is the hash the stack writes of its own package: an `aws_lambda_function`'s
 * `source_code_hash` that is exactly `${filebase64sha256("<filename>")}` of its own `filename`,
 * itself a cdktf asset path `assets/<id>/<hash>/authorizer.zip`. Any other `filebase64sha256`
 * (another path, another attribute, another resource, or inside a longer expression) is flagged.
 */
const evaluation: Rule = {
  id: "SG-TF-001",
  severity: "critical",
  title: "Terraform is not made to read files or the environment, unmask secrets or run programs",
  fix: 'Never run terraform plan or apply on this output: a scopegate synth never writes such an expression (it refuses "${" and "%{" in configuration text). Regenerate the output with npm run synth from a reviewed configuration, and find out who edited it.',
  see: [
    "https://developer.hashicorp.com/terraform/language/syntax/json (every JSON string is a template)",
    "https://developer.hashicorp.com/terraform/language/functions/file",
    "https://developer.hashicorp.com/terraform/language/functions/nonsensitive",
  ],
  check: (stack) => {
    const sensitive = sensitiveVariables(stack);
    const files = stack.otherTerraformFiles.map((file) =>
      violation(
        { mode: "block", type: "file", name: file, address: file, path: file, body: {} },
        "",
        `${file} sits next to cdk.tf.json: Terraform reads it too, and this check does not`,
      ),
    );
    return [...blocksOf(stack).flatMap((block) => blockViolations(block, sensitive)), ...files];
  },
};

/** The rules about Terraform itself. */
export const TERRAFORM_RULES: readonly Rule[] = [evaluation];

/** {@link TERRAFORM_RULES}' rule that the review also applies to a head output. */
export const TERRAFORM_EVALUATION_RULE: Rule = evaluation;
