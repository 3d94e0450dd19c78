import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { createApp, type GatewayApp } from '../../src/app.ts';
import { buildConfig } from '../../src/config/load-config.ts';
import { chatModelKey, postChat } from './traffic-client.ts';

describe('connect timeout: an Ollama that stops accepting connections', () => {
  let ollama: ChildProcess;
  let gateway: GatewayApp;
  let server: Server;
  let url: string;
  const waiting: Socket[] = [];

  before(async () => {
    ollama = spawn(process.execPath, [new URL('./frozen-ollama.ts', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = readLines(ollama);
    const port = Number(await lines.next());
    const config = buildConfig({
      logLevel: 'silent',
      resources: { enabled: false },
      upstreams: [{ name: 'local', url: `http://127.0.0.1:${port}` }],
      modelListTtlMs: 60_000,
      defaults: { connectTimeoutMs: 200 },
      retries: { attempts: 1, baseDelayMs: 1, maxDelayMs: 2 },
      models: { [chatModelKey]: { maxConcurrent: 1 } },
    });
    gateway = createApp({ config, logger: pino({ level: 'silent' }), healthIntervalMs: 60_000 });
    await gateway.health.start();
    server = createServer(gateway.app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The model list is read (and cached) while Ollama still answers.
    assert.equal((await fetch(`${url}/v1/models`)).status, 200);

    ollama.stdin!.write('freeze\n');
    assert.equal(await lines.next(), 'frozen');
    // Two connections fill the accept queue of a backlog-1 listener nobody accepts from.
    for (let index = 0; index < 2; index++) {
      const socket = connect(port, '127.0.0.1');
      waiting.push(socket);
      await once(socket, 'connect');
    }
  });
  after(async () => {
    for (const socket of waiting) socket.destroy();
    ollama.kill('SIGKILL');
    server.closeAllConnections();
    server.close();
    await gateway.close();
  });

  test('each attempt gives up after connectTimeoutMs, is retried, then the client gets 504 upstream_timeout and the slot is free', async () => {
    const startedAt = Date.now();
    const response = await postChat(url);
    const elapsedMs = Date.now() - startedAt;
    assert.equal(response.status, 504);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'upstream_timeout');
    // Two attempts of 200 ms; undici's coarse timer may stretch each to about a second.
    assert.ok(elapsedMs >= 400 && elapsedMs < 5_000, `gave up after ${elapsedMs} ms`);
    assert.equal(gateway.services.scheduler.snapshot().models[chatModelKey]?.active, 0);
    assert.equal(gateway.services.scheduler.snapshot().inFlight, 0);
  });
});

/** Line-by-line reader of a child's stdout. */
function readLines(child: ChildProcess): { next(): Promise<string> } {
  const buffered: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else buffered.push(line);
    }
  });
  return {
    next: () => {
      const line = buffered.shift();
      return line === undefined ? new Promise((resolve) => waiters.push(resolve)) : Promise.resolve(line);
    },
  };
}
