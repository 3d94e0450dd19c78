import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { sendJson } from '../../src/http/send-json.ts';
import { recordResponses } from '../docs/spec-checker.ts';

const body = { id: 'chatcmpl-1', choices: [{ index: 0, message: { role: 'assistant', content: 'héllo </script> \u2028 😀' } }], usage: null };

describe('sendJson', () => {
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  let url: string;
  before(async () => {
    const app = express();
    app.set('etag', false);
    app.get('/express', (_req, res) => void res.json(body));
    app.get('/ours', (_req, res) => sendJson(res, body));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => void server.close());

  test("writes the bytes and length Express's res.json writes, as OpenAI's application/json (no charset)", async () => {
    const [theirs, ours] = await Promise.all([fetch(`${url}/express`), fetch(`${url}/ours`)]);
    const [theirBytes, ourBytes] = await Promise.all([theirs.arrayBuffer(), ours.arrayBuffer()]);
    assert.deepEqual(Buffer.from(ourBytes), Buffer.from(theirBytes));
    assert.equal(ours.status, 200);
    assert.equal(ours.headers.get('content-length'), theirs.headers.get('content-length'));
    assert.equal(ours.headers.get('content-type'), 'application/json');
    assert.equal(ours.headers.get('transfer-encoding'), null);
    assert.deepEqual(JSON.parse(Buffer.from(ourBytes).toString('utf8')), body);
  });

  test('a HEAD answer has the headers and writes no body', async () => {
    const observed = recordResponses(server);
    const [theirs, ours] = await Promise.all([fetch(`${url}/express`, { method: 'HEAD' }), fetch(`${url}/ours`, { method: 'HEAD' })]);
    assert.equal(ours.status, 200);
    assert.equal(ours.headers.get('content-length'), theirs.headers.get('content-length'));
    assert.deepEqual(observed.map((response) => response.body), ['', '']);
  });
});
