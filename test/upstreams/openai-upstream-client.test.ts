import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { OpenAiUpstreamClient } from '../../src/upstreams/openai-upstream-client.ts';

test('an OpenAI-compatible upstream gets the configured key as Bearer, and its errors keep their shape', async () => {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    seen.push(request.headers);
    if (request.url === '/v1/models') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ id: 'Qwen/Qwen3-8B' }] }));
      return;
    }
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: 'max_tokens is too large', type: 'invalid_request_error', param: 'max_tokens', code: null } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new OpenAiUpstreamClient({ name: 'vllm', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, connectTimeoutMs: 1_000, apiKey: 'sk-upstream' });
  try {
    assert.deepEqual(await client.listModels(AbortSignal.timeout(5_000)), ['Qwen/Qwen3-8B']);
    await assert.rejects(client.post('/v1/chat/completions', { model: 'x' }), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.deepEqual(error.toBody(), { error: { message: 'max_tokens is too large', type: 'invalid_request_error', param: 'max_tokens', code: null } });
      assert.equal(error.status, 400);
      return true;
    });
    assert.deepEqual(seen.map((headers) => headers.authorization), ['Bearer sk-upstream', 'Bearer sk-upstream']);
  } finally {
    await client.close();
    server.close();
  }
});
