/** The hand-off as the tests make it: from a synth output of this project or of a copy of it. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHandoff } from "../handoff/cli";
import { PROJECT_ROOT, runSynth, synthOutput } from "./app";

/** Synthesizes `document` (or the built-in example) and hands it off; returns the folders. */
export async function synthAndHandOff(
  document?: Record<string, unknown>,
  projectRoot = PROJECT_ROOT,
): Promise<{ synthOut: string; handoffOut: string }> {
  const env: NodeJS.ProcessEnv = {};
  if (document !== undefined) {
    const file = join(mkdtempSync(join(tmpdir(), "scopegate-handoff-config-")), "config.json");
    writeFileSync(file, JSON.stringify(document));
    env.SCOPEGATE_CONFIG = file;
  }
  // In this project, the run's shared synth output; a copy of the project synthesizes itself.
  const synth = projectRoot === PROJECT_ROOT ? { outdir: synthOutput(env.SCOPEGATE_CONFIG) } : runSynth(env, projectRoot);
  if ("status" in synth && synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
  const handoffOut = join(mkdtempSync(join(tmpdir(), "scopegate-handoff-")), "handoff");
  const run = await runHandoff(["--from", synth.outdir, "--out", handoffOut], projectRoot, {
    SCOPEGATE_CONFIG: env.SCOPEGATE_CONFIG ?? "",
  });
  if (run.status !== 0) throw new Error(`handoff failed: ${run.stderr}`);
  return { synthOut: synth.outdir, handoffOut };
}
