import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliEntry = join(repoRoot, 'src/cli/main.ts');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Only these variables (and PATH) reach the process: nothing from the developer's shell. */
  env?: Record<string, string>;
  /** Which node runs the entry (default: this one). */
  node?: string;
  entry?: string;
}

/** A folder of its own, so a developer's `.env` in the repository does not reach the process. */
export const scratchFolder = (): string => mkdtempSync(join(tmpdir(), 'llm-sidecar-cli-'));

function spawnCli(args: string[], options: CliOptions): ChildProcess {
  return spawn(options.node ?? process.execPath, [options.entry ?? cliEntry, ...args], {
    cwd: scratchFolder(),
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `llm-sidecar ARGS` to its end. */
export async function runCliToEnd(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** A long-running `llm-sidecar ARGS` (serve, demo), once its stdout matches `ready`. */
export interface RunningCli {
  child: ChildProcess;
  stdout: () => string;
  match: RegExpMatchArray;
  /** Resolves once stdout matches `pattern` (already or later). */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

export async function startCli(args: string[], ready: RegExp, options: CliOptions = {}): Promise<RunningCli> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (match: RegExpMatchArray) => void }> = [];
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of waiters.slice()) {
      const match = stdout.match(waiter.pattern);
      if (match === null) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(match);
    }
  });
  const exited = once(child, 'exit');
  const waitForOutput = (pattern: RegExp): Promise<RegExpMatchArray> => {
    const match = stdout.match(pattern);
    return match === null ? new Promise((resolve) => waiters.push({ pattern, resolve })) : Promise.resolve(match);
  };
  const match = await Promise.race([
    waitForOutput(ready),
    exited.then(([code]) => {
      throw new Error(`llm-sidecar ${args.join(' ')} exited (${String(code)}) before ${String(ready)}: ${stderr}${stdout}`);
    }),
  ]);
  return {
    child,
    stdout: () => stdout,
    match,
    waitForOutput,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
