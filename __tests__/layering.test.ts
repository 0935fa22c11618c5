/**
 * The layering of the tree (.dependency-cruiser.cjs), checked by dependency-cruiser: no import
 * circles, nothing imports scripts/, the authorizer and core/ import only what is below them, and
 * test support stays out of production code. The check itself is tested on a small tree that breaks
 * each rule once, next to imports every rule allows.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PROJECT_ROOT } from "../testing/app";

const CONFIG = join(PROJECT_ROOT, ".dependency-cruiser.cjs");
const CLI = join(PROJECT_ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

/** One broken rule: `rule: from → to`, and for a circle the whole circle. */
type Violation = string;

/** Runs dependency-cruiser with the project's rules on `dir` and returns the violations found. */
function cruise(dir: string): Violation[] {
  const result = spawnSync(process.execPath, [CLI, "--config", CONFIG, "--output-type", "json", "."], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.stdout === "") throw new Error(`dependency-cruiser did not run (exit ${result.status}): ${result.stderr}`);
  const output = JSON.parse(result.stdout) as {
    summary: { violations: Array<{ from: string; to: string; rule: { name: string }; cycle?: Array<{ name: string }> }> };
  };
  return output.summary.violations
    .map((violation) => {
      const circle =
        violation.cycle === undefined ? "" : ` (circle: ${[violation.from, ...violation.cycle.map((step) => step.name)].join(" → ")})`;
      return `${violation.rule.name}: ${violation.from} → ${violation.to}${circle}`;
    })
    .sort();
}

describe("layering", () => {
  it("holds for the project", () => {
    const violations = cruise(PROJECT_ROOT);
    // The message lists every import to remove (see .dependency-cruiser.cjs for why each rule exists).
    expect(violations.join("\n")).toBe("");
  }, 120_000);

  describe("the check", () => {
    let dir: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "scopegate-layering-"));
      const files: Record<string, string> = {
        "tsconfig.json": JSON.stringify({ compilerOptions: { module: "commonjs", strict: true } }),
        "package.json": JSON.stringify({
          name: "tree",
          dependencies: { prodlib: "1.0.0", jose: "6.0.0", "@cedar-policy/cedar-wasm": "4.13.0" },
          devDependencies: { devlib: "1.0.0" },
        }),
        "node_modules/jose/package.json": JSON.stringify({ name: "jose", version: "6.0.0", main: "index.js" }),
        "node_modules/jose/index.js": "exports.jwtVerify = () => 1;\n",
        "node_modules/prodlib/package.json": JSON.stringify({ name: "prodlib", version: "1.0.0", main: "index.js" }),
        "node_modules/prodlib/index.js": "exports.value = 1;\n",
        "node_modules/@cedar-policy/cedar-wasm/package.json": JSON.stringify({
          name: "@cedar-policy/cedar-wasm",
          version: "4.13.0",
          main: "index.js",
        }),
        "node_modules/@cedar-policy/cedar-wasm/index.js": "exports.validate = () => 1;\n",
        "matrix/cedar/ask.ts": 'import { validate } from "@cedar-policy/cedar-wasm";\nexport const ask = validate;\n',
        "review/cedar.ts": 'import { validate } from "@cedar-policy/cedar-wasm";\nexport const reviewCedar = validate;\n',
        "node_modules/devlib/package.json": JSON.stringify({ name: "devlib", version: "1.0.0", main: "index.js" }),
        "node_modules/devlib/index.js": "exports.value = 2;\n",
        // Allowed: core imports core and node; the authorizer imports core, node and a production package; the stack and
        // the tools import core and the authorizer; tests and benchmarks import testing/; an entry in
        // scripts/ imports a tool.
        "core/routes.ts": 'import { scopeOf } from "./scopes";\nexport const route = scopeOf("a");\n',
        "core/scopes.ts":
          'import { createHash } from "node:crypto";\nexport const scopeOf = (s: string) => createHash("sha256").update(s).digest("hex");\n',
        "functions/authorizer/handler.ts":
          'import { createHash } from "node:crypto";\nimport { jwtVerify } from "jose";\nimport { route } from "../../core/routes";\nexport const handler = () => createHash("sha256").update(route).digest("hex") + jwtVerify();\n',
        "stacks/stack.ts":
          'import { route } from "../core/routes";\nimport { handler } from "../functions/authorizer/handler";\nexport const stack = [route, handler];\n',
        "checks/run.ts": 'import { stack } from "../stacks/stack";\nexport const runCheck = () => stack;\n',
        "scripts/check.ts": 'import { runCheck } from "../checks/run";\nrunCheck();\n',
        "testing/keys.ts": 'import { handler } from "../functions/authorizer/handler";\nexport const key = handler;\n',
        "__tests__/shared.ts": "export const shared = 1;\n",
        "__tests__/handler.test.ts":
          'import { key } from "../testing/keys";\nimport { shared } from "./shared";\nexport const t = [key, shared];\n',
        "bench/run.ts": 'import { key } from "../testing/keys";\nexport const b = key;\n',
        // Each rule broken once.
        "review/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
        "review/b.ts": 'import { a } from "./a";\nexport const b = () => a;\n',
        "main.ts": 'import "./scripts/check";\n',
        "functions/authorizer/dev.ts": 'import { value } from "devlib";\nexport const dev = value;\n',
        "functions/authorizer/prod.ts": 'import { value } from "prodlib";\nexport const prod = value;\n',
        "functions/authorizer/policy.ts": 'import { runCheck } from "../../checks/run";\nexport const policy = runCheck;\n',
        "core/severity.ts": 'import { stack } from "../stacks/stack";\nexport const severity = stack;\n',
        "matrix/compute.ts": 'import { key } from "../testing/keys";\nexport const compute = key;\n',
        "bench/load.ts": 'import { shared } from "../__tests__/shared";\nexport const l = shared;\n',
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(join(dir, dirname(file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
    });

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("fails on each broken rule, and only there", () => {
      expect(cruise(dir)).toEqual(
        [
          "authorizer-imports-only-core: functions/authorizer/dev.ts → node_modules/devlib/index.js",
          "authorizer-packages: functions/authorizer/dev.ts → node_modules/devlib/index.js",
          "authorizer-packages: functions/authorizer/prod.ts → node_modules/prodlib/index.js",
          "authorizer-imports-only-core: functions/authorizer/policy.ts → checks/run.ts",
          "cedar-wasm-only-in-the-twin: review/cedar.ts → node_modules/@cedar-policy/cedar-wasm/index.js",
          "core-imports-only-core: core/severity.ts → stacks/stack.ts",
          "no-circular: review/a.ts → review/b.ts (circle: review/a.ts → review/b.ts → review/a.ts)",
          "no-import-of-scripts: main.ts → scripts/check.ts",
          "only-tests-import-tests: bench/load.ts → __tests__/shared.ts",
          "production-imports-no-test-support: matrix/compute.ts → testing/keys.ts",
        ].sort(),
      );
    }, 60_000);
  });
});
