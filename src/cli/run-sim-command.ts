import { parseArgs } from 'node:util';
import { startSimulator } from '../sim/simulator.ts';

/** `llm-sidecar sim [--port N] [--host H] [--openai]`: the Ollama simulator (or, with `--openai`, an OpenAI-compatible one), standalone. */
export async function runSimCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string', default: process.env['SIM_PORT'] ?? '11434' }, host: { type: 'string', default: process.env['SIM_HOST'] ?? '127.0.0.1' }, openai: { type: 'boolean', default: false } },
    strict: true,
  });
  const simulator = await startSimulator({ host: values.host, port: Number(values.port), dialect: values.openai ? 'openai' : 'ollama' });
  process.stdout.write(`${values.openai ? 'OpenAI-compatible' : 'Ollama'} simulator listening on ${simulator.url} (answers are simulated, not from a real model)\n`);
  const stop = (): void => void simulator.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return 0;
}
