import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import { startScriptedOllama, type ScriptedOllama } from '../support/scripted-ollama.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';

let upstream: ScriptedOllama;
let stack: TestStack;

before(async () => {
  upstream = await startScriptedOllama();
  stack = await startStack({ upstreamUrl: upstream.url, config: { apiKeys: ['sk-gateway'] } });
});
after(async () => {
  await stack.close();
  await upstream.close();
});

/** Every credential a client may send, plus hop-by-hop fields and one the `Connection` header names. */
const sentHeaders = {
  authorization: 'Bearer sk-gateway',
  'x-api-key': 'sk-gateway',
  'api-key': 'sk-gateway',
  cookie: 'session=secret',
  'proxy-authorization': 'Basic c2VjcmV0',
  connection: 'keep-alive, x-hop',
  'x-hop': 'hop',
  'keep-alive': 'timeout=5',
  'x-trace': 'kept',
};
const neverForwarded = ['authorization', 'x-api-key', 'api-key', 'cookie', 'proxy-authorization', 'x-hop', 'keep-alive', 'expect'];

const generations: Array<[string, object]> = [
  ['/api/chat', { model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] }],
  ['/api/generate', { model: 'llama3.2', prompt: 'hi' }],
  ['/api/embed', { model: 'nomic-embed-text', input: 'hi' }],
  ['/v1/chat/completions', { model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] }],
  ['/v1/completions', { model: 'llama3.2', prompt: 'hi' }],
  ['/v1/embeddings', { model: 'nomic-embed-text', input: 'hi' }],
  ['/v1/llm/llama3.2', { prompt: 'hi' }],
];

/** A raw HTTP request (fetch would drop some of these headers), with `Expect: 100-continue` when asked. */
function send(path: string, body: string | undefined, headers: Record<string, string>, method = 'POST'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const expectContinue = headers['expect'] === '100-continue';
    const request = httpRequest(`${stack.url}${path}`, { method, agent: false, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }) } });
    request.on('error', reject);
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    // With `Expect`, the body goes only after the server's 100 Continue.
    if (expectContinue) request.on('continue', () => request.end(body));
    else request.end(body);
  });
}

for (const [path, body] of generations) {
  test(`${path}: no credential the gateway consumed and no hop-by-hop field reaches the upstream`, async () => {
    const before = upstream.requests.length;
    const response = await send(path, JSON.stringify(body), sentHeaders);
    assert.equal(response.status, 200, response.text);
    const received = upstream.requests.slice(before);
    assert.equal(received.length, 1);
    for (const name of neverForwarded) assert.equal(received[0]!.headers[name], undefined, `${name} reached the upstream on ${path}`);
  });
}

test('model-less native routes forward the client headers minus credentials and hop-by-hop fields', async () => {
  const before = upstream.requests.length;
  const response = await send('/api/show', JSON.stringify({ model: 'llama3.2' }), sentHeaders);
  assert.equal(response.status, 200, response.text);
  const received = upstream.requests.slice(before);
  assert.equal(received.length, 1);
  for (const name of neverForwarded) assert.equal(received[0]!.headers[name], undefined, `${name} reached the upstream`);
  assert.equal(received[0]!.headers['x-trace'], 'kept');
});

for (const path of ['/api/chat', '/api/generate', '/api/embed']) {
  test(`${path} with Expect: 100-continue: the client gets its answer and the slot comes back`, async () => {
    const body = path === '/api/embed' ? { model: 'nomic-embed-text', input: 'hi' } : { model: 'llama3.2', prompt: 'hi', messages: [{ role: 'user', content: 'hi' }], stream: false };
    const before = upstream.requests.length;
    const response = await send(path, JSON.stringify(body), { authorization: 'Bearer sk-gateway', expect: '100-continue' });
    assert.equal(response.status, 200, response.text);
    assert.ok(JSON.parse(response.text), 'a JSON answer');
    const received = upstream.requests.slice(before);
    assert.equal(received[0]!.headers['authorization'], undefined);
    assert.equal(received[0]!.headers['expect'], undefined);
    const lanes = stack.gateway.services.scheduler.snapshot().models;
    for (const [name, lane] of Object.entries(lanes)) assert.equal(lane.active, 0, `${name} still holds a slot`);
  });
}
