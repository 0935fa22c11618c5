/**
 * The Cedar twin of each stack (`cedar/`, `docs/cedar.md`), checked by `npm run check`: its files
 * must be exactly what the stack's model (`scopegate.model.json`, its digest verified) gives, and
 * valid against their schema with Cedar's validator. A twin edited after synth, or missing, is not
 * a finding to suppress but an output that is not what synth wrote: the check stops.
 *
 * @packageDocumentation
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readSynthOutput, requireStackModels } from "../core/synth-output";
import { cedarTwinProblems } from "../stacks/cedar/cedar-wasm";
import { CEDAR_FOLDER, cedarTwinFiles, renderCedarTwin } from "../stacks/cedar/render";
import type { ScopegateConfig } from "../stacks/config/model";
import { CheckError } from "./errors";

/** The first line where two texts differ, 1-based. */
function firstDifferentLine(actual: string, expected: string): number {
  const a = actual.split("\n");
  const e = expected.split("\n");
  let line = 0;
  while (line < Math.max(a.length, e.length) && a[line] === e[line]) line++;
  return line + 1;
}

/**
 * What is wrong with one stack's twin.
 *
 * @param folder - the stack's folder
 * @param model - the stack's resolved configuration model
 * @returns one line per problem (`<file>: …`); empty when the twin is what synth writes and valid
 */
export function cedarTwinFileProblems(folder: string, model: ScopegateConfig): string[] {
  const expected = cedarTwinFiles(renderCedarTwin(model));
  const problems: string[] = [];
  const found = new Map<string, string>();
  for (const [name, text] of expected) {
    const file = join(folder, CEDAR_FOLDER, name);
    if (!existsSync(file)) {
      problems.push(`${name} is missing`);
      continue;
    }
    const actual = readFileSync(file, "utf8");
    found.set(name, actual);
    if (actual !== text) {
      problems.push(`${name} differs from what the stack's scopegate.model.json gives (first at line ${firstDifferentLine(actual, text)})`);
    }
  }
  if (found.size === expected.size) problems.push(...cedarTwinProblems(found));
  return problems;
}

/**
 * Checks the twin of every stack of a synth output.
 *
 * @param outdir - the output folder
 * @param label - the folder as the user named it
 * @throws CheckError `ERR_CHECK_CEDAR` naming the stack's `cedar/` folder and every problem;
 *   `ERR_CHECK_BAD_OUTPUT` when the output cannot be read
 */
export function verifyCedarTwins(outdir: string, label: string): void {
  const bad = (message: string) => new CheckError("ERR_CHECK_BAD_OUTPUT", message);
  const stacks = requireStackModels(readSynthOutput(outdir, { label, fail: (_problem, message) => bad(message) }), label, bad);
  for (const stack of stacks) {
    const problems = cedarTwinFileProblems(stack.folder, stack.model.model as unknown as ScopegateConfig);
    if (problems.length > 0) {
      throw new CheckError(
        "ERR_CHECK_CEDAR",
        `${join(label, stack.relativeFolder, CEDAR_FOLDER)}: ${problems.join("; ")}; the twin is not what "npm run synth" wrote ` +
          'from this stack\'s model: never deploy or hand off this output, run "npm run synth" again',
      );
    }
  }
}
