/**
 * A child process posing as Ollama that can freeze: it answers `/api/version` and `/api/tags` (closing
 * each connection), prints its port, and on any line on stdin prints `frozen` and blocks its thread.
 * Its listen backlog is 1, so once two connections wait unaccepted the kernel drops further SYNs and a
 * client's connect attempt hangs: a connect timeout on 127.0.0.1.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((request, response) => {
  response.setHeader('connection', 'close');
  response.setHeader('content-type', 'application/json');
  if (request.url === '/api/version') return response.end(JSON.stringify({ version: '0.0.0-frozen' }));
  if (request.url === '/api/tags') return response.end(JSON.stringify({ models: [{ name: 'llama3.2:latest', capabilities: ['completion'] }] }));
  response.statusCode = 404;
  response.end(JSON.stringify({ error: 'not found' }));
});

server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});

process.stdin.once('data', () => {
  // stdout to a pipe is synchronous on Linux: the parent reads this before the thread blocks.
  process.stdout.write('frozen\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
});
