import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

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
