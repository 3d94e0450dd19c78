import { startSimulator } from '../sim/simulator.ts';
import { answerUnlessParsed, parseCommandArgs, type CommandIo } from './parse-command-args.ts';
import { parsePort } from './parse-port.ts';

export const simUsage = `Usage: llm-sidecar sim [--port N] [--host H]

Runs the Ollama simulator on its own: Ollama's native API with simulated, deterministic answers.
  --port N    port to listen on (default: $SIM_PORT or 11434; 0 picks a free one)
  --host H    address to listen on (default: $SIM_HOST or 127.0.0.1)
  -h, --help  this text
`;

/** `llm-sidecar sim [--port N] [--host H]`: the Ollama simulator, standalone, until SIGTERM or Ctrl-C. */
export async function runSimCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs(args, { port: { type: 'string' }, host: { type: 'string' } });
  const answered = answerUnlessParsed(parsed, simUsage, io);
  if (answered !== undefined || parsed.kind !== 'parsed') return answered ?? 2;
  const port = parsePort(parsed.values.port ?? process.env['SIM_PORT'] ?? '11434');
  if (port === undefined) {
    io.stderr.write(`--port must be a whole number from 0 to 65535\n\n${simUsage}`);
    return 2;
  }
  const simulator = await startSimulator({ host: parsed.values.host ?? process.env['SIM_HOST'] ?? '127.0.0.1', port });
  io.stdout.write(`Ollama simulator listening on ${simulator.url} (answers are simulated, not from a real model)\n`);
  const stop = (): void => void simulator.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return 0;
}
