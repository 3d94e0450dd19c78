#!/usr/bin/env node
import { runBenchCommand } from './bench/run-bench-command.ts';
import { runDemoCommand } from './run-demo-command.ts';
import { runServeCommand } from './run-serve-command.ts';
import { runSimCommand } from './run-sim-command.ts';

const USAGE = `llm-sidecar — an OpenAI-compatible gateway beside Ollama

Usage:
  llm-sidecar serve [--config FILE]      run the gateway (PORT, HOST, OLLAMA_URL, API_KEYS, ... see README)
  llm-sidecar bench --url URL [options]   load-test a gateway or an Ollama (llm-sidecar bench --help)
  llm-sidecar sim [--port N]              run the Ollama simulator (answers are simulated)
  llm-sidecar demo                        the simulator and the gateway together, to try things out
`;

/** Dispatches the sub-command; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServeCommand(rest);
    case 'bench':
      return runBenchCommand(rest, { stdout: process.stdout, stderr: process.stderr });
    case 'demo':
      return runDemoCommand();
    case 'sim':
      return runSimCommand(rest);
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

// Only parse when run as the bin, not when imported by tests.
if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
