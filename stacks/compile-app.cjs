// Compiles the CDKTF app (main.ts) and the tools (scripts/<tool>.ts) without a TypeScript loader:
// esbuild bundles the project's own files into one CommonJS file (dependencies stay external), which
// Node then runs. No type-checking on this path: `npm run build` does that. Used by scripts/synth.cjs
// (npm run synth, cdktf.json), scripts/tool.cjs (npm run check, matrix, review, handoff) and the synth
// benchmark. JavaScript, because it runs before any TypeScript loader.
"use strict";
const { createHash } = require("node:crypto");
const { existsSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const path = require("node:path");
const { buildSync } = require("esbuild");

/**
 * Compiles `<root>/<entry>` and the project files it imports into `outfile`.
 *
 * @param {string} root the project folder
 * @param {string} outfile the CommonJS file to write
 * @param {string} [entry] the entry point, relative to `root` (default `main.ts`)
 * @returns {string[]} the project files esbuild read, relative to `root`
 * @throws {Error} when esbuild reports errors (it prints them to stderr first)
 */
function compileApp(root, outfile, entry = "main.ts") {
  const result = buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: "inline",
    logLevel: "warning",
    metafile: true,
  });
  return Object.keys(result.metafile.inputs).sort();
}

/** SHA-256 of the files (relative to `root`) with their names: what a compiled entry was made from. */
function digestOf(root, files) {
  const hash = createHash("sha256");
  for (const file of files) {
    const full = path.join(root, file);
    hash.update(`${file}\0`);
    hash.update(existsSync(full) ? readFileSync(full) : "(missing)");
    hash.update("\0");
  }
  return hash.digest("hex");
}

/**
 * {@link compileApp}, skipped when `outfile` was compiled from the same files with the same
 * content: `<outfile>.inputs.json` records the files esbuild read and their digest.
 *
 * @param {string} root the project folder
 * @param {string} outfile the CommonJS file to write
 * @param {string} entry the entry point, relative to `root`
 * @returns {boolean} whether it compiled (false: the cached file was current)
 */
function compileCached(root, outfile, entry) {
  const record = `${outfile}.inputs.json`;
  if (existsSync(outfile) && existsSync(record)) {
    try {
      const { entry: was, files, digest } = JSON.parse(readFileSync(record, "utf8"));
      if (was === entry && Array.isArray(files) && digest === digestOf(root, files)) return false;
    } catch {
      // an unreadable record: compile again
    }
  }
  // Written beside and renamed into place: two processes starting one tool at once never run a
  // half-written file, whichever finishes last.
  const partial = `${outfile}.${process.pid}.partial`;
  const files = compileApp(root, partial, entry);
  renameSync(partial, outfile);
  writeFileSync(`${record}.${process.pid}`, `${JSON.stringify({ entry, files, digest: digestOf(root, files) })}\n`);
  renameSync(`${record}.${process.pid}`, record);
  return true;
}

module.exports = { compileApp, compileCached };
