/**
 * Which arguments of a provider's resources are nested blocks (`environment { … }`) rather than
 * attributes (`tags = { … }`). Terraform JSON writes both as objects; HCL needs to know which is
 * which. The answer comes from the provider bindings scopegate synthesizes with
 * (`@cdktf/provider-aws`, generated from the provider's schema): each resource class's
 * `synthesizeHclAttributes` names every argument with `isBlock` and its nesting (`type`), and so
 * do the functions it calls for nested blocks. They are read at run time, for the types a stack
 * holds only, each from its own module (`@cdktf/provider-aws/lib/<type>`; the package's root
 * would load every one of its 2,000 resources). A test holds what they say to
 * `terraform providers schema -json` for every resource type the stacks create.
 *
 * Where a binding does not know (an argument it types `any`: it stops at recursive schemas such as
 * WAF's `statement`), the argument is marked unknown, and the writer refuses it rather than guess.
 *
 * @see https://developer.hashicorp.com/terraform/cli/commands/providers/schema
 * @packageDocumentation
 */
import { createRequire } from "node:module";
import { HandoffError } from "./errors";

/** Loads a binding by its computed module path (a deep import: only the bindings a stack uses are loaded). */
const loadModule = createRequire(__filename);

/** How a nested block repeats, as the bindings name it (`struct` is the schema's `single`). */
export type BlockNesting = "list" | "set" | "struct";

/** A nested block, with its own nested blocks; or an argument the bindings do not describe. */
export type BlockEntry = { readonly nesting: BlockNesting; readonly blocks: BlockSchema } | { readonly unknown: true };

/** Nested blocks of a body, by name (an argument not named is an attribute). */
export type BlockSchema = { readonly [name: string]: BlockEntry };

/** A binding class: its Terraform type and the method that describes its arguments. */
interface BindingClass {
  readonly tfResourceType?: unknown;
  readonly prototype: { readonly synthesizeHclAttributes?: () => unknown };
}

/** One argument as `synthesizeHclAttributes` describes it. */
interface HclAttribute {
  readonly value?: unknown;
  readonly isBlock?: boolean;
  readonly type?: string;
  readonly storageClassType?: string;
}

/**
 * Stands in for every value of a resource while its `synthesizeHclAttributes` runs: every property
 * (`this._x`, `.internalValue`, a nested struct's field) is the probe again, and it is a list of one
 * probe, so every argument is present and every nested block is described once. It is not a token
 * (no `resolve`) and not a complex element, so the binding's mappers walk into it.
 */
const PROBE: unknown = new Proxy([], {
  get(target, key, receiver) {
    if (key === "length") return 1;
    if (key === "0") return PROBE;
    if (typeof key === "symbol" || key in Array.prototype) return Reflect.get(target, key, receiver) as unknown;
    if (key === "resolve") return undefined;
    return PROBE;
  },
  has(target, key) {
    return key === "0" || Reflect.has(target, key);
  },
});

/** The nested blocks an attribute map from `synthesizeHclAttributes` (or a nested block's mapper) describes. */
function blocksOf(attributes: unknown, where: string): BlockSchema {
  const schema: Record<string, BlockEntry> = {};
  for (const [name, attribute] of Object.entries(attributes as Record<string, HclAttribute>).sort(([a], [b]) => a.localeCompare(b))) {
    if (attribute.storageClassType === "any" || (attribute.isBlock === true && attribute.type === "map")) {
      schema[name] = { unknown: true };
      continue;
    }
    if (attribute.isBlock !== true) continue;
    const nesting = attribute.type;
    if (nesting !== "list" && nesting !== "set" && nesting !== "struct") {
      throw new Error(`${where}.${name}: a block of type ${JSON.stringify(nesting)} in the provider bindings`);
    }
    const value = Array.isArray(attribute.value) ? (attribute.value as unknown[])[0] : attribute.value;
    schema[name] = { nesting, blocks: value !== null && typeof value === "object" ? blocksOf(value, `${where}.${name}`) : {} };
  }
  return schema;
}

/** The module of a type's binding: `aws_lambda_function` → `lambda-function`, data sources `data-aws-…`, the provider `provider`. */
function bindingModule(kind: BindingKind, type: string): string {
  const provider = "@cdktf/provider-aws/lib/";
  if (kind === "provider") return `${provider}provider`;
  const name = type.replace(/^aws_/, "").replace(/_/g, "-");
  return `${provider}${kind === "data" ? `data-aws-${name}` : name}`;
}

/** What a binding describes: a resource, a data source, or the provider block itself. */
export type BindingKind = "resource" | "data" | "provider";

const cache = new Map<string, BlockSchema>();

/**
 * The nested blocks of a resource type, a data source type, or the `provider "aws"` block, from
 * its binding (loaded once per process).
 *
 * @param type e.g. `aws_lambda_function` (`aws` for the provider)
 * @throws HandoffError `ERR_HANDOFF_UNSUPPORTED` naming the type when no binding describes it
 */
export function bindingBlocks(kind: BindingKind, type: string): BlockSchema {
  const key = `${kind} ${type}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const where = kind === "data" ? `data.${type}` : kind === "provider" ? `provider ${type}` : type;
  const unsupported = () =>
    new HandoffError(
      "ERR_HANDOFF_UNSUPPORTED",
      `${where} is not a type of the AWS provider bindings (@cdktf/provider-aws): the hand-off cannot tell its blocks from its attributes`,
    );
  if (!/^aws(_[a-z0-9]+)*$/.test(type) || (kind === "provider") !== (type === "aws")) throw unsupported();
  let exports: Record<string, unknown>;
  try {
    exports = loadModule(bindingModule(kind, type)) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") throw unsupported();
    throw error;
  }
  const binding = Object.values(exports).find(
    (value): value is BindingClass => typeof value === "function" && (value as BindingClass).tfResourceType === type,
  );
  const describe = binding?.prototype.synthesizeHclAttributes;
  if (describe === undefined) throw unsupported();
  const blocks = blocksOf(describe.call(PROBE), where);
  cache.set(key, blocks);
  return blocks;
}
