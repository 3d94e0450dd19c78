/**
 * The parent's side of `simulator-child.ts`: forks it, waits until it listens, and sets its pacing
 * between scenarios over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { SimulatorOptions } from '../src/sim/simulator.ts';
import type { SimulatorCommand, SimulatorReport } from './simulator-child.ts';

/** A simulator running in a child process. */
export interface SimulatorProcess {
  pid: number;
  url: string;
  /** Applies pacing knobs; resolves once the simulator has them. */
  configure(options: Partial<SimulatorOptions>): Promise<void>;
  stop(): Promise<void>;
}

const childScript = new URL('./simulator-child.ts', import.meta.url);

/** Forks the simulator on a free loopback port, on `cpus` (a `taskset -c` list) when given. */
export async function startSimulatorProcess(cpus?: string): Promise<SimulatorProcess> {
  // fork runs `execPath ...execArgv script`; with taskset in front, the IPC channel passes through its exec.
  const pinned = cpus === undefined ? {} : { execPath: 'taskset', execArgv: ['-c', cpus, process.execPath, ...process.execArgv] };
  const child = fork(childScript, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...pinned });
  const listening = await nextReport(child);
  if (listening.kind !== 'listening') throw new Error(`simulator said ${listening.kind} before listening`);
  return {
    pid: child.pid as number,
    url: listening.url,
    async configure(options) {
      const configured = nextReport(child);
      child.send({ kind: 'configure', options } satisfies SimulatorCommand);
      await configured;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

function nextReport(child: ChildProcess): Promise<SimulatorReport> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`simulator exited with code ${code}`));
    child.once('exit', onExit);
    child.once('message', (report: SimulatorReport) => {
      child.off('exit', onExit);
      resolve(report);
    });
  });
}
