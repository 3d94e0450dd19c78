/** The machine a benchmark ran on, as BENCHMARKS.md shows it. */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';

export interface MachineDescription {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  kernel: string;
  nodeVersion: string;
  /** 1-minute load average when the run started: other work on the machine shows here. */
  loadAverageAtStart: number;
}

/** Reads nproc, /proc/cpuinfo's model name, total memory, the kernel and Node's version. */
export function describeMachine(): MachineDescription {
  return {
    cpus: availableParallelism(),
    cpuModel: readCpuModel(),
    memoryBytes: totalmem(),
    kernel: release(),
    nodeVersion: process.version,
    loadAverageAtStart: loadavg()[0] ?? 0,
  };
}

function readCpuModel(): string {
  const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return match?.[1]?.trim() ?? 'unknown';
}
