#!/usr/bin/env node
// `npm run check|matrix|review|handoff|adopt`: compiles scripts/<tool>.ts with esbuild (stacks/compile-app.cjs),
// once per change of the files it reads (the compiled file is kept in dist/tools/), and runs it with
// the remaining arguments. No TypeScript loader on this path: a tool starts as fast as Node does.
"use strict";
const path = require("node:path");
const { compileCached } = require("../stacks/compile-app.cjs");

const TOOLS = ["check", "matrix", "review", "handoff", "adopt"];
const root = path.resolve(__dirname, "..");
const tool = process.argv[2];
if (!TOOLS.includes(tool)) {
  process.stderr.write(`scripts/tool.cjs: the first argument names the tool: one of ${TOOLS.join(", ")}, got ${JSON.stringify(tool)}\n`);
  process.exit(2);
}
const outfile = path.join(root, "dist", "tools", `${tool}.cjs`);
try {
  compileCached(root, outfile, path.join("scripts", `${tool}.ts`));
} catch {
  process.stderr.write(
    `scripts/${tool}.ts and the files it imports do not compile (esbuild's messages above); fix them (npm run build type-checks too)\n`,
  );
  process.exit(2);
}
// The tool reads its arguments from process.argv.slice(2), as when it runs as scripts/<tool>.ts.
process.argv.splice(2, 1);
require(outfile);
