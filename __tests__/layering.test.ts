/**
 * The layering of the tree (.dependency-cruiser.cjs), checked by dependency-cruiser: no import
 * circles, nothing imports scripts/, core/ and contracts/ import nothing above them, the authorizer
 * imports only contracts/ and core/, the stacks import neither the function nor a tool, the tools import
 * each other (and the function) only along named edges, and test support stays out of production code.
 * The check itself is tested on a small tree that breaks each rule once, next to imports every rule allows.
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
        "stacks/cedar/ask.ts": 'import { validate } from "@cedar-policy/cedar-wasm";\nexport const ask = validate;\n',
        "review/cedar.ts": 'import { validate } from "@cedar-policy/cedar-wasm";\nexport const reviewCedar = validate;\n',
        "node_modules/devlib/package.json": JSON.stringify({ name: "devlib", version: "1.0.0", main: "index.js" }),
        "node_modules/devlib/index.js": "exports.value = 2;\n",
        // Allowed: core imports core and node; contracts import contracts, core and node; the authorizer
        // imports contracts, core, node and a production package; the stack imports contracts and core;
        // the tools import contracts, the stack and each other along the named edges; tests and benchmarks
        // import testing/; an entry in scripts/ imports a tool.
        "core/routes.ts": 'import { scopeOf } from "./scopes";\nexport const route = scopeOf("a");\n',
        "core/scopes.ts":
          'import { createHash } from "node:crypto";\nexport const scopeOf = (s: string) => createHash("sha256").update(s).digest("hex");\n',
        "contracts/environment.ts":
          'import { readFileSync } from "node:fs";\nimport { route } from "../core/routes";\nimport { users } from "./basic-users";\nexport const encode = () => [route, users, readFileSync];\n',
        "contracts/basic-users.ts": "export const users = 1;\n",
        "functions/authorizer/handler.ts":
          'import { createHash } from "node:crypto";\nimport { jwtVerify } from "jose";\nimport { route } from "../../core/routes";\nimport { encode } from "../../contracts/environment";\nexport const handler = () => createHash("sha256").update(route).digest("hex") + jwtVerify() + encode();\n',
        "functions/authorizer/decide.ts": 'import { route } from "../../core/routes";\nexport const decide = route;\n',
        "stacks/stack.ts":
          'import { route } from "../core/routes";\nimport { encode } from "../contracts/environment";\nexport const stack = [route, encode];\n',
        "checks/run.ts":
          'import { stack } from "../stacks/stack";\nimport { encode } from "../contracts/environment";\nexport const runCheck = () => [stack, encode];\n',
        "matrix/compute.ts": 'import { decide } from "../functions/authorizer/decide";\nexport const compute = decide;\n',
        "review/run.ts":
          'import { runCheck } from "../checks/run";\nimport { compute } from "../matrix/compute";\nexport const review = [runCheck, compute];\n',
        "review/force-new.ts": "export const forceNew = 1;\n",
        "handoff/package.ts":
          'import { runCheck } from "../checks/run";\nimport { compute } from "../matrix/compute";\nexport const handoff = [runCheck, compute];\n',
        "adopt/compare.ts":
          'import { forceNew } from "../review/force-new";\nimport { stack } from "../stacks/stack";\nexport const adopt = [forceNew, stack];\n',
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
        "matrix/render.ts": 'import { key } from "../testing/keys";\nexport const render = key;\n',
        "contracts/check-rules.ts": 'import { stack } from "../stacks/stack";\nexport const ids = stack;\n',
        "contracts/packaged.ts": 'import { value } from "prodlib";\nexport const packaged = value;\n',
        "stacks/constructs/function.ts": 'import { handler } from "../../functions/authorizer/handler";\nexport const fn = handler;\n',
        "stacks/checks-file.ts": 'import { runCheck } from "../checks/run";\nexport const file = runCheck;\n',
        "checks/matrix.ts": 'import { compute } from "../matrix/compute";\nexport const m = compute;\n',
        "matrix/handler.ts": 'import { handler } from "../functions/authorizer/handler";\nexport const h = handler;\n',
        "review/handoff.ts": 'import { handoff } from "../handoff/package";\nexport const h = handoff;\n',
        "handoff/review.ts": 'import { review } from "../review/run";\nexport const r = review;\n',
        "adopt/checks.ts": 'import { runCheck } from "../checks/run";\nexport const c = runCheck;\n',
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
          "authorizer-imports-only-contracts-and-core: functions/authorizer/dev.ts → node_modules/devlib/index.js",
          "authorizer-packages: functions/authorizer/dev.ts → node_modules/devlib/index.js",
          "authorizer-packages: functions/authorizer/prod.ts → node_modules/prodlib/index.js",
          "authorizer-imports-only-contracts-and-core: functions/authorizer/policy.ts → checks/run.ts",
          "cedar-wasm-only-in-the-twin: review/cedar.ts → node_modules/@cedar-policy/cedar-wasm/index.js",
          "core-imports-only-core: core/severity.ts → stacks/stack.ts",
          "no-circular: review/a.ts → review/b.ts (circle: review/a.ts → review/b.ts → review/a.ts)",
          "no-import-of-scripts: main.ts → scripts/check.ts",
          "only-tests-import-tests: bench/load.ts → __tests__/shared.ts",
          "production-imports-no-test-support: matrix/render.ts → testing/keys.ts",
          "contracts-import-only-core: contracts/check-rules.ts → stacks/stack.ts",
          "contracts-import-only-core: contracts/packaged.ts → node_modules/prodlib/index.js",
          "stacks-import-no-function-or-tool: stacks/constructs/function.ts → functions/authorizer/handler.ts",
          "stacks-import-no-function-or-tool: stacks/checks-file.ts → checks/run.ts",
          "checks-imports-tools-only-along-named-edges: checks/matrix.ts → matrix/compute.ts",
          "matrix-imports-tools-only-along-named-edges: matrix/handler.ts → functions/authorizer/handler.ts",
          "review-imports-tools-only-along-named-edges: review/handoff.ts → handoff/package.ts",
          "handoff-imports-tools-only-along-named-edges: handoff/review.ts → review/run.ts",
          "adopt-imports-tools-only-along-named-edges: adopt/checks.ts → checks/run.ts",
        ].sort(),
      );
    }, 60_000);
  });
});
