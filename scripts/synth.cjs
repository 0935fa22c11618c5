#!/usr/bin/env node
// `npm run synth` (and the app of cdktf.json): compiles main.ts with esbuild (stacks/compile-app.cjs)
// and runs it. The compiled app is reused while its sources are unchanged, and written beside and
// renamed into place, so two synths started at once never run a half-written file. Every failure ends in one coded line, never a stack trace (main.ts reports its own
// failures the same way).
"use strict";
const path = require("node:path");
const { compileCached } = require("../stacks/compile-app.cjs");

const root = path.resolve(__dirname, "..");
const outfile = path.join(root, "dist", "app", "main.cjs");
try {
  compileCached(root, outfile, "main.ts");
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
