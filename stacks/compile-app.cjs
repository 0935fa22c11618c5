// Compiles the CDKTF app (main.ts) without a TypeScript loader: esbuild bundles the project's own
// files into one CommonJS file (dependencies stay external), which Node then runs. No type-checking
// on this path: `npm run build` does that. Used by scripts/synth.cjs (npm run synth, cdktf.json) and
// the synth benchmark. JavaScript, because it runs before any TypeScript loader.
"use strict";
const { buildSync } = require("esbuild");

/**
 * Compiles `<root>/main.ts` and the project files it imports into `outfile`.
 *
 * @param {string} root the project folder
 * @param {string} outfile the CommonJS file to write
 * @throws {Error} when esbuild reports errors (it prints them to stderr first)
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
