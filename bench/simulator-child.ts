/**
 * The benchmark's simulator, in a process of its own so its CPU never counts against the gateway:
 * `fork`ed by `start-simulator-process.ts`, it reports `{ kind: 'listening', url }` over IPC, applies
 * `{ kind: 'configure', options }` messages (pacing knobs) and answers `{ kind: 'configured' }`,
 * and exits when its parent disconnects.
 */
import { startSimulator, type SimulatorOptions } from '../src/sim/simulator.ts';

/** Messages the parent sends. */
export type SimulatorCommand = { kind: 'configure'; options: Partial<SimulatorOptions> };
/** Messages this process sends back. */
export type SimulatorReport = { kind: 'listening'; url: string } | { kind: 'configured' };

const send = (report: SimulatorReport): void => void process.send?.(report);

if (import.meta.main) {
  const simulator = await startSimulator({ host: '127.0.0.1', port: 0 });
  process.on('message', (command: SimulatorCommand) => {
    if (command.kind !== 'configure') return;
    simulator.setOptions(command.options);
    send({ kind: 'configured' });
  });
  process.once('disconnect', () => void simulator.close().then(() => process.exit(0)));
  send({ kind: 'listening', url: simulator.url });
}
