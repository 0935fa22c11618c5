/**
 * Runs a benchmark in a child process whose stdout is a pipe that this process drains, as Lambda's
 * stdout is: the authorizer's default log sink (`process.stdout.write`, synchronous on a pipe on
 * Linux) then costs in the benchmark what it costs in Lambda. The child sends its report back on
 * file descriptor 3.
 *
 * @see https://nodejs.org/api/process.html#a-note-on-process-io
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, constants, fstatSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Readable } from "node:stream";
import type { BenchReport } from "./report";

const CHILD_VARIABLE = "SCOPEGATE_BENCH_STDOUT_PIPE";
/** The child's file descriptor for its report. */
export const REPORT_FD = 3;

/** Whether this process is the child of {@link runWithStdoutPipe}. */
export function isStdoutPipeChild(): boolean {
  return process.env[CHILD_VARIABLE] === "1";
}

/** Whether this process's stdout is a pipe (a FIFO), as in Lambda. */
export function stdoutIsPipe(): boolean {
  return fstatSync(1).isFIFO();
}

/** What the parent saw of the child's stdout. */
export interface DrainedOutput {
  /** Lines read from the child's stdout. */
  readonly lines: number;
  /** Bytes read from the child's stdout. */
  readonly bytes: number;
}

/**
 * Re-runs `scriptPath` with the same node flags in a child whose stdout is a pipe drained here: a
 * FIFO (`mkfifo`), because the `"pipe"` of `child_process` is a Unix socket pair.
 *
 * @param scriptPath - the benchmark script (its `runAsScript` answers on fd 3 in the child)
 * @param flags - the benchmark's flags, passed on (`benchFlags` of cli.ts)
 * @returns the child's report and what its stdout carried
 * @throws Error when the child fails or sends no report
 */
export function runWithStdoutPipe(scriptPath: string, flags: readonly string[]): Promise<{ report: BenchReport; drained: DrainedOutput }> {
  const fifoDir = mkdtempSync(path.join(tmpdir(), "scopegate-bench-stdout-"));
  const fifo = path.join(fifoDir, "stdout");
  const made = spawnSync("mkfifo", ["-m", "600", fifo]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr?.toString() ?? made.error?.message}`);
  // Opening the read end without blocking first lets the write end open at once.
  const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeFd = openSync(fifo, constants.O_WRONLY);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, scriptPath, ...flags], {
      env: { ...process.env, [CHILD_VARIABLE]: "1" },
      stdio: ["ignore", writeFd, "inherit", "pipe"],
    });
    closeSync(writeFd);
    rmSync(fifoDir, { recursive: true, force: true });
    const stdout = new Socket({ fd: readFd, readable: true, writable: false });
    let lines = 0;
    let bytes = 0;
    stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines += 1;
    });
    let reportText = "";
    (child.stdio[REPORT_FD] as Readable).on("data", (chunk: Buffer) => (reportText += chunk.toString("utf8")));
    child.once("error", reject);
    const drainedAll = new Promise<void>((resolveDrained) => stdout.once("close", () => resolveDrained()));
    child.once("close", (code) => {
      void drainedAll.then(() => {
        if (code !== 0 || reportText === "") {
          reject(new Error(`the benchmark child exited with ${code} and ${reportText === "" ? "no" : "a"} report`));
        } else resolve({ report: JSON.parse(reportText) as BenchReport, drained: { lines, bytes } });
      });
    });
  });
}
