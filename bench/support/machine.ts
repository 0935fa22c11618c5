/** A description of the machine a benchmark ran on, without hostnames, users or paths. */
import { readFileSync } from "node:fs";
import * as os from "node:os";

/** The machine, as recorded in bench/RESULTS.md. */
export interface MachineDescription {
  /** CPU model name (from /proc/cpuinfo, else `os.cpus()`). */
  readonly cpuModel: string;
  /** Logical CPUs available to this process. */
  readonly logicalCpus: number;
  /** Total memory, bytes. */
  readonly totalMemoryBytes: number;
  /** `process.version`. */
  readonly nodeVersion: string;
  /** `linux x64`, … */
  readonly platform: string;
  /** 1-minute load average when the description was taken (how busy the machine was). */
  readonly loadAverage1m: number;
}

function cpuModelFromProcCpuinfo(): string | undefined {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((candidate) => candidate.startsWith("model name"));
    return line?.slice(line.indexOf(":") + 1).trim();
  } catch {
    return undefined;
  }
}

/** Describes this machine. */
export function describeMachine(): MachineDescription {
  return {
    cpuModel: cpuModelFromProcCpuinfo() ?? os.cpus()[0]?.model ?? "unknown",
    logicalCpus: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    nodeVersion: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    loadAverage1m: os.loadavg()[0] ?? 0,
  };
}

/** One line: `Intel(R) Xeon(R) …, 2 logical CPUs, 23.4 GiB memory, Node v20.20.2, linux x64`. */
export function machineSummary(machine: MachineDescription): string {
  const memoryGiB = (machine.totalMemoryBytes / 2 ** 30).toFixed(1);
  return `${machine.cpuModel}, ${machine.logicalCpus} logical CPUs, ${memoryGiB} GiB memory, Node ${machine.nodeVersion}, ${machine.platform}`;
}
