import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { createApp } from '../../src/app.ts';
import { buildConfig } from '../../src/config/load-config.ts';
import { loadOpenApiDocument } from '../../src/http/routes/docs.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { recordResponses, SpecChecker, watchResponsesAgainstSpec, type ObservedResponse } from './spec-checker.ts';

const KEY = 'sk-test';
const checker = new SpecChecker(loadOpenApiDocument());

/**
 * Drives every route through its success and error answers against the simulator, records each
 * response on the wire, and checks every one against openapi.yaml: documented status and content
 * type, and JSON bodies, SSE events and NDJSON lines valid against the schema for that route.
 */
describe('every response on the wire matches openapi.yaml', () => {
  let stack: TestStack;
  let observed: ObservedResponse[];
  const auth = { authorization: `Bearer ${KEY}` };
  const send = (path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> => {
    const { json, headers, ...rest } = init;
    return fetch(`${stack.url}${path}`, {
      method: json === undefined ? 'GET' : 'POST',
      ...rest,
      headers: { ...auth, ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...(headers as Record<string, string> | undefined) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
  };
  /** Sends, reads the whole body (so the recorder has it) and returns the status. */
  const statusOf = async (path: string, init: RequestInit & { json?: unknown } = {}): Promise<number> => {
    const response = await send(path, init);
    await response.arrayBuffer();
    return response.status;
  };
  const chat = { model: 'llama3.2', messages: [{ role: 'user', content: 'Hello' }] };

  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      apiKey: KEY,
      config: {
        logLevel: 'silent',
        apiKeys: [KEY],
        bodyLimitBytes: 32 * 1024,
        retries: { attempts: 0, baseDelayMs: 1, maxDelayMs: 1 },
        aliases: { 'gpt-4o-mini': 'llama3.2' },
        models: { gemma3: { maxConcurrent: 1, maxQueue: 0 }, 'qwen3:latest': { requestTimeoutMs: 300 } },
        pullAllowed: ['llama3.2*'],
      },
    });
    observed = recordResponses(stack.server);
  });
  after(() => stack.close());

  test('OpenAI routes: 200 JSON and SSE, 400, 401, 404, 405, 413', async () => {
    assert.equal(await statusOf('/v1/chat/completions', { json: chat }), 200);
    assert.equal(await statusOf('/v1/chat/completions', { json: { ...chat, stream: true, stream_options: { include_usage: true } } }), 200);
    assert.equal(await statusOf('/v1/chat/completions', { json: { ...chat, model: 'gpt-4o-mini', tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }], messages: [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }] } }), 200);
    assert.equal(await statusOf('/v1/chat/completions', { json: { ...chat, temperature: 'hot' } }), 400);
    assert.equal(await statusOf('/v1/chat/completions', { json: chat, headers: { authorization: 'Bearer wrong' } }), 401);
    assert.equal(await statusOf('/v1/chat/completions', { json: { ...chat, model: 'no-such-model' } }), 404);
    assert.equal(await statusOf('/v1/chat/completions'), 405);
    assert.equal(await statusOf('/v1/chat/completions', { json: { ...chat, messages: [{ role: 'user', content: 'x'.repeat(64 * 1024) }] } }), 413);
    assert.equal(await statusOf('/v1/completions', { json: { model: 'llama3.2', prompt: 'Once upon a time' } }), 200);
    assert.equal(await statusOf('/v1/completions', { json: { model: 'llama3.2', prompt: 'Once upon a time', stream: true } }), 200);
    assert.equal(await statusOf('/v1/embeddings', { json: { model: 'nomic-embed-text', input: ['one', 'two'] } }), 200);
    assert.equal(await statusOf('/v1/embeddings', { json: { model: 'nomic-embed-text', input: 'one', encoding_format: 'base64' } }), 200);
    assert.equal(await statusOf('/v1/models'), 200);
    assert.equal(await statusOf('/v1/models/llama3.2'), 200);
    assert.equal(await statusOf('/v1/models/no-such-model'), 404);
    assert.equal(await statusOf('/v1/no-such-route'), 404);
  });

  test('Responses and Anthropic routes: JSON, event streams, stored responses, errors', async () => {
    const created = await send('/v1/responses', { json: { model: 'llama3.2', input: 'Hello', max_output_tokens: 8 } });
    const { id } = (await created.json()) as { id: string };
    assert.equal(created.status, 200);
    assert.equal(await statusOf('/v1/responses', { json: { model: 'llama3.2', input: 'Hello', stream: true, previous_response_id: id } }), 200);
    assert.equal(await statusOf('/v1/responses', { json: { model: 'llama3.2', input: 'Hi', tools: [{ type: 'web_search' }] } }), 400);
    assert.equal(await statusOf('/v1/responses', { json: { model: 'llama3.2', input: 'Hi', previous_response_id: 'resp_unknown' } }), 404);
    assert.equal(await statusOf(`/v1/responses/${id}`), 200);
    assert.equal(await statusOf(`/v1/responses/${id}/input_items?limit=1&order=asc`), 200);
    assert.equal(await statusOf(`/v1/responses/${id}/input_items?limit=0`), 400);
    assert.equal(await statusOf(`/v1/responses/${id}`, { method: 'DELETE' }), 200);
    assert.equal(await statusOf(`/v1/responses/${id}`, { method: 'DELETE' }), 404);
    const anthropic = { headers: { authorization: '', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' } };
    const message = { model: 'qwen3', max_tokens: 16, messages: [{ role: 'user', content: 'Hello' }] };
    assert.equal(await statusOf('/v1/messages', { ...anthropic, json: message }), 200);
    assert.equal(await statusOf('/v1/messages', { ...anthropic, json: { ...message, stream: true, thinking: { type: 'enabled', budget_tokens: 1024 } } }), 200);
    assert.equal(await statusOf('/v1/messages', { ...anthropic, json: { ...message, max_tokens: undefined } }), 400);
    assert.equal(await statusOf('/v1/messages', { json: message, headers: { authorization: '', 'x-api-key': 'wrong' } }), 401);
    assert.equal(await statusOf('/v1/messages', { ...anthropic, json: { ...message, model: 'no-such-model' } }), 404);
    assert.equal(await statusOf('/v1/messages/count_tokens', { ...anthropic, json: { model: 'llama3.2', messages: message.messages } }), 200);
  });

  test('upstream failures: 502, 504, and an error event after the stream started', async () => {
    stack.sim!.injectFault({ kind: 'status500', route: '/api/chat' });
    assert.equal(await statusOf('/v1/chat/completions', { json: chat }), 502);
    stack.sim!.injectFault({ kind: 'stall', route: '/api/chat' });
    assert.equal(await statusOf('/v1/chat/completions', { json: { ...chat, model: 'qwen3' } }), 504);
    stack.sim!.injectFault({ kind: 'errorLine', route: '/api/chat', afterTokens: 2 });
    const stream = await send('/v1/chat/completions', { json: { ...chat, stream: true } });
    assert.match(await stream.text(), /data: \{"error"/);
    stack.sim!.clearFaults();
  });

  test('a full queue: 429 with Retry-After', async () => {
    stack.sim!.gate.hold();
    const holding = send('/v1/chat/completions', { json: { ...chat, model: 'gemma3' } });
    await stack.sim!.gate.whenWaiting(1);
    const refused = await send('/v1/chat/completions', { json: { ...chat, model: 'gemma3' } });
    await refused.arrayBuffer();
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    stack.sim!.gate.release();
    await (await holding).arrayBuffer();
  });

  test('sidecar routes: generate (JSON, SSE, NDJSON), pull (JSON, SSE, 403), status', async () => {
    assert.equal(await statusOf('/v1/llm/llama3.2', { json: { prompt: 'Write a haiku.' } }), 200);
    assert.equal(await statusOf('/v1/llm/llama3.2', { json: { prompt: 'Write a haiku.', stream: true } }), 200);
    assert.equal(await statusOf('/v1/llm/llama3.2', { json: { prompt: 'Write a haiku.', stream: true }, headers: { accept: 'application/x-ndjson' } }), 200);
    assert.equal(await statusOf('/v1/llm/llama3.2', { json: { prompt: 3 } }), 400);
    assert.equal(await statusOf('/v1/llm/no-such-model', { json: { prompt: 'hi' } }), 404);
    assert.equal(await statusOf('/v1/llm/llama3.2/pull', { json: {} }), 200);
    assert.equal(await statusOf('/v1/llm/llama3.2/pull', { json: { stream: true } }), 200);
    assert.equal(await statusOf('/v1/llm/not-allowed-model/pull', { json: {} }), 403);
    assert.equal(await statusOf('/v1/status'), 200);
    const statusStream = await send('/v1/status/stream');
    assert.equal(statusStream.status, 200);
    const reader = statusStream.body!.getReader();
    let received = '';
    while (!received.includes('data: ') || !received.endsWith('\n\n')) received += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    assert.equal(await statusOf('/v1/status/stream', { headers: { authorization: '' } }), 401);
    assert.equal(await statusOf('/v1/usage?group_by=key,model'), 200);
    assert.equal(await statusOf('/v1/usage?from=yesterday'), 400);
  });

  test('native passthrough, operations and documentation routes', async () => {
    assert.equal(await statusOf('/api/tags'), 200);
    assert.equal(await statusOf('/api/chat', { json: { ...chat, stream: false } }), 200);
    assert.equal(await statusOf('/api/delete', { method: 'DELETE', json: { model: 'llama3.2' } }), 403);
    assert.equal(await statusOf('/', { headers: { authorization: '' } }), 200);
    assert.equal(await statusOf('/healthz', { headers: { authorization: '' } }), 200);
    assert.equal(await statusOf('/readyz', { headers: { authorization: '' } }), 200);
    assert.equal(await statusOf('/metrics'), 200);
    assert.equal(await statusOf('/metrics', { headers: { authorization: '' } }), 401);
    for (const path of ['/openapi.json', '/openapi.yaml', '/docs', '/status']) assert.equal(await statusOf(path, { headers: { authorization: '' } }), 200);
  });

  test('Ollama down: readiness and generation answer 503 with Retry-After', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const gateway = createApp({ config: buildConfig({ upstreams: [{ name: 'local', url: deadUrl }] }), logger: pino({ level: 'silent' }), healthIntervalMs: 60_000 });
    await gateway.health.start();
    const server = createServer(gateway.app);
    const watch = watchResponsesAgainstSpec(server, loadOpenApiDocument());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const responses = [
        await fetch(`${base}/readyz`),
        await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chat) }),
      ];
      for (const response of responses) {
        await response.arrayBuffer();
        assert.equal(response.status, 503, response.url);
        assert.ok(Number(response.headers.get('retry-after')) >= 1, response.url);
      }
      assert.deepEqual(watch.problems(), []);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
    }
  });

  test('every recorded response matches the spec, and every operation was exercised', async () => {
    assert.deepEqual(observed.flatMap((response) => checker.problemsOf(response)), []);
    const exercised = new Set(observed.map((response) => `${response.method} ${checker.templateOf(response.path)}`));
    const missing = checker.operations().map(({ method, template }) => `${method} ${template}`).filter((operation) => !exercised.has(operation) && operation !== 'HEAD /api/{path}');
    assert.deepEqual(missing, []);
    const statuses = new Set(observed.map((response) => response.status));
    for (const status of [200, 400, 401, 403, 404, 405, 413, 429, 502, 504]) assert.ok(statuses.has(status), `no ${status} was checked`);
    assert.ok(observed.some((response) => response.contentType.startsWith('text/event-stream')), 'no event stream was checked');
    assert.ok(observed.some((response) => response.contentType.startsWith('application/x-ndjson')), 'no NDJSON stream was checked');
  });
});
