import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlockSchema, bindingBlocks } from "../../handoff/provider-blocks";
import { PROJECT_ROOT } from "../../testing/app";
import { AWS_PROVIDER_VERSION, describeWithTerraform, shareInit, terraform, writeOfflineProviderOverride } from "../../testing/terraform";

/** The resource types scopegate's stacks create: every binding module stacks/ imports (deep imports only). */
function stackResourceTypes(): string[] {
  const modules = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) {
        for (const match of readFileSync(path, "utf8").matchAll(/"@cdktf\/provider-aws\/lib\/([a-z0-9-]+)"/g)) modules.add(match[1]);
      }
    }
  };
  walk(join(PROJECT_ROOT, "stacks"));
  return [...modules]
    .filter((name) => name !== "provider" && !name.startsWith("data-aws-"))
    .map((name) => `aws_${name.replace(/-/g, "_")}`)
    .sort();
}

/** Arguments the bindings type `any`, which the hand-off refuses: each is a block in the provider's schema. */
const UNKNOWN_TO_THE_BINDINGS = ["aws_wafv2_web_acl.rule.statement"];

/** A block tree in one shape for both sources: name → [nesting, nested]; `unknown` where the bindings do not say. */
type Tree = { [name: string]: "unknown" | [string, Tree] };

function fromBindings(schema: BlockSchema): Tree {
  return Object.fromEntries(
    Object.entries(schema).map(([name, entry]) => [
      name,
      "unknown" in entry ? "unknown" : [entry.nesting === "struct" ? "single" : entry.nesting, fromBindings(entry.blocks)],
    ]),
  );
}

interface SchemaBlock {
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock }>;
}

function fromSchema(block: SchemaBlock): Tree {
  return Object.fromEntries(
    Object.entries(block.block_types ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, nested]) => [name, [nested.nesting_mode, fromSchema(nested.block)]]),
  );
}

/** The schema's tree where the bindings' has `unknown`, replaced by `unknown`, with the paths replaced. */
function maskUnknown(schema: Tree, bindings: Tree, path: string, masked: string[]): Tree {
  return Object.fromEntries(
    Object.entries(schema).map(([name, entry]) => {
      const theirs = bindings[name];
      if (theirs === "unknown") {
        masked.push(`${path}.${name}`);
        return [name, "unknown"];
      }
      if (entry === "unknown" || theirs === undefined) return [name, entry];
      return [name, [entry[0], maskUnknown(entry[1], theirs[1], `${path}.${name}`, masked)]];
    }),
  );
}

describe("the provider bindings' blocks", () => {
  test("know the blocks scopegate writes, and the attributes that look like blocks in JSON", () => {
    expect(bindingBlocks("resource", "aws_lambda_function").environment).toEqual({ nesting: "list", blocks: {} });
    expect(bindingBlocks("resource", "aws_dynamodb_table").server_side_encryption).toEqual({ nesting: "list", blocks: {} });
    expect(bindingBlocks("resource", "aws_cognito_user_pool").schema).toEqual({
      nesting: "set",
      blocks: {
        number_attribute_constraints: { nesting: "list", blocks: {} },
        string_attribute_constraints: { nesting: "list", blocks: {} },
      },
    });
    // tags and triggers are map attributes, written `tags = { … }`
    expect(bindingBlocks("resource", "aws_lambda_function").tags).toBeUndefined();
    expect(bindingBlocks("resource", "aws_api_gateway_deployment").triggers).toBeUndefined();
    expect(bindingBlocks("provider", "aws").default_tags).toEqual({ nesting: "list", blocks: {} });
    expect(bindingBlocks("data", "aws_caller_identity")).toEqual({});
  });

  test("a type without a binding, or a name that is no AWS type, fails naming it", () => {
    for (const [kind, type, shown] of [
      ["resource", "aws_no_such_thing", "aws_no_such_thing"],
      ["data", "aws_no_such_thing", "data.aws_no_such_thing"],
      ["resource", "aws_../../cdktf", "aws_../../cdktf"],
      ["resource", "aws", "aws"],
    ] as const) {
      expect(() => bindingBlocks(kind, type)).toThrow(
        expect.objectContaining({
          code: "ERR_HANDOFF_UNSUPPORTED",
          message: expect.stringMatching(new RegExp(`^${shown.replace(/\./g, "\\.")} is not a type`)),
        }),
      );
    }
  });

  test("the stacks' resource types are found (the list the schema test below covers)", () => {
    expect(stackResourceTypes()).toEqual(expect.arrayContaining(["aws_cognito_user_pool", "aws_lambda_function", "aws_wafv2_web_acl"]));
  });
});

describeWithTerraform("the provider bindings' blocks against the provider", (tf) => {
  test("equal what `terraform providers schema -json` of hashicorp/aws says, for every resource type the stacks create", () => {
    // GIVEN a configuration that requires the provider the stacks use
    const dir = mkdtempSync(join(tmpdir(), "scopegate-schema-"));
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } } } }),
    );
    // (the run's shared init: its backend is the offline override's local state)
    writeOfflineProviderOverride(dir);
    shareInit(tf, dir);
    // WHEN its schema is read
    const schema = JSON.parse(terraform(tf, dir, ["providers", "schema", "-json"]));
    const aws = schema.provider_schemas["registry.terraform.io/hashicorp/aws"];
    // THEN the bindings' block tree of every type is the schema's, but where the bindings say they do not know
    const masked: string[] = [];
    const types = stackResourceTypes();
    for (const type of types) {
      const bindings = fromBindings(bindingBlocks("resource", type));
      expect({ type, blocks: bindings }).toEqual({
        type,
        blocks: maskUnknown(fromSchema(aws.resource_schemas[type].block), bindings, type, masked),
      });
    }
    const provider = fromBindings(bindingBlocks("provider", "aws"));
    expect(provider).toEqual(maskUnknown(fromSchema(aws.provider.block), provider, "provider", masked));
    // and what they do not know is exactly the known list, each a block in the schema (so refusing it is right)
    expect(masked).toEqual(UNKNOWN_TO_THE_BINDINGS);
  }, 120000);
});
