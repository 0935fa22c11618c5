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
  compileApp(root, outfile);
  require(outfile);
}
