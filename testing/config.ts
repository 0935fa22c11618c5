import example from "../stacks/config/example.config.json";
import { ConfigError } from "../stacks/config/errors";
import { parseConfigs } from "../stacks/config/environments";

/** A fresh, mutable copy of the built-in example configuration. */
export function exampleDocument(): Record<string, any> {
  return JSON.parse(JSON.stringify(example));
}

/**
 * The issues a configuration is refused with, in document order; fails the test when it parses.
 * It goes the way every configuration goes (`parseConfigs`: the text gate, then the sections).
 *
 * @param document - the configuration as its JSON file would hold it
 */
export function configIssues(document: unknown): { path: string; message: string }[] {
  try {
    parseConfigs(document, "test.json");
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.issues];
  }
  throw new Error("expected the configuration to be refused");
}

/** What a default that follows from the stack name shows (as in docs/configuration.md's table). */
export const STACK_NAME_PLACEHOLDER = "<name>";

/** Configuration defaults by dotted path; a default computed from the stack name shows {@link STACK_NAME_PLACEHOLDER}. */
export type DefaultLeaves = Record<string, unknown>;

/**
 * Flattens a defaults object (such as `CONFIGURATION_DEFAULTS`) into dotted leaf paths; the item
 * defaults of a list (`groups[]`) are keyed by the list's path (`groups.description`).
 */
export function defaultLeaves(value: unknown, path = "", into: DefaultLeaves = {}): DefaultLeaves {
  if (typeof value === "function") into[path] = value(STACK_NAME_PLACEHOLDER);
  else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [entry, child] of Object.entries(value)) {
      const key = entry.replace(/\[\]$/, "");
      defaultLeaves(child, path === "" ? key : `${path}.${key}`, into);
    }
  } else into[path] = value;
  return into;
}
