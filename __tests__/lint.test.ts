import { spawnSync } from "node:child_process";
import { PROJECT_ROOT } from "../testing/app";

// Short rooms (eslint.config.mjs): no function over 80 lines outside tests, their support and the
// benchmarks. npm run lint holds the tree to it; this shows the rule failing where it applies.

/** ESLint's rule ids for each text as if it were the file of this project named beside it, in one ESLint process. */
function lint(files: readonly (readonly [path: string, text: string])[]): string[][] {
  const script = [
    'import { ESLint } from "eslint";',
    'import { join } from "node:path";',
    'import { readFileSync } from "node:fs";',
    "const eslint = new ESLint({ cwd: process.cwd() });",
    "const found = [];",
    'for (const [path, text] of JSON.parse(readFileSync(0, "utf8"))) {',
    "  const [result] = await eslint.lintText(text, { filePath: join(process.cwd(), path) });",
    "  found.push(result.messages.map((message) => String(message.ruleId)));",
    "}",
    "process.stdout.write(JSON.stringify(found));",
  ].join("\n");
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: PROJECT_ROOT,
    input: JSON.stringify(files),
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`ESLint did not run (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

/** A function of `lines` lines in all, its braces included. */
function functionOf(lines: number): string {
  const body = Array.from({ length: lines - 4 }, (_, i) => `  total += ${i};`);
  return ["export function long(): number {", "  let total = 0;", ...body, "  return total;", "}", ""].join("\n");
}

test("GIVEN a function of 81 lines THEN lint refuses it in the product's folders, and leaves tests, their support and the benchmarks alone", () => {
  const refused = ["stacks/long.ts", "functions/authorizer/long.ts", "review/long.ts", "core/long.ts"];
  const allowed = ["__tests__/long.test.ts", "testing/long.ts", "bench/long.ts"];
  const found = lint([...[...refused, ...allowed].map((path) => [path, functionOf(81)] as const), ["stacks/long.ts", functionOf(80)]]);
  expect(found).toEqual([
    ...refused.map(() => ["max-lines-per-function"]),
    ...allowed.map(() => []),
    // 80 lines are allowed
    [],
  ]);
});
