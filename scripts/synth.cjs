#!/usr/bin/env node
// Runs the CDKTF app (main.ts) without a TypeScript loader: esbuild compiles the project's own
// files into one CommonJS file (dependencies stay external), and Node runs it. No type-checking
// on this path: `npm run build` does that. Used by `npm run synth` and cdktf.json.
"use strict";
const path = require("node:path");
const { buildSync } = require("esbuild");

/**
 * Compiles `<root>/main.ts` and the project files it imports into `outfile`.
 *
 * @param {string} root the project folder
 * @param {string} outfile the CommonJS file to write
 */
function compileApp(root, outfile) {
  buildSync({
    absWorkingDir: root,
    entryPoints: ["main.ts"],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: "inline",
    logLevel: "warning",
  });
}

module.exports = { compileApp };

if (require.main === module) {
  const root = path.resolve(__dirname, "..");
  const outfile = path.join(root, "dist", "app", "main.cjs");
  // Every failure ends in one coded line, never a stack trace (main.ts reports its own the same way).
  try {
    compileApp(root, outfile);
  } catch {
    process.stderr.write(
      "ERR_SYNTH_FAILED: main.ts and the files it imports do not compile (esbuild's messages above); fix them, then run again (npm run build type-checks too)\n",
    );
    process.exit(1);
  }
  try {
    require(outfile);
  } catch (error) {
    process.stderr.write(`ERR_SYNTH_FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
