import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { relayUpstreamResponse } from '../../src/http/relay-upstream-response.ts';

const whole = Buffer.from('{"model":"m","done":true}');
const lines = ['{"response":"a","done":false}\n', '{"response":"","done":true}\n'];

// Each response counts the writes its socket hands to the kernel (one per write or writev).
describe('relayUpstreamResponse', () => {
  let server: Server;
  let url: string;
  const writes: number[] = [];
  before(async () => {
    server = createServer((req, res) => {
      const socket = res.socket as Socket & { _writeGeneric: (...args: unknown[]) => unknown };
      const original = socket._writeGeneric.bind(socket);
      let count = 0;
      socket._writeGeneric = (...args: unknown[]) => {
        count += 1;
        return original(...args);
      };
      res.once('finish', () => writes.push(count));
      const chunked = { 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
      const upstreams: Record<string, object> = {
        '/stream': { statusCode: 200, headers: { ...chunked, 'content-type': 'application/x-ndjson' }, body: Readable.from(lines.map((line) => Buffer.from(line))) },
        '/whole': { statusCode: 200, headers: { 'content-type': 'application/json', 'content-length': String(whole.length) }, body: Readable.from([whole]) },
        '/whole-chunked': { statusCode: 200, headers: chunked, body: Readable.from([whole]) },
      };
      const upstream = upstreams[req.url ?? ''] as Parameters<typeof relayUpstreamResponse>[1];
      void relayUpstreamResponse(res, upstream, undefined, req.url === '/stream');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => void server.close());

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
