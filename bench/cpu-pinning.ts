/**
 * Which cores the benchmark's processes run on. On a machine with two or more CPUs the measured proxy
 * (the gateway, or the bare reference proxy) gets the last CPU to itself and the simulator and the load
 * generator share the others, for the direct runs too: otherwise "vs direct" on a small machine
 * measures how the proxy, the simulator and the load generator fight for the same cores. `taskset`
 * (util-linux) applies it; without it, or with one CPU, or with `--no-pin`, nothing is pinned.
 */
import { spawnSync } from 'node:child_process';

/** The CPU lists (`taskset -c` syntax) of both groups, or null when nothing is pinned. */
export interface CpuPinning {
  /** The measured proxy's core, e.g. `1`. */
  proxyCpus: string;
  /** The simulator's and the load generator's cores, e.g. `0` or `0-2`. */
  loadCpus: string;
}

/** A program and its arguments, as `spawn` takes them. */
export interface Command {
  file: string;
  args: string[];
}

/** Splits `cpus` (the CPUs this process may use, ascending) into the proxy's last one and the rest. */
export function planPinning(cpus: readonly number[], enabled: boolean): CpuPinning | null {
  if (!enabled || cpus.length < 2) return null;
  const proxy = cpus.at(-1) as number;
  return { proxyCpus: String(proxy), loadCpus: cpus.slice(0, -1).join(',') };
}

/** `file args…` run on `cpus`, or unchanged without a CPU list. */
export function pinnedCommand(command: Command, cpus: string | undefined): Command {
  if (cpus === undefined) return command;
  return { file: 'taskset', args: ['-c', cpus, command.file, ...command.args] };
}

/** The CPUs this process may run on, from `taskset -pc` (empty when `taskset` is missing). */
export function readAllowedCpus(): number[] {
  const result = spawnSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
  if (result.status !== 0) return [];
  const list = /:\s*([\d,\s-]+)$/m.exec(result.stdout)?.[1];
  return list === undefined ? [] : parseCpuList(list);
}

/** `0-2,5` → [0, 1, 2, 5]. */
export function parseCpuList(list: string): number[] {
  const cpus = list.split(',').flatMap((part) => {
    const [first, last] = part.trim().split('-').map(Number) as [number, number | undefined];
    if (!Number.isInteger(first)) return [];
    const end = last === undefined ? first : last;
    return Array.from({ length: end - first + 1 }, (_, index) => first + index);
  });
  return [...new Set(cpus)].sort((a, b) => a - b);
}

/** One line for the report's Machine section. */
export function describePinning(pinning: CpuPinning | null): string {
  return pinning === null
    ? 'not pinned: every process shares every CPU'
    : `the measured proxy (gateway or reference) runs on CPU ${pinning.proxyCpus} alone (\`taskset -c ${pinning.proxyCpus}\`); the simulator and the load generator on CPU ${pinning.loadCpus}, for the direct runs too`;
}
