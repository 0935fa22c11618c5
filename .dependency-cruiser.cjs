// The layering of scopegate, checked by dependency-cruiser in npm test (__tests__/layering.test.ts)
// or by hand: npx depcruise --config .dependency-cruiser.cjs .
//
// The layers, bottom up: core/ (what every part shares) ← contracts/ (the authorizer's deployment
// contract and the check rule ids: what the stack writes and the function and the tools read) ←
// functions/authorizer/ (the Lambda, bundled alone) and stacks/ (the generator) ← the tools (checks/,
// matrix/, review/, handoff/, adopt/), which import each other only along the named edges below ←
// scripts/ (thin command-line entries that nothing imports). testing/ is support for __tests__/ and
// bench/; production code imports neither.

/** Production code: everything that is not a test, test support or a benchmark. */
const TEST_AND_BENCH = "^(__tests__|testing|bench)/";

/** The tools, each a folder with its own command. */
const TOOLS = ["checks", "matrix", "review", "handoff", "adopt"];

/**
 * The only imports from one tool into another tool or into the function, each on purpose: the review
 * diffs two access matrices and runs the checks on both sides; the hand-off runs the checks and writes
 * the matrix; the matrix decides with the authorizer's own pure decide (and its reasons table); adopt
 * judges a replacement as the review does (force-new).
 */
const NAMED_EDGES = {
  checks: [],
  matrix: ["functions/authorizer/decide.ts", "functions/authorizer/reasons.ts"],
  review: ["matrix/", "checks/"],
  handoff: ["checks/", "matrix/"],
  adopt: ["review/force-new.ts"],
};

/** One rule per tool: it imports another tool, or the function, only along its named edges. */
function namedEdgeRules() {
  return TOOLS.map((tool) => {
    const others = ["functions", ...TOOLS.filter((other) => other !== tool)];
    // A folder covers what is in it; a file is itself alone.
    const allowed = NAMED_EDGES[tool].map((target) => target.replace(/\./g, "\\.") + (target.endsWith("/") ? "" : "$"));
    return {
      name: `${tool}-imports-tools-only-along-named-edges`,
      severity: "error",
      comment:
        `${tool}/ may import another tool or the function only along its named edges` +
        `${allowed.length === 0 ? " (none)" : ` (${NAMED_EDGES[tool].join(", ")})`}: ` +
        "move what is shared into contracts/ or core/, or name the edge on purpose in NAMED_EDGES.",
      from: { path: `^${tool}/` },
      to: { path: `^(${others.join("|")})/`, ...(allowed.length === 0 ? {} : { pathNot: `^(${allowed.join("|")})` }) },
    };
  });
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import circle: split the shared part into a module both sides import (in core/ if it is a contract).",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-import-of-scripts",
      severity: "error",
      comment:
        "scripts/ holds thin command-line entries (parse arguments, call the tool, exit): move what is imported into the tool or core/.",
      from: {},
      to: { path: "^scripts/" },
    },
    {
      name: "authorizer-imports-only-contracts-and-core",
      severity: "error",
      comment:
        "functions/authorizer/ is bundled alone into the Lambda: it may import itself, contracts/, core/, node and the production npm packages (dependencies, not devDependencies), nothing of the tools, the stacks, the scripts, the benchmarks or the tests.",
      from: { path: "^functions/authorizer/" },
      to: { pathNot: "^(functions/authorizer|contracts|core)/", dependencyTypesNot: ["core", "npm"] },
    },
    {
      name: "authorizer-packages",
      severity: "error",
      comment:
        "The Lambda authorizer's bundle holds jose and the SigV4 signer (@smithy/*) and nothing else from npm: another package (cdktf, the AWS SDK clients, esbuild) would ship in every cold start.",
      from: { path: "^functions/authorizer/" },
      to: {
        dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown"],
        pathNot: "node_modules/(jose|@smithy/[^/]+)/",
      },
    },
    {
      name: "cedar-wasm-only-in-the-twin",
      severity: "error",
      comment:
        "Cedar's wasm (@cedar-policy/cedar-wasm) is loaded by stacks/cedar/ only (the twin's validation and questions), so no other tool pays its load and the authorizer never ships it: ask stacks/cedar/cedar-wasm.ts instead.",
      from: { pathNot: "^(stacks/cedar|__tests__|testing|bench)/" },
      to: { path: "node_modules/@cedar-policy/" },
    },
    {
      name: "core-imports-only-core",
      severity: "error",
      comment:
        "core/ is the bottom layer (the shared contracts): it may import itself, node and the production npm packages, not the stacks, the authorizer, the tools, the scripts, the benchmarks or the tests.",
      from: { path: "^core/" },
      to: { pathNot: "^core/", dependencyTypesNot: ["core", "npm"] },
    },
    {
      name: "contracts-import-only-core",
      severity: "error",
      comment:
        "contracts/ sits under both the stack and the function, and ships in the authorizer's bundle: it may import itself, core/ and node, no npm package and nothing above it (the stacks, the function, the tools).",
      from: { path: "^contracts/" },
      to: { pathNot: "^(contracts|core)/", dependencyTypesNot: ["core"] },
    },
    {
      name: "stacks-import-no-function-or-tool",
      severity: "error",
      comment:
        "stacks/ writes the deployment contract, it does not reach into its readers: import what the function or a tool shares from contracts/ (or core/), never functions/ or a tool folder.",
      from: { path: "^stacks/" },
      to: { path: `^(functions|${TOOLS.join("|")})/` },
    },
    ...namedEdgeRules(),
    {
      name: "production-imports-no-test-support",
      severity: "error",
      comment: "Production code never imports testing/ (support for tests and benchmarks).",
      from: { pathNot: TEST_AND_BENCH },
      to: { path: "^testing/" },
    },
    {
      name: "only-tests-import-tests",
      severity: "error",
      comment: "Nothing outside __tests__/ imports __tests__/: shared support belongs in testing/.",
      from: { pathNot: "^__tests__/" },
      to: { path: "^__tests__/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that resolves to nothing: a moved or deleted module.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // A checkout may link node_modules from elsewhere: keep the link's path, not the target's.
    preserveSymlinks: true,
    // Generated folders, and the tools' own configuration files at the root (jest, eslint, this one).
    exclude: { path: ["^(cdktf\\.out|dist|coverage|\\.scratch)/", "^[^/]+\\.(c|m)?js$"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["cjs", "es6"],
  },
};
