import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { digestOf, runDir, sharedInRun } from "./run-cache";

/** The project root. */
export const PROJECT_ROOT = resolve(__dirname, "..");

/** Result of running the app the way `npm run synth` does. */
export interface SynthRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The output folder the app was told to write to. */
  readonly outdir: string;
}

/**
 * Runs `main.ts` in a child process exactly as `npm run synth` does, writing into a fresh
 * temporary folder (`CDKTF_OUTDIR`). `projectRoot` runs another copy of the project.
 */
export function runSynth(env: NodeJS.ProcessEnv = {}, projectRoot: string = PROJECT_ROOT): SynthRun {
  const outdir = join(mkdtempSync(join(tmpdir(), "scopegate-synth-")), "cdktf.out");
  const child = spawnSync(process.execPath, ["scripts/synth.cjs"], {
    cwd: projectRoot,
    // INIT_CWD as npm sets it for a script run in `projectRoot` (the test runner's own would leak in).
    env: { ...process.env, SCOPEGATE_CONFIG: "", INIT_CWD: projectRoot, ...env, CDKTF_OUTDIR: outdir },
    encoding: "utf8",
    timeout: 120000,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, outdir };
}

/**
 * A synth output of the built-in example, or of the configuration file `config`, for a test that
 * starts from one (a test of synth itself uses {@link runSynth}): in a fresh temporary folder of
 * its own, which the test may change. Synthesized once per run for the same file and content
 * (`testing/run-cache.ts`), then copied: the output records the configuration's path, so the key is
 * the path and the content. Throws with the app's error when synth fails.
 */
export function synthOutput(config?: string): string {
  const key = digestOf("synth-output", PROJECT_ROOT, config ?? "", config === undefined ? "" : readFileSync(config));
  const shared = sharedInRun(`synth-${key}`, () => {
    const dir = runDir();
    const run = runSynth(config === undefined ? {} : { SCOPEGATE_CONFIG: config });
    if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
    if (dir === undefined) return run.outdir;
    const kept = join(dir, "synth", key, "cdktf.out");
    cpSync(run.outdir, kept, { recursive: true });
    rmSync(dirname(run.outdir), { recursive: true, force: true });
    return kept;
  });
  if (runDir() === undefined) return shared;
  const outdir = join(mkdtempSync(join(tmpdir(), "scopegate-synth-")), "cdktf.out");
  cpSync(shared, outdir, { recursive: true });
  return outdir;
}
