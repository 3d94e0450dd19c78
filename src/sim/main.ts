import { startSimulator } from './simulator.ts';

/** Standalone simulator for `npm run sim` and the demo: SIM_HOST (127.0.0.1) and SIM_PORT (11434). */
async function main(): Promise<void> {
  const simulator = await startSimulator({
    host: process.env['SIM_HOST'] ?? '127.0.0.1',
    port: Number(process.env['SIM_PORT'] ?? 11434),
  });
  process.stdout.write(`Ollama simulator listening on ${simulator.url} (answers are simulated)\n`);
  const stop = (): void => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
