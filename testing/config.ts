import example from "../stacks/config/example.config.json";

/** A fresh, mutable copy of the built-in example configuration. */
export function exampleDocument(): Record<string, any> {
  return JSON.parse(JSON.stringify(example));
}
