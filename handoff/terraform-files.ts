/**
 * One stack's `cdk.tf.json` as HCL files a platform team maintains: `versions.tf` (Terraform and
 * provider versions, and the backend), `main.tf` (provider, resources, data sources, locals),
 * `variables.tf` and `outputs.tf`, and `imports.tf` where the stack adopts existing resources (its
 * `import` blocks). Every block keeps its label, so resource addresses are those of
 * `cdk.tf.json`, and a state written by `cdktf deploy` plans without changes.
 *
 * Why not `cdktf synth --hcl`: cdktf 0.21 writes a JSON string that holds references (an IAM policy,
 * a DynamoDB item) with its quotes unescaped, which is not valid HCL, and does not indent or align
 * (`terraform fmt -check` fails). This writer reads the synthesized JSON, which is the tested
 * contract, and knows blocks from the provider bindings (`provider-blocks.ts`).
 *
 * @packageDocumentation
 */
import { HandoffError } from "./errors";
import { HclWriter, JsonValue, quoteLiteral, writeBody } from "./hcl";
import { expressionTokens } from "./hcl-expression";
import { isJsonObject } from "../core/json";
import { managedResources, stackBlocks } from "../core/terraform-json/document";
import { BlockSchema, bindingBlocks } from "./provider-blocks";

/** The HCL files of one stack, by file name. */
export interface TerraformFiles {
  readonly "versions.tf": string;
  readonly "main.tf": string;
  readonly "variables.tf": string;
  readonly "outputs.tf": string;
  /** The `import` blocks (Terraform 1.5 or later), when the stack has any. */
  readonly "imports.tf"?: string;
}

type JsonObject = { readonly [key: string]: JsonValue };

function isObject(value: unknown): value is JsonObject {
  return isJsonObject(value);
}

const TOP_LEVEL = new Set(["//", "terraform", "provider", "resource", "data", "variable", "output", "locals", "import"]);

/**
 * Writes the HCL files of one stack.
 *
 * @param tf the parsed `cdk.tf.json`
 * @param stack the stack's name, for error messages
 * @throws HandoffError `ERR_HANDOFF_UNSUPPORTED` naming what cannot be translated
 */
export async function terraformFiles(tf: unknown, stack: string): Promise<TerraformFiles> {
  if (!isObject(tf)) throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `stack ${stack}: cdk.tf.json is not a JSON object`);
  for (const key of Object.keys(tf)) {
    if (!TOP_LEVEL.has(key)) {
      throw new HandoffError(
        "ERR_HANDOFF_UNSUPPORTED",
        `stack ${stack}: top-level "${key}" of cdk.tf.json is not translated (module, moved, removed, …)`,
      );
    }
  }
  // Every file is written before any is laid out: a refusal comes before the layout's first use.
  const written = {
    "versions.tf": versionsFile(tf.terraform, stack),
    "main.tf": mainFile(tf, stack),
    "variables.tf": variablesFile(tf.variable),
    "outputs.tf": outputsFile(tf.output),
    ...(tf.import === undefined ? {} : { "imports.tf": importsFile(tf, stack) }),
  };
  const laidOut: Record<string, string> = {};
  for (const [name, writer] of Object.entries(written)) laidOut[name] = await writer.render();
  return laidOut as unknown as TerraformFiles;
}

const ADDRESS = /^([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)$/;

/**
 * The `import` blocks: `to` (a resource address, written bare) and `id` (a string; a template as in
 * JSON). Each must import into a resource of this stack; `provider`, `for_each` and anything else
 * are refused, as scopegate writes none.
 *
 * @see https://developer.hashicorp.com/terraform/language/import
 */
function importsFile(tf: JsonObject, stack: string): HclWriter {
  const blocks = Array.isArray(tf.import) ? (tf.import as JsonValue[]) : [tf.import as JsonValue];
  const resources = managedResources(tf);
  const w = new HclWriter();
  blocks.forEach((block, index) => {
    const where = `stack ${stack}: import[${index}]`;
    if (!isObject(block)) throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `${where} is not an object`);
    const extra = Object.keys(block).filter((key) => key !== "to" && key !== "id");
    if (extra.length > 0) throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `${where}: ${extra.join(", ")} is not translated`);
    // `to` is written bare: only an address of this stack's resources, which ADDRESS holds to HCL's syntax
    if (typeof block.to !== "string" || !ADDRESS.test(block.to) || !resources.has(block.to)) {
      throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `${where}: to ${JSON.stringify(block.to)} is not a resource of the stack`);
    }
    if (typeof block.id !== "string")
      throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `${where}: id ${JSON.stringify(block.id)} is not a string`);
    w.blank().open("import");
    w.raw("to", [block.to as string]);
    w.attribute("id", block.id);
    w.close();
  });
  return w;
}

/**
 * The `terraform` block: the required Terraform version (1.10 where S3 state uses its native lock
 * file, else 1.5), the providers with their full source address, and the backend.
 */
