#!/usr/bin/env -S node --max-semi-space-size=8
import { enableCompileCache } from 'node:module';

// Node keeps compiled bytecode of the gateway and its dependencies on disk: later starts are faster.
enableCompileCache();

// Each command is imported when chosen: `serve` must not pay for the load generator or the simulator.

const USAGE = `llm-sidecar — an OpenAI-compatible gateway beside Ollama

Usage:
  llm-sidecar serve [--config FILE]      run the gateway (PORT, HOST, OLLAMA_URL, API_KEYS, ... see README)
  llm-sidecar bench --url URL [options]   load-test a gateway or an Ollama (llm-sidecar bench --help)
  llm-sidecar pull MODEL [--url URL]      pull a model through a running gateway, with progress
  llm-sidecar top [--url URL] [--once]    live view of a running gateway: models, queues, nodes, keys
  llm-sidecar keys hash | new --name X    SHA-256 of a key from stdin | a fresh key and its entry
  llm-sidecar usage [--url URL] [...]     requests and tokens per key, model and day (llm-sidecar usage --help)
  llm-sidecar sim [--port N]              run the Ollama simulator (answers are simulated)
  llm-sidecar demo                        the simulator and the gateway together, to try things out
`;

/** Dispatches the sub-command; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      return (await import('./run-serve-command.ts')).runServeCommand(rest);
    case 'bench':
      return (await import('./bench/run-bench-command.ts')).runBenchCommand(rest, { stdout: process.stdout, stderr: process.stderr });
    case 'pull':
      return (await import('./run-pull-command.ts')).runPullCommand(rest, { stdout: process.stdout, stderr: process.stderr });
    case 'top':
      return (await import('./top/run-top-command.ts')).runTopCommand(rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
    case 'keys':
      return (await import('./run-keys-command.ts')).runKeysCommand(rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    case 'usage':
      return (await import('./run-usage-command.ts')).runUsageCommand(rest, { stdout: process.stdout, stderr: process.stderr });
    case 'demo':
      return (await import('./run-demo-command.ts')).runDemoCommand();
    case 'sim':
      return (await import('./run-sim-command.ts')).runSimCommand(rest);
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
