import fc from "fast-check";
import { Testing } from "cdktf";
import { findingsOf } from "../../checks/fixtures";
import { ConfigError } from "../../../stacks/config/errors";
import { ScopegateConfig } from "../../../stacks/config/model";
import { parseConfigs } from "../../../stacks/config/environments";
import { ScopegateStack } from "../../../stacks/scopegate-stack";
import { exampleDocument } from "../../../testing/config";
import { stubBundle, withPlainStackTraces } from "../../../testing/synth";

/** Fixed so a failure reproduces; `SCOPEGATE_FC_SEED` explores others. fast-check prints it on failure. */
const SEED = Number(process.env.SCOPEGATE_FC_SEED ?? 20_261_122);
const RUNS = 300;

type Path = readonly (string | number)[];

/** What one mutation does, where `at` picks a path among those of the document as it stands. */
type Mutation =
  | { readonly op: "delete"; readonly at: number }
  | { readonly op: "set"; readonly at: number; readonly value: unknown }
  | { readonly op: "add-field"; readonly at: number; readonly value: unknown }
  | { readonly op: "duplicate"; readonly at: number }
  | { readonly op: "nest"; readonly at: number; readonly depth: number; readonly inList: boolean };

/** Values that break types and shapes, plus valid-looking ones that land in the wrong place. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    "",
    " ",
    "\u0000",
    "Ärger",
    "${var.injected}",
    "%{ if true }x%{ endif }",
    "a".repeat(300),
    "../../etc/passwd",
    "*",
    "GET",
    "/",
    "/resource",
    "api.example.com/read",
    "aws.cognito.signin.user.admin",
    "cognito",
    "lambda",
    "machine",
    "legacy",
    "OFF",
    [],
    {},
    [[[]]],
    ["openid", "openid"],
    JSON.parse('{"__proto__": {"polluted": true}}'),
    { type: "s3" },
    { user: "alice", client: "machine" },
  ),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 5000 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("set" as const), at: fc.nat(), value: oddValue }),
  fc.record({ op: fc.constant("add-field" as const), at: fc.nat(), value: oddValue }),
  fc.record({ op: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("nest" as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 64 }), inList: fc.boolean() }),
);

/** Every path in a JSON document, parents before children. */
function pathsOf(node: unknown, path: Path = []): Path[] {
  const children: [string | number, unknown][] = Array.isArray(node)
    ? node.map((value, index) => [index, value])
    : typeof node === "object" && node !== null
      ? Object.entries(node)
      : [];
  return children.flatMap(([key, value]) => [[...path, key], ...pathsOf(value, [...path, key])]);
}

function parentOf(doc: any, path: Path): any {
  return path.slice(0, -1).reduce((node, key) => node[key], doc);
}

/** Applies the mutations in turn; returns what each did, with concrete paths, for the failure message. */
function apply(doc: Record<string, any>, mutations: readonly Mutation[]): string[] {
  return mutations.map((m) => {
    const paths = pathsOf(doc);
    const path = paths[m.at % paths.length];
    const parent = parentOf(doc, path);
    const key = path[path.length - 1];
    const where = path.join(".");
    switch (m.op) {
      case "delete":
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
        return `delete ${where}`;
      case "set":
        parent[key] = structuredClone(m.value);
        return `set ${where} = ${JSON.stringify(m.value)}`;
      case "add-field": {
        const target = parent[key];
        if (typeof target !== "object" || target === null || Array.isArray(target)) return `add-field ${where} (not an object: no-op)`;
        Object.defineProperty(target, "extra", { value: structuredClone(m.value), enumerable: true, configurable: true, writable: true });
        return `add-field ${where}.extra = ${JSON.stringify(m.value)}`;
      }
      case "duplicate":
        if (!Array.isArray(parent)) return `duplicate ${where} (not a list item: no-op)`;
        parent.splice((key as number) + 1, 0, structuredClone(parent[key as number]));
        return `duplicate ${where}`;
      case "nest": {
        let value = parent[key];
        for (let i = 0; i < m.depth; i++) value = m.inList ? [value] : { nested: value };
        parent[key] = value;
        return `nest ${where} ${m.depth} deep in ${m.inList ? "lists" : "objects"}`;
      }
    }
  });
}

const bundle = stubBundle();
const synthesized = new Map<string, any>();

/**
 * Synthesizes a stack of `config` in memory, as the tests of the stack do. Many mutations yield
 * the same configuration (a deleted field whose default is the value it had); synthesis is
 * deterministic, so each distinct configuration is synthesized once.
 */
function synthesize(config: ScopegateConfig): any {
  const key = JSON.stringify(config);
  let tf = synthesized.get(key);
  if (tf === undefined) {
    tf = withPlainStackTraces(() => {
      const stack = new ScopegateStack(Testing.app(), config.name, { config, buildAuthorizer: () => bundle });
      return JSON.parse(Testing.synth(stack));
    });
    synthesized.set(key, tf);
  }
  return tf;
}

describe(`configuration fuzzing (fast-check seed ${SEED}, ${RUNS} runs)`, () => {
  test("a mutated configuration either synthesizes a whole stack or is refused with a ConfigError whose every issue has a path", () => {
    const outcomes = { synthesized: 0, refused: 0 };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        // GIVEN the example changed by a few random mutations
        const doc = exampleDocument();
        const applied = apply(doc, mutations);
        const context = () => `after ${applied.join("; ")}`;
        // WHEN it is validated, the way every configuration is (the text gate, then the sections)
        let config: ScopegateConfig;
        try {
          [config] = parseConfigs(doc, "fuzz");
        } catch (error) {
          // THEN a refusal is a ConfigError listing at least one issue, each with a path and a message
          if (!(error instanceof ConfigError)) {
            throw new Error(`${context()}: parseConfigs threw ${(error as Error).stack ?? String(error)}`, { cause: error });
          }
          if (error.issues.length === 0 || error.issues.some((issue) => issue.path === "" || issue.message === "")) {
            throw new Error(`${context()}: a ConfigError without a path or message: ${JSON.stringify(error.issues)}`, { cause: error });
          }
          outcomes.refused++;
          return;
        }
        // THEN an accepted configuration synthesizes a whole stack, which the checks can read
        let tf: any;
        try {
          tf = synthesize(config);
          findingsOf(tf);
        } catch (error) {
          throw new Error(`${context()}: a valid configuration failed to synthesize or check: ${(error as Error).stack ?? String(error)}`, {
            cause: error,
          });
        }
        const count = (type: string) => Object.keys(tf.resource?.[type] ?? {}).length;
        const whole = {
          pools: count("aws_cognito_user_pool"),
          clients: count("aws_cognito_user_pool_client"),
          methods: count("aws_api_gateway_method"),
          stages: count("aws_api_gateway_stage"),
        };
        if (
          JSON.stringify(whole) !==
          JSON.stringify({ pools: 1, clients: config.appClients.length, methods: config.api.routes.length, stages: 1 })
        ) {
          throw new Error(`${context()}: partial output ${JSON.stringify(whole)}`);
        }
        outcomes.synthesized++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Both outcomes occur, so the property is not passing vacuously.
    expect(outcomes.synthesized).toBeGreaterThan(RUNS / 10);
    expect(outcomes.refused).toBeGreaterThan(RUNS / 10);
  });
});
