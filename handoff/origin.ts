/**
 * Where a hand-off is made, for `HANDOFF.md`'s way to make it again: the git commit checked out
 * (only when there is one: an exported tree has none, and a path is never recorded, so two clones
 * of one commit write the same words), and how the configuration was named.
 *
 * @packageDocumentation
 */
import { spawnSync } from "node:child_process";
import { basename, isAbsolute, relative, resolve, sep } from "node:path";
import type { ConfigLocation } from "../stacks/config/location";
import type { HandoffOrigin } from "./handoff-md";

/**
 * The origin of a hand-off made in `projectDir` with the configuration at `location`.
 *
 * @param projectDir - the project folder (where `npm run handoff` runs)
 */
export function handoffOrigin(projectDir: string, location: ConfigLocation): HandoffOrigin {
  return { ...gitCommit(projectDir), ...configEnv(projectDir, location) };
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
function configEnv(projectDir: string, location: ConfigLocation): { configEnv?: string } {
  if (location.path === undefined) return {};
  const rel = relative(projectDir, resolve(projectDir, location.path));
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return { configEnv: `<path to ${basename(location.path)}>` };
  return { configEnv: rel.split(sep).join("/") };
}
