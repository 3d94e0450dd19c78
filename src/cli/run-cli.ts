import { enableCompileCache } from 'node:module';

// Node keeps compiled bytecode of the gateway and its dependencies on disk: later starts are faster.
enableCompileCache();

// Each command is imported when chosen: `serve` must not pay for the load generator or the simulator.

const USAGE = `llm-sidecar — an OpenAI-compatible gateway beside Ollama

Usage:
  llm-sidecar serve [--config FILE]      run the gateway (PORT, HOST, OLLAMA_URL, API_KEYS, ... see README)
  llm-sidecar bench --url URL [options]   load-test a gateway or an Ollama
  llm-sidecar pull MODEL [--url URL]      pull a model through a running gateway, with progress
  llm-sidecar top [--url URL] [--once]    live view of a running gateway: models, queues, nodes, keys
  llm-sidecar keys hash | new --name X    SHA-256 of a key from stdin | a fresh key and its entry
  llm-sidecar usage [--url URL] [...]     requests and tokens per key, model and day
  llm-sidecar sim [--port N]              run the Ollama simulator (answers are simulated)
  llm-sidecar demo                        the simulator and the gateway together, to try things out

Every command takes --help. Without a command, \`serve\` runs.
`;

const io = { stdout: process.stdout, stderr: process.stderr };

/** Dispatches the sub-command; resolves to the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      return (await import('./run-serve-command.ts')).runServeCommand(rest, io);
    case 'bench':
      return (await import('./bench/run-bench-command.ts')).runBenchCommand(rest, io);
    case 'pull':
      return (await import('./run-pull-command.ts')).runPullCommand(rest, io);
    case 'top':
      return (await import('./top/run-top-command.ts')).runTopCommand(rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
    case 'keys':
      return (await import('./run-keys-command.ts')).runKeysCommand(rest, { stdin: process.stdin, ...io });
    case 'usage':
      return (await import('./run-usage-command.ts')).runUsageCommand(rest, io);
    case 'demo':
      return (await import('./run-demo-command.ts')).runDemoCommand(rest, io);
    case 'sim':
      return (await import('./run-sim-command.ts')).runSimCommand(rest, io);
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    default:
      // `llm-sidecar --config x.yaml` means serve, as a bare `llm-sidecar` does.
      if (command.startsWith('-')) return (await import('./run-serve-command.ts')).runServeCommand(argv, io);
      process.stderr.write(`Unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}
