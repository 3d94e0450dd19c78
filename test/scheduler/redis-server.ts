import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A `redis-server` started for one test file. */
export interface RunningRedis {
  url: string;
  /** Kills it (SIGKILL: what a crash looks like) and waits for the exit. */
  stop(): Promise<void>;
}

/** Why the Redis tests cannot run here, or null when `redis-server` is installed. */
export function findRedisUnavailableReason(): string | null {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return probe.error === undefined ? null : 'redis-server is not installed (apt-get install redis-server)';
}

/** Redis cannot listen on port 0: take a free port from the kernel, release it, hand it to Redis. */
async function findFreePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts a throw-away redis-server on 127.0.0.1 with persistence off (on `port`, to restart one); resolves once it is ready. */
export async function startRedisServer(port?: number): Promise<RunningRedis> {
  port ??= await findFreePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  const exited = once(child, 'exit');
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
