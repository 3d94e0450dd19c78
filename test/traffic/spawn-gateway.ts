import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A real `llm-sidecar serve` process, as an operator runs it. */
export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** Its stdout log lines, parsed, as they arrive. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Resolves once a log line with this `msg` has been written. */
  whenLogged(message: string): Promise<Record<string, unknown>>;
  /** Replaces the config file the process was started with (for SIGHUP). */
  writeConfig(config: Record<string, unknown>): void;
  /** SIGKILL unless it already exited; removes its config folder. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  ollamaUrl: string;
  config: Record<string, unknown>;
  env?: Record<string, string>;
}

/** Starts `node src/cli/main.ts serve --config FILE` on a free port and resolves once it is ready. */
export async function spawnGateway(options: SpawnOptions): Promise<GatewayProcess> {
  const folder = mkdtempSync(join(tmpdir(), 'llm-sidecar-traffic-'));
  const configFile = join(folder, 'config.json');
  const writeConfig = (config: Record<string, unknown>): void => writeFileSync(configFile, JSON.stringify(config));
  writeConfig(options.config);
  const child = spawn(process.execPath, [join(repoRoot, 'src/cli/main.ts'), 'serve', '--config', configFile], {
    // Its own folder: a developer's `.env` in the repository must not reach the process.
    cwd: folder,
    // Only what the test sets: nothing from the developer's shell (API_KEYS, REDIS_URL...) leaks in.
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', OLLAMA_URL: options.ollamaUrl, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const watchers: Array<{ message: string; resolve: (line: Record<string, unknown>) => void }> = [];
  let stderr = '';
  let partial = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const text of lines) {
      if (text.trim() === '') continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      logs.push(line);
      for (const watcher of watchers.filter((candidate) => candidate.message === line['msg'])) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve(line);
      }
    }
  });
  const exited = once(child, 'exit').then(([code, signal]) => (code as number | null) ?? (signal as string));
  const whenLogged = (message: string): Promise<Record<string, unknown>> => {
    const seen = logs.find((line) => line['msg'] === message);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => watchers.push({ message, resolve }));
  };
  const listening = await Promise.race([
    whenLogged('llm-sidecar listening'),
    exited.then((code) => {
      throw new Error(`the gateway exited (${code}) before listening: ${stderr}`);
    }),
  ]);
  const url = listening['url'] as string;
  // Readiness follows the first health check of Ollama, made just after the server listens.
  while ((await fetch(`${url}/readyz`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 10));
  return {
    url,
    child,
    logs,
    exited,
    whenLogged,
    writeConfig,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
