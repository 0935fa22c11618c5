/**
 * Where a hand-off is made, for `HANDOFF.md`'s way to make it again: the git commit checked out
 * (only when there is one: an exported tree has none, and a path is never recorded, so two clones
 * of one commit write the same words), and how the configuration was named.
 *
 * @packageDocumentation
 */
import { spawnSync } from "node:child_process";
import { basename, isAbsolute } from "node:path";
import type { HandoffOrigin } from "./handoff-md";

/**
 * The origin of a hand-off made in `projectDir` of a synth output built from `configuration`.
 *
 * @param projectDir - the project folder (where `npm run handoff` runs)
 * @param configuration - the configuration as the stack model records it: relative to the project
 *   (`scopegate.model.json`), `undefined` for the built-in example
 */
export function handoffOrigin(projectDir: string, configuration: string | undefined): HandoffOrigin {
  return { ...gitCommit(projectDir), ...configEnv(configuration) };
}

/** The commit checked out in `dir` and whether tracked files differ from it; nothing outside a git checkout. */
function gitCommit(dir: string): { commit?: string; uncommittedChanges?: boolean } {
  const head = spawnSync("git", ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], { cwd: dir, encoding: "utf8" });
  const commit = head.status === 0 ? head.stdout.trim() : "";
  if (!/^[0-9a-f]{40,64}$/.test(commit)) return {};
  const diff = spawnSync("git", ["diff", "--quiet", "HEAD", "--"], { cwd: dir, encoding: "utf8" });
  return { commit, uncommittedChanges: diff.status !== 0 };
}

/**
 * `SCOPEGATE_CONFIG`'s value for the rebuild command: the file relative to the project, or a
 * placeholder outside it. A file the cdktf context named is named the same way, since
 * `SCOPEGATE_CONFIG` reads it whatever the context holds.
 */
function configEnv(configuration: string | undefined): { configEnv?: string } {
  if (configuration === undefined) return {};
  if (configuration === "" || configuration.startsWith("../") || configuration === ".." || isAbsolute(configuration)) {
    return { configEnv: `<path to ${basename(configuration)}>` };
  }
  return { configEnv: configuration };
}
