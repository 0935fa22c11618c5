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
