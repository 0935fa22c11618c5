import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../testing/app";

const { compileCached } = require("../../stacks/compile-app.cjs") as {
  compileCached: (root: string, outfile: string, entry: string) => boolean;
};

describe("scripts/tool.cjs and compileCached: the tools run compiled, not through a TypeScript loader", () => {
  test("compiles an entry once, again only when a file it reads changes", () => {
    // GIVEN a small project: an entry that imports a second file
    const root = mkdtempSync(join(tmpdir(), "scopegate-tool-compile-"));
    writeFileSync(join(root, "entry.ts"), 'import { word } from "./word";\nconsole.log(word);\n');
    writeFileSync(join(root, "word.ts"), 'export const word: string = "one";\n');
    const outfile = join(root, "out", "entry.cjs");
    // WHEN compiled twice THEN only the first compiles, and the file runs
    expect(compileCached(root, outfile, "entry.ts")).toBe(true);
    expect(compileCached(root, outfile, "entry.ts")).toBe(false);
    expect(spawnSync(process.execPath, [outfile], { encoding: "utf8" }).stdout).toBe("one\n");
    // WHEN the imported file changes THEN it compiles again, with the change
    writeFileSync(join(root, "word.ts"), 'export const word: string = "two";\n');
    expect(compileCached(root, outfile, "entry.ts")).toBe(true);
    expect(spawnSync(process.execPath, [outfile], { encoding: "utf8" }).stdout).toBe("two\n");
    expect(JSON.parse(readFileSync(`${outfile}.inputs.json`, "utf8")).files).toEqual(["entry.ts", "word.ts"]);
  });

  test("runs each tool with the arguments after its name, and a second start reuses the compiled file", () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ["scripts/tool.cjs", ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });
    for (const tool of ["check", "matrix", "review", "handoff", "adopt"]) {
      const help = run(tool, "--help");
      expect({ tool, status: help.status, stderr: help.stderr }).toEqual({ tool, status: 0, stderr: "" });
      expect(help.stdout).toMatch(new RegExp(`^Usage: npm run ${tool}`));
    }
    const compiled = join(PROJECT_ROOT, "dist", "tools", "check.cjs");
    const before = statSync(compiled).mtimeMs;
    expect(run("check", "--help").status).toBe(0);
    expect(statSync(compiled).mtimeMs).toBe(before);
  });

  test("fails (exit 2) when the first argument names no tool", () => {
    const run = spawnSync(process.execPath, ["scripts/tool.cjs", "deploy"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'scripts/tool.cjs: the first argument names the tool: one of check, matrix, review, handoff, adopt, got "deploy"\n',
    );
  });
});
