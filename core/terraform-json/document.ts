/**
 * The blocks of a synthesized `cdk.tf.json`: its resources and data sources, their addresses and
 * construct paths (cdktf's `"//".metadata.path`), and references between them.
 *
 * @packageDocumentation
 */
import { isJsonObject, type JsonObject } from "../json";
import { templateSequences } from "./template";

/** One resource or data source block of a stack's Terraform JSON, as written. */
export interface TfBlock {
  readonly mode: "managed" | "data";
  /** Terraform type, e.g. `aws_api_gateway_method`. */
  readonly type: string;
  /** Logical name in the JSON, e.g. `rest-api_route-GETreports_method_1FED24DD`. */
  readonly name: string;
  /** Terraform address: `<type>.<name>`, or `data.<type>.<name>`. */
  readonly address: string;
  /** The construct path cdktf records in `"//".metadata.path`; `undefined` when it records none. */
  readonly constructPath: string | undefined;
  /** The block's arguments as written (cdktf's `"//"` metadata included). */
  readonly config: JsonObject;
}

/**
 * The resources and data sources of a stack's Terraform JSON (`cdk.tf.json`), managed resources
 * first, each in document order. Anything not shaped as `{ <type>: { <name>: { … } } }` is skipped;
 * a document that is not an object has none.
 */
export function stackBlocks(document: unknown): TfBlock[] {
  if (!isJsonObject(document)) return [];
  return [...blocksOf(document.resource, "managed"), ...blocksOf(document.data, "data")];
}

/** The managed resources of a stack's Terraform JSON, by address `<type>.<name>`, as written. */
export function managedResources(document: unknown): Map<string, JsonObject> {
  return new Map(stackBlocks(document).flatMap((block) => (block.mode === "managed" ? [[block.address, block.config] as const] : [])));
}

/** The construct path cdktf records in a block's `"//".metadata.path`; `undefined` when none (or empty). */
export function constructPathOf(config: JsonObject): string | undefined {
  const comment = config["//"];
  const metadata = isJsonObject(comment) ? comment.metadata : undefined;
  return isJsonObject(metadata) && typeof metadata.path === "string" && metadata.path !== "" ? metadata.path : undefined;
}

function blocksOf(section: unknown, mode: "managed" | "data"): TfBlock[] {
  if (!isJsonObject(section)) return [];
  const result: TfBlock[] = [];
  for (const [type, byName] of Object.entries(section)) {
    if (!isJsonObject(byName)) continue;
    for (const [name, config] of Object.entries(byName)) {
      if (!isJsonObject(config)) continue;
      const address = `${mode === "data" ? "data." : ""}${type}.${name}`;
      result.push({ mode, type, name, address, constructPath: constructPathOf(config), config });
    }
  }
  return result;
}

/** A reference `${<type>.<name>.<attribute>}` (or `${data.<type>.<name>.<attribute>}`), parsed. */
export interface Reference {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly attribute: string;
}

const TYPE = /^[a-z][a-z0-9_]*$/;

/**
 * The reference a value consists of: one interpolation holding nothing but one traversal
 * `<type>.<name>.<attribute>` (or `data.<type>.<name>.<attribute>`), spaces around it allowed,
 * read by the shared template scanner; `undefined` when it is anything else (a literal, a call, an
 * index, a longer traversal, two interpolations).
 */
export function parseReference(value: unknown): Reference | undefined {
  if (typeof value !== "string") return undefined;
  const sequences = templateSequences(value);
  if (sequences.length !== 1) return undefined;
  const [sequence] = sequences;
  if (sequence.opener !== "${" || !sequence.terminated || sequence.start !== 0 || sequence.end !== value.length) return undefined;
  if (sequence.traversals.length !== 1) return undefined;
  const [{ parts, start, ends }] = sequence.traversals;
  const end = ends[ends.length - 1];
  if (value.slice(2, start).trim() !== "" || value.slice(end, value.length - 1).trim() !== "") return undefined;
  const mode = parts[0] === "data" ? "data" : "managed";
  const [type, name, attribute] = mode === "data" ? parts.slice(1) : parts;
  if (parts.length !== (mode === "data" ? 4 : 3) || !TYPE.test(type)) return undefined;
  return { mode, type, name, attribute };
}

/**
 * One resource (or data source) of a synthesized stack; or, for a finding about another top-level
 * block (an output, a local value, a provider, a module call, a variable, an `import`), that block
 * (`mode: "block"`, never among {@link StackTemplate.all}).
 */
export interface TfResource {
  readonly mode: "managed" | "data" | "block";
  /** Terraform type, e.g. `aws_api_gateway_method`. */
  readonly type: string;
  /** Logical name in the JSON, e.g. `rest-api_route-GETreports_method_1FED24DD`. */
  readonly name: string;
  /** Terraform address, e.g. `aws_api_gateway_method.rest-api_route-GETreports_method_1FED24DD`. */
  readonly address: string;
  /** Construct path from `"//".metadata.path`, or the address when the JSON has none. */
  readonly path: string;
  /**
   * The resource's arguments as written. An argument generated by a `dynamic` block reads as
   * an interpolation (unknown).
   */
  readonly body: JsonObject;
}

/** The synthesized Terraform JSON of one stack, indexed for rules. */
export class StackTemplate {
  /** Every managed resource and data source, in document order. */
  readonly all: readonly TfResource[];
  /** The whole `cdk.tf.json` as written (an empty object when it is not an object). */
  readonly document: JsonObject;
  private readonly byAddress: ReadonlyMap<string, TfResource>;

  /**
   * @param stack the stack's name (the first segment of every construct path)
   * @param json the parsed `cdk.tf.json`; anything that is not an object reads as an empty stack
   * @param otherTerraformFiles other files of the stack's folder that Terraform reads with
   *   `cdk.tf.json` (`*.tf`, `*.tf.json`, …), by name @default none
   */
  constructor(
    readonly stack: string,
    json: unknown,
    readonly otherTerraformFiles: readonly string[] = [],
  ) {
    const root = isJsonObject(json) ? json : {};
    this.document = root;
    this.all = stackBlocks(root).map(({ config, constructPath, ...block }) => ({
      ...block,
      path: constructPath ?? block.address,
      body: withDynamicBlocks(config),
    }));
    this.byAddress = new Map(this.all.map((resource) => [resource.address, resource]));
  }

  /** Managed resources of one type. */
  resources(type: string): readonly TfResource[] {
    return this.all.filter((resource) => resource.mode === "managed" && resource.type === type);
  }

  /** Data sources of one type. */
  dataSources(type: string): readonly TfResource[] {
    return this.all.filter((resource) => resource.mode === "data" && resource.type === type);
  }

  /** The resource a reference points at, when it is in this stack. */
  resolve(reference: Reference): TfResource | undefined {
    const prefix = reference.mode === "data" ? "data." : "";
    return this.byAddress.get(`${prefix}${reference.type}.${reference.name}`);
  }

  /** The expression other resources use to refer to `resource`'s `attribute`. */
  static expression(resource: TfResource, attribute: string): string {
    return `\${${resource.address}.${attribute}}`;
  }
}

/** Arguments generated by `dynamic "<name>"` blocks read as unknown, never as absent. */
function withDynamicBlocks(raw: JsonObject): JsonObject {
  if (!isJsonObject(raw.dynamic)) return raw;
  const body: JsonObject = { ...raw };
  for (const key of Object.keys(raw.dynamic)) {
    if (body[key] === undefined) body[key] = "${dynamic}";
  }
  return body;
}
