/**
 * Runs a command as a child process and measures its wall time and peak memory: with GNU time
 * (`/usr/bin/time`, maximum resident set size of the largest process in the tree) when present,
 * else by polling `VmHWM` in /proc for the process tree.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** What {@link runMeasured} observed. */
export interface ProcessMeasurement {
  /** From spawn to exit, milliseconds. */
  readonly wallMs: number;
  /** Peak resident set size of the largest process of the tree, bytes; `undefined` when unknown. */
  readonly peakRssBytes: number | undefined;
  /** Exit code (`null` when killed by a signal). */
  readonly exitCode: number | null;
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
}

/** Options of {@link runMeasured}. */
export interface RunMeasuredOptions {
  /** Working directory. */
  readonly cwd: string;
  /** The whole environment of the child. */
  readonly env: NodeJS.ProcessEnv;
  /**
   * The child (and its process group) is killed after this long.
   *
   * @default 300000
   */
  readonly timeoutMs?: number;
}

const GNU_TIME = "/usr/bin/time";
let gnuTimeUsable: boolean | undefined;

/** Whether `/usr/bin/time -f %M -o <file>` works here (GNU time). */
export function hasGnuTime(): boolean {
  if (gnuTimeUsable === undefined) {
    gnuTimeUsable = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ["-f", "%M", "-o", "/dev/null", "true"], { stdio: "ignore" }).status === 0;
  }
  return gnuTimeUsable;
}

/** How peak memory is measured on this machine, for the reports. */
export function peakMemoryMethod(): string {
  return hasGnuTime()
    ? "GNU time's maximum resident set size (the largest single process of the tree)"
    : "the largest VmHWM of the process tree, polled every 20 ms from /proc";
}

function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, "utf8")
        .split(" ")
        .filter((word) => word.trim() !== "")
        .map(Number),
    );
  } catch {
    return [];
  }
}

function vmHwmBytes(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

function treePeakBytes(rootPid: number): number {
  let peak = 0;
  const pending = [rootPid];
  for (let visited = 0; pending.length > 0 && visited < 1000; visited += 1) {
    const pid = pending.pop()!;
    peak = Math.max(peak, vmHwmBytes(pid));
    pending.push(...childPids(pid));
  }
  return peak;
}

/**
 * Runs `command args` and measures it.
 *
 * @param command - the executable
 * @param args - its arguments
 * @param options - working directory, environment, timeout
 * @returns wall time, peak memory, exit code and output
 */
export async function runMeasured(command: string, args: readonly string[], options: RunMeasuredOptions): Promise<ProcessMeasurement> {
  const useTime = hasGnuTime();
  const timeDir = useTime ? mkdtempSync(path.join(tmpdir(), "scopegate-bench-time-")) : undefined;
  const timeFile = timeDir === undefined ? undefined : path.join(timeDir, "rss");
  const [file, argv] = timeFile === undefined ? [command, [...args]] : [GNU_TIME, ["-f", "%M", "-o", timeFile, command, ...args]];
  const started = performance.now();
  const child = spawn(file, argv, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  let polledPeak = 0;
  const poller = useTime ? undefined : setInterval(() => (polledPeak = Math.max(polledPeak, treePeakBytes(child.pid ?? 0))), 20);
  const killer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  }, options.timeoutMs ?? 300_000);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  }).finally(() => {
    clearTimeout(killer);
    if (poller !== undefined) clearInterval(poller);
  });
  const wallMs = performance.now() - started;
  let peakRssBytes: number | undefined = polledPeak > 0 ? polledPeak : undefined;
  if (timeFile !== undefined) {
    const kib = Number(readFileSync(timeFile, "utf8").trim().split("\n").pop());
    peakRssBytes = Number.isFinite(kib) && kib > 0 ? kib * 1024 : undefined;
    rmSync(timeDir!, { recursive: true, force: true });
  }
  return { wallMs, peakRssBytes, exitCode, stdout, stderr };
}
