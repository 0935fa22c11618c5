/**
 * Which arguments of the AWS provider's resources are nested blocks (`environment { … }`) rather
 * than attributes (`tags = { … }`). Terraform JSON writes both as objects; HCL needs to know
 * which is which. The answer comes from the provider's own schema (`terraform providers schema
 * -json`), recorded in `aws-provider-blocks.json` for the resource types scopegate writes, so the
 * hand-off needs neither Terraform nor the provider to run. A test regenerates the record from
 * the real schema and fails when it differs.
 *
 * @see https://developer.hashicorp.com/terraform/cli/commands/providers/schema
 * @packageDocumentation
 */
import { AWS_PROVIDER } from "../core/aws-provider";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import record from "./aws-provider-blocks.json";

/** How a nested block repeats (the schema's `nesting_mode`). */
export type BlockNesting = "single" | "list" | "set" | "map" | "group";

/**
 * A block: its nesting, and its own nested blocks; `"…"` where the record stops
 * ({@link MAX_DEPTH}), so the writer refuses to guess below it.
 */
export type BlockEntry = readonly [BlockNesting] | readonly [BlockNesting, BlockSchema | "…"];

/** Nested blocks of a body, by name. */
export type BlockSchema = { readonly [name: string]: BlockEntry };

/** The recorded block structure. */
export interface ProviderBlocks {
  /** The provider, e.g. `registry.terraform.io/hashicorp/aws`. */
  readonly provider: string;
  readonly version: string;
  /** Resource and data source types whose name starts with one of these are recorded. */
  readonly prefixes: readonly string[];
  /** Data sources recorded besides the prefixed ones. */
  readonly extraDataSources: readonly string[];
  /** Nested blocks of the `provider "aws"` block. */
  readonly providerBlocks: BlockSchema;
  /** Every recorded resource type, `{}` when it has no nested block. */
  readonly resource: { readonly [type: string]: BlockSchema };
  readonly data: { readonly [type: string]: BlockSchema };
}

/** Depth below which blocks are not recorded (WAF's recursive statements would otherwise take megabytes). */
export const MAX_DEPTH = 4;

/**
 * The service prefixes recorded: what scopegate stacks contain, WAF for a web ACL in front of the API,
 * and Verified Permissions for the Cedar twin's export (`verifiedPermissions.export`).
 */
export const RECORDED_PREFIXES = [
  "aws_api_gateway_",
  "aws_cloudwatch_log_",
  "aws_cognito_",
  "aws_dynamodb_",
  "aws_iam_",
  "aws_kms_",
  "aws_lambda_",
  "aws_verifiedpermissions_",
  "aws_wafv2_",
] as const;

/** Data sources recorded outside the prefixes. */
export const EXTRA_DATA_SOURCES = ["aws_caller_identity", "aws_partition", "aws_region"] as const;

/** The record shipped with scopegate (provider 5.100.0). */
export const AWS_PROVIDER_BLOCKS: ProviderBlocks = record as unknown as ProviderBlocks;

interface SchemaBlock {
  block_types?: Record<string, { nesting_mode: BlockNesting; block: SchemaBlock }>;
}

/**
 * Extracts the block structure from the output of `terraform providers schema -json`.
 *
 * @param schema the parsed output
 * @param provider the provider address
 * @param version the provider version the schema is of
 */
export function extractProviderBlocks(schema: unknown, provider: string, version: string): ProviderBlocks {
  const root = schema as {
    provider_schemas?: Record<
      string,
      {
        provider: { block: SchemaBlock };
        resource_schemas: Record<string, { block: SchemaBlock }>;
        data_source_schemas: Record<string, { block: SchemaBlock }>;
      }
    >;
  };
  const found = root.provider_schemas?.[provider];
  if (found === undefined) throw new Error(`the schema holds no provider ${provider}`);
  const recorded = (type: string) => RECORDED_PREFIXES.some((prefix) => type.startsWith(prefix));
  const pick = (schemas: Record<string, { block: SchemaBlock }>, extra: readonly string[]) =>
    Object.fromEntries(
      Object.keys(schemas)
        .filter((type) => recorded(type) || extra.includes(type))
        .sort()
        .map((type) => [type, blocksOf(schemas[type].block, MAX_DEPTH)]),
    );
  return {
    provider,
    version,
    prefixes: [...RECORDED_PREFIXES],
    extraDataSources: [...EXTRA_DATA_SOURCES],
    providerBlocks: blocksOf(found.provider.block, MAX_DEPTH),
    resource: pick(found.resource_schemas, []),
    data: pick(found.data_source_schemas, EXTRA_DATA_SOURCES),
  };
}

function blocksOf(block: SchemaBlock, depth: number): BlockSchema {
  const result: Record<string, BlockEntry> = {};
  for (const name of Object.keys(block.block_types ?? {}).sort()) {
    const nested = block.block_types![name];
    if (depth === 0) {
      result[name] = [nested.nesting_mode, "…"];
      continue;
    }
    const inner = blocksOf(nested.block, depth - 1);
    result[name] = Object.keys(inner).length === 0 ? [nested.nesting_mode] : [nested.nesting_mode, inner];
  }
  return result;
}

/** The record as written to `aws-provider-blocks.json`. */
export function formatProviderBlocks(blocks: ProviderBlocks): string {
  return `${JSON.stringify(blocks, null, 1)}\n`;
}

/** Path of the shipped record. */
export const PROVIDER_BLOCKS_FILE = join(__dirname, "aws-provider-blocks.json");

// Regenerates the record: terraform providers schema -json > schema.json, then
// node --import tsx handoff/provider-blocks.ts schema.json
if (require.main === module) {
  const [file] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write("usage: node --import tsx handoff/provider-blocks.ts <output of terraform providers schema -json>\n");
    process.exitCode = 2;
  } else {
    const blocks = extractProviderBlocks(JSON.parse(readFileSync(file, "utf8")), AWS_PROVIDER.name, AWS_PROVIDER.version);
    writeFileSync(PROVIDER_BLOCKS_FILE, formatProviderBlocks(blocks));
  }
}
