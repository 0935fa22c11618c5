/**
 * The shape every reader of JSON in scopegate checks first: a JSON object (not `null`, not an
 * array). The configuration, the synth output, plans and the hand-off all read through it.
 *
 * @packageDocumentation
 */

/** A parsed JSON object, its values not yet checked. */
export type JsonObject = Record<string, unknown>;

/**
 * True for a JSON object: not `null`, not an array, not a primitive.
 *
 * @param value - a parsed JSON value
 */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
