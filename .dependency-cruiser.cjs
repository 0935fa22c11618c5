// The layering of scopegate, checked by dependency-cruiser in npm test (__tests__/layering.test.ts)
// or by hand: npx depcruise --config .dependency-cruiser.cjs .
//
// The layers, bottom up: core/ (the shared contracts) ← functions/authorizer/ (the Lambda, bundled
// alone) and stacks/, checks/, review/, matrix/, handoff/ (the generator and the tools) ← scripts/
// (thin command-line entries that nothing imports). testing/ is support for __tests__/ and bench/;
// production code imports neither.

/** Production code: everything that is not a test, test support or a benchmark. */
const TEST_AND_BENCH = "^(__tests__|testing|bench)/";

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
      name: "authorizer-imports-only-core",
      severity: "error",
      comment:
        "functions/authorizer/ is bundled alone into the Lambda: it may import itself, core/, node and the production npm packages (dependencies, not devDependencies), nothing of the tools, the stacks, the scripts, the benchmarks or the tests.",
      from: { path: "^functions/authorizer/" },
      to: { pathNot: "^(functions/authorizer|core)/", dependencyTypesNot: ["core", "npm"] },
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
        "Cedar's wasm (@cedar-policy/cedar-wasm) is loaded by matrix/cedar/ only (the twin's validation and questions), so no other tool pays its load and the authorizer never ships it: ask matrix/cedar/cedar-wasm.ts instead.",
      from: { pathNot: "^(matrix/cedar|__tests__|testing|bench)/" },
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
