import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { parseConfigs } from "../stacks/config/environments";
import { ScopegateConfig } from "../stacks/config/model";
import { ScopegateStack } from "../stacks/scopegate-stack";
import { exampleDocument } from "./config";

let stub: string | undefined;

/**
 * A stand-in authorizer bundle for construct and stack tests (the real one is tested on its
 * own), written once per test file.
 */
export function stubBundle(): string {
  if (stub === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-bundle-"));
    stub = join(dir, "index.js");
    writeFileSync(stub, "exports.handler = async () => { throw new Error('Unauthorized'); };\n");
  }
  return stub;
}

/** The example configuration, changed by `mutate` before validation (the text gate included). */
export function exampleConfig(mutate: (doc: Record<string, any>) => void = () => undefined): ScopegateConfig {
  const doc = exampleDocument();
  mutate(doc);
  const [config] = parseConfigs(doc, "test");
  return config;
}

/**
 * Runs `build` with Node's own stack-trace text. cdktf records where each token was made (a full
 * stack trace per token, read as text), and under jest every such text goes through jest's
 * source-map formatter: that took about half of an in-process synth. Only the traces cdktf keeps
 * for its own messages are affected (their frames name the compiled files); errors thrown out of
 * `build` are formatted by jest as usual when read after it returns.
 */
export function withPlainStackTraces<T>(build: () => T): T {
  const jestFormatter = Error.prepareStackTrace;
  // V8's own text for a trace: the error, then `    at <frame>` per call site.
  Error.prepareStackTrace = (error, frames) => [String(error), ...frames.map((frame) => `    at ${frame.toString()}`)].join("\n");
  try {
    return build();
  } finally {
    Error.prepareStackTrace = jestFormatter;
  }
}

/** The last stack synthesized in this test file: its configuration (as JSON) and what {@link synthStack} gave. */
let last: { key: string; stack: ScopegateStack; json: string; tf: any } | undefined;

/**
 * Synthesizes a stack of `config`: `json` for the cdktf matchers, `tf` the Terraform JSON with
 * each resource's construct path (`"//".metadata.path`) kept, for lookups by construct.
 *
 * The same configuration synthesized again right after (tests of one file often start from the same
 * stack) is not synthesized twice: the call gets the same `json` and `stack` and its own deep copy of
 * `tf`, so a test that changes its `tf` leaks nothing into the next. Only the last synth is kept,
 * because synth also writes the authorizer package next to {@link stubBundle}, and that folder must
 * hold the package of the stack a test last asked for.
 */
export function synthStack(config: ScopegateConfig = exampleConfig()): { stack: ScopegateStack; json: string; tf: any } {
  const key = JSON.stringify(config, (_name, value: unknown) =>
    value instanceof Map ? { Map: [...value] } : value instanceof Set ? { Set: [...value] } : value,
  );
  if (last === undefined || last.key !== key) {
    last = withPlainStackTraces(() => {
      const app = Testing.app();
      const stack = new ScopegateStack(app, config.name, { config, buildAuthorizer: stubBundle });
      // Testing.synth resolves the stack (toTerraform) and strips the metadata from a copy: keep what
      // it resolved for `tf` rather than resolving the whole stack a second time.
      let resolved: unknown;
      const toTerraform = stack.toTerraform.bind(stack);
      stack.toTerraform = () => (resolved = toTerraform());
      let json: string;
      try {
        json = Testing.synth(stack);
      } finally {
        delete (stack as { toTerraform?: unknown }).toTerraform;
      }
      return { key, stack, json, tf: JSON.parse(JSON.stringify(resolved ?? stack.toTerraform())) };
    });
  }
  return { stack: last.stack, json: last.json, tf: structuredClone(last.tf) };
}

/** Resources of one type in synthesized JSON, by logical id. */
export function resourcesOf(tf: any, type: string): Record<string, any> {
  return tf.resource?.[type] ?? {};
}

/** The single resource of `type` whose construct path ends with `pathSuffix`. */
export function resourceAt(tf: any, type: string, pathSuffix: string): any {
  const matches = Object.values(resourcesOf(tf, type)).filter((r: any) => String(r["//"]?.metadata?.path ?? "").endsWith(pathSuffix));
  if (matches.length !== 1) throw new Error(`expected one ${type} at */${pathSuffix}, found ${matches.length}`);
  return matches[0];
}
