import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "../testing/app";

// Short rooms (eslint.config.mjs): no function over 80 lines outside tests, their support and the
// benchmarks. npm run lint holds the tree to it; this shows the rule failing where it applies.

const ESLINT = join(PROJECT_ROOT, "node_modules", "eslint", "bin", "eslint.js");

/** ESLint's findings for `text` as if it were the file `path` of this project. */
function lint(path: string, text: string): string[] {
  const run = spawnSync(process.execPath, [ESLINT, "--format", "json", "--stdin", "--stdin-filename", path], {
    cwd: PROJECT_ROOT,
    input: text,
    encoding: "utf8",
  });
  if (run.stdout === "") throw new Error(`ESLint did not run (exit ${run.status}): ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null }[] }[];
  return result!.messages.map((message) => String(message.ruleId));
}

/** A function of `lines` lines in all, its braces included. */
function functionOf(lines: number): string {
  const body = Array.from({ length: lines - 4 }, (_, i) => `  total += ${i};`);
  return ["export function long(): number {", "  let total = 0;", ...body, "  return total;", "}", ""].join("\n");
}

test("GIVEN a function of 81 lines THEN lint refuses it in the product's folders, and leaves tests, their support and the benchmarks alone", () => {
  for (const path of ["stacks/long.ts", "functions/authorizer/long.ts", "review/long.ts", "core/long.ts"])
    expect({ path, rules: lint(path, functionOf(81)) }).toEqual({ path, rules: ["max-lines-per-function"] });
  for (const path of ["__tests__/long.test.ts", "testing/long.ts", "bench/long.ts"])
    expect({ path, rules: lint(path, functionOf(81)) }).toEqual({ path, rules: [] });
  // 80 lines are allowed
  expect(lint("stacks/long.ts", functionOf(80))).toEqual([]);
});
