import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Pool } from 'undici';
import { relayUpstreamResponse } from '../../src/http/relay-upstream-response.ts';

const whole = Buffer.from('{"model":"m","done":true}');
const lines = ['{"response":"a","done":false}\n', '{"response":"","done":true}\n'];

// Each response counts the writes its socket hands to the kernel (one per write or writev).
describe('relayUpstreamResponse', () => {
  let upstream: Server;
  let server: Server;
  let pool: Pool;
  let url: string;
  const writes: number[] = [];
  before(async () => {
    // Ollama's side: a whole answer with or without its length, or a stream of lines.
    upstream = createServer((req, res) => {
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        for (const line of lines) res.write(line);
        res.end();
      } else if (req.url === '/whole') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(whole.length) });
        res.end(whole);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(whole);
        res.end();
      }
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    pool = new Pool(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    server = createServer((req, res) => {
      const socket = res.socket as Socket & { _writeGeneric: (...args: unknown[]) => unknown };
      const original = socket._writeGeneric.bind(socket);
      let count = 0;
      socket._writeGeneric = (...args: unknown[]) => {
        count += 1;
        return original(...args);
      };
      res.once('finish', () => writes.push(count));
      void pool.request({ path: req.url ?? '/', method: 'GET' }).then((answer) => relayUpstreamResponse(res, answer, undefined, req.url === '/stream'));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.close();
    await pool.close();
    upstream.close();
  });

  test('a whole answer leaves with its headers in one write', async () => {
    const response = await fetch(`${url}/whole`);
    assert.equal(await response.text(), whole.toString());
    assert.equal(response.headers.get('content-length'), String(whole.length));
    assert.equal(writes.at(-1), 1);
  });

  test('a whole answer without a length, asked for whole, also leaves in one write', async () => {
    const response = await fetch(`${url}/whole-chunked`);
    assert.equal(await response.text(), whole.toString());
    assert.equal(writes.at(-1), 1);
  });

  test('a streamed answer sends its headers first, then each chunk', async () => {
    const response = await fetch(`${url}/stream`);
    assert.equal(await response.text(), lines.join(''));
    assert.equal(response.headers.get('content-type'), 'application/x-ndjson');
    assert.ok((writes.at(-1) ?? 0) >= 3, `writes: ${writes.at(-1)}`);
  });
});
