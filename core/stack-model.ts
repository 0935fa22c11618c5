/**
 * The model a stack was synthesized from, written by synth beside each stack's `cdk.tf.json`
 * (`scopegate.model.json`), so that every tool (check, matrix, review, handoff) reads the one
 * input that gets deployed, and can tell when a configuration it is given is not the one the
 * output was built from.
 *
 * The file holds the resolved configuration model of the stack (every default applied, AWS CLI input
 * files inlined), the configuration's name relative to the project (never an absolute path, so two
 * clones of one commit write the same bytes) and a digest of the model.
 *
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { isJsonObject, type JsonObject } from "./json";

/** The file beside a stack's `cdk.tf.json` that holds its model. */
export const STACK_MODEL_FILE = "scopegate.model.json";

/** The format of {@link STACK_MODEL_FILE}; a reader refuses any other. */
export const STACK_MODEL_FORMAT = "scopegate-model/1";

/** The content of {@link STACK_MODEL_FILE}. */
export interface StackModel {
  /** Always {@link STACK_MODEL_FORMAT}. */
  readonly format: typeof STACK_MODEL_FORMAT;
  /** The configuration file relative to the project folder, with `/` separators (`stacks/config/example.config.json` for the built-in example). */
  readonly configuration: string;
  /** `sha256:<hex>` of the model's JSON text: see {@link modelDigest}. */
  readonly digest: string;
  /** The resolved configuration model of the stack, as JSON. */
  readonly model: JsonObject;
}

/**
 * The digest of a model: SHA-256 of `JSON.stringify(model)`. The parser builds every model with its
 * keys in one order, so one configuration always gives one digest.
 */
export function modelDigest(model: unknown): string {
  return `sha256:${createHash("sha256").update(JSON.stringify(model)).digest("hex")}`;
}

/**
 * The text of {@link STACK_MODEL_FILE} for one stack.
 *
 * @param model - the stack's resolved configuration model (plain JSON data)
 * @param configuration - the configuration file relative to the project folder
 */
export function encodeStackModel(model: unknown, configuration: string): string {
  const file: StackModel = {
    format: STACK_MODEL_FORMAT,
    configuration: configuration.split("\\").join("/"),
    digest: modelDigest(model),
    model: JSON.parse(JSON.stringify(model)) as JsonObject,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Reads the parsed content of {@link STACK_MODEL_FILE}.
 *
 * @returns the model, or why it cannot be used (one line, without the file's name)
 */
export function decodeStackModel(value: unknown): StackModel | { readonly problem: string } {
  if (!isJsonObject(value)) return { problem: "is not a JSON object" };
  if (value.format !== STACK_MODEL_FORMAT) return { problem: `has format ${JSON.stringify(value.format)}, not "${STACK_MODEL_FORMAT}"` };
  const { configuration, digest, model } = value;
  if (typeof configuration !== "string") return { problem: 'has no "configuration" name' };
  if (typeof digest !== "string") return { problem: 'has no "digest"' };
  if (!isJsonObject(model)) return { problem: 'has no "model" object' };
  const actual = modelDigest(model);
  if (actual !== digest)
    return { problem: `holds a model whose digest is ${actual}, not the recorded ${digest} (it was edited after synth)` };
  return { format: STACK_MODEL_FORMAT, configuration, digest, model };
}

/**
 * Whether a synth output was built from the given configurations (each stack's digest equal), and,
 * when it was not, both sides in words: `synthesized from orders.json (orders sha256:…), but … gives
 * orders sha256:…`. The matrix and the hand-off refuse such an output with this text.
 *
 * @param output - each stack's name and model, as the synth output holds them
 * @param given - each configuration's stack name and resolved model
 * @returns `undefined` when they agree, else the mismatch, naming both sides
 */
export function modelMismatch(
  output: readonly { readonly name: string; readonly model: StackModel }[],
  given: readonly { readonly name: string }[],
): { readonly synthesizedFrom: string; readonly built: string; readonly given: string } | undefined {
  const built = output.map((stack) => `${stack.name} ${stack.model.digest}`).sort();
  const wanted = given.map((config) => `${config.name} ${modelDigest(config)}`).sort();
  if (built.join() === wanted.join()) return undefined;
  return {
    synthesizedFrom: [...new Set(output.map((stack) => stack.model.configuration))].join(", "),
    built: built.join("; "),
    given: wanted.join("; "),
  };
}
