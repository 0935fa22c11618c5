const { availableParallelism } = require("node:os");

/** @type {import('jest').Config} */
module.exports = {
  // Jest's default is one worker fewer than the cores, which on two cores is one: the suites then run
  // one after another while the other core waits (most of a Terraform suite's time is Terraform's own
  // processes). Two workers at least.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // jose 6 is ESM-only: let swc turn it (and our TypeScript) into CommonJS for jest.
  transform: {
    "^.+\\.[tj]s$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } }, module: { type: "commonjs" } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!jose/)"],
  setupFilesAfterEnv: ["<rootDir>/testing/setup.ts"],
  // One folder per run for work the suites share (a synth output, a Terraform plan of the example):
  // computed once by whichever worker needs it first, removed at the end (testing/run-cache.ts).
  globalSetup: "<rootDir>/testing/global-setup.ts",
  globalTeardown: "<rootDir>/testing/global-teardown.ts",
  testTimeout: 30000,
};
