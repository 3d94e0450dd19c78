/** The machine a benchmark ran on, as BENCHMARKS.md shows it. */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';
import { describePinning, type CpuPinning } from './cpu-pinning.ts';

export interface MachineDescription {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  kernel: string;
  nodeVersion: string;
  /** 1-minute load average when the run started: other work on the machine shows here. */
  loadAverageAtStart: number;
  /** Which process ran on which CPUs. */
  pinning: string;
}

/** Reads nproc, /proc/cpuinfo's model name, total memory, the kernel and Node's version; says how `pinning` placed the processes. */
export function describeMachine(pinning: CpuPinning | null): MachineDescription {
  return {
    cpus: availableParallelism(),
    cpuModel: readCpuModel(),
    memoryBytes: totalmem(),
    kernel: release(),
    nodeVersion: process.version,
    loadAverageAtStart: loadavg()[0] ?? 0,
    pinning: describePinning(pinning),
  };
}

function readCpuModel(): string {
  const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return match?.[1]?.trim() ?? 'unknown';
}