function versionsFile(value: JsonValue | undefined, stack: string): HclWriter {
  const terraform = isObject(value) ? value : {};
  for (const key of Object.keys(terraform)) {
    if (key !== "required_providers" && key !== "backend") {
      throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `stack ${stack}: terraform.${key} of cdk.tf.json is not translated`);
    }
  }
  const backend = isObject(terraform.backend) ? terraform.backend : {};
  const backendTypes = Object.keys(backend);
  const usesS3Lockfile = isObject(backend.s3) && backend.s3.use_lockfile === true;
  const w = new HclWriter();
  w.open("terraform");
  w.raw("required_version", [quoteLiteral(usesS3Lockfile ? ">= 1.10.0" : ">= 1.5.0")]);
  const providers = isObject(terraform.required_providers) ? terraform.required_providers : {};
  if (Object.keys(providers).length > 0) {
    w.blank().open("required_providers");
    for (const [name, requirement] of Object.entries(providers)) {
      const { source, version } = isObject(requirement) ? requirement : {};
      // A source without a namespace is Terraform's shorthand for hashicorp/<name>: written out.
      const fullSource = typeof source === "string" ? (source.includes("/") ? source : `hashicorp/${source}`) : `hashicorp/${name}`;
      w.raw(name, [
        "{",
        `source = ${quoteLiteral(fullSource)}`,
        ...(typeof version === "string" ? [`version = ${quoteLiteral(version)}`] : []),
        "}",
      ]);
    }
    w.close();
  }
  for (const type of backendTypes) {
    const settings = backend[type];
    w.blank().open("backend", [type]);
    if (isObject(settings)) for (const [key, setting] of Object.entries(settings)) w.attribute(key, setting, "literal");
    w.close();
  }
  w.close();
  return w;
}

/**
 * Terraform's own resources (provider `terraform.io/builtin/terraform`), which no provider binding
 * describes: `terraform_data` has attributes only (`input`, `triggers_replace`). The one recorded
 * remainder.
 *
 * @see https://developer.hashicorp.com/terraform/language/resources/terraform-data
 */
const BUILT_IN_RESOURCES: { readonly [type: string]: BlockSchema } = { terraform_data: {} };

/** What the provider bindings (or {@link BUILT_IN_RESOURCES}) say of a type's blocks. */
function blockSchema(kind: "resource" | "data", type: string, stack: string): BlockSchema {
  try {
    return (kind === "resource" ? BUILT_IN_RESOURCES[type] : undefined) ?? bindingBlocks(kind, type);
  } catch (error) {
    if (error instanceof HandoffError) throw new HandoffError(error.code, `stack ${stack}: ${error.message}`);
    throw error;
  }
}

function mainFile(tf: JsonObject, stack: string): HclWriter {
  const w = new HclWriter();
  const providers = isObject(tf.provider) ? tf.provider : {};
  for (const [name, configs] of Object.entries(providers)) {
    if (name !== "aws")
      throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `stack ${stack}: provider "${name}" is not translated (only aws)`);
    for (const config of Array.isArray(configs) ? configs : [configs]) {
      if (!isObject(config)) continue;
      w.blank().open("provider", [name]);
      writeBody(w, config, bindingBlocks("provider", name), `provider ${name}`);
      w.close();
    }
  }
  if (isObject(tf.locals)) {
    w.blank().open("locals");
    for (const [key, value] of Object.entries(tf.locals)) w.attribute(key, value);
    w.close();
  }
  const blocks = stackBlocks(tf);
  const schemas = new Map<string, BlockSchema>();
  for (const block of [...blocks.filter((b) => b.mode === "data"), ...blocks.filter((b) => b.mode === "managed")]) {
    const kind = block.mode === "data" ? "data" : "resource";
    const schema = schemas.get(`${kind} ${block.type}`) ?? blockSchema(kind, block.type, stack);
    schemas.set(`${kind} ${block.type}`, schema);
    w.blank();
    if (block.constructPath !== undefined) w.comment(block.constructPath);
    w.open(kind, [block.type, block.name]);
    writeBody(w, block.config as JsonObject, schema, block.address);
    w.close();
  }
  return w;
}

/** Variables: `type` is a type expression, `default` and `description` are read literally. */
function variablesFile(value: JsonValue | undefined): HclWriter {
  const w = new HclWriter();
  if (!isObject(value)) return w;
  for (const [name, variable] of Object.entries(value)) {
    if (!isObject(variable)) continue;
    w.blank().open("variable", [name]);
    for (const key of ["description", "type", "default", "nullable", "sensitive"]) {
      const setting = variable[key];
      if (setting === undefined) continue;
      if (key === "type" && typeof setting === "string") w.raw(key, [expressionTokens(setting)]);
      else w.attribute(key, setting, "literal");
    }
    for (const key of Object.keys(variable)) {
      if (!["description", "type", "default", "nullable", "sensitive"].includes(key)) {
        throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `variable ${name}: "${key}" is not translated`);
      }
    }
    w.close();
  }
  return w;
}

function outputsFile(value: JsonValue | undefined): HclWriter {
  const w = new HclWriter();
  if (!isObject(value)) return w;
  for (const [name, output] of Object.entries(value)) {
    if (!isObject(output)) continue;
    w.blank().open("output", [name]);
    for (const [key, setting] of Object.entries(output)) {
      if (key === "description") w.attribute(key, setting, "literal");
      else if (key === "value" || key === "sensitive") w.attribute(key, setting);
      else throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `output ${name}: "${key}" is not translated`);
    }
    w.close();
  }
  return w;
}
