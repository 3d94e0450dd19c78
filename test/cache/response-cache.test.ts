import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';

const chat = { model: 'llama3.2', messages: [{ role: 'user', content: 'Say something cached.' }] };

describe('the response cache', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: {
        logLevel: 'silent',
        cache: { embeddings: true, completions: 'deterministic' },
        // One slot and no queue for gemma3: a request that needed the model while it is busy would be a 429.
        models: { gemma3: { maxConcurrent: 1, maxQueue: 0 } },
      },
    });
  });
  after(() => stack.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const upstreamCalls = (route: string): number => stack.sim!.stats.requests[route] ?? 0;

  test('embeddings: a miss, then a hit with the same body that never reaches Ollama', async () => {
    const body = { model: 'nomic-embed-text', input: ['cache me'] };
    const before = upstreamCalls('/api/embed');
    const first = await post('/v1/embeddings', body);
    assert.equal(first.headers.get('x-llm-sidecar-cache'), 'miss');
    const second = await post('/v1/embeddings', { input: ['cache me'], model: 'nomic-embed-text' });
    assert.equal(second.headers.get('x-llm-sidecar-cache'), 'hit');
    assert.deepEqual(await second.json(), await first.json());
    assert.equal(upstreamCalls('/api/embed') - before, 1);
    // Another input, or other dimensions, is another entry.
    assert.equal((await post('/v1/embeddings', { ...body, dimensions: 64 })).headers.get('x-llm-sidecar-cache'), 'miss');
  });

  test('chat with temperature 0 is cached; the default temperature and requests with tools are not', async () => {
    const deterministic = { ...chat, temperature: 0 };
    const first = await post('/v1/chat/completions', deterministic);
    const second = await post('/v1/chat/completions', deterministic);
    assert.deepEqual([first.headers.get('x-llm-sidecar-cache'), second.headers.get('x-llm-sidecar-cache')], ['miss', 'hit']);
    assert.deepEqual(await second.json(), await first.json());
    assert.equal((await post('/v1/chat/completions', { ...chat, seed: 42 })).headers.get('x-llm-sidecar-cache'), 'miss');

    const before = upstreamCalls('/api/chat');
    const random = [await post('/v1/chat/completions', chat), await post('/v1/chat/completions', chat)];
    assert.deepEqual(random.map((response) => response.headers.get('x-llm-sidecar-cache')), [null, null]);
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }];
    const withTools = [await post('/v1/chat/completions', { ...deterministic, tools }), await post('/v1/chat/completions', { ...deterministic, tools })];
    assert.deepEqual(withTools.map((response) => response.headers.get('x-llm-sidecar-cache')), [null, null]);
    assert.equal(upstreamCalls('/api/chat') - before, 4);
  });

  test('Cache-Control: no-cache bypasses the lookup and refreshes the entry', async () => {
    const body = { ...chat, messages: [{ role: 'user', content: 'bypass' }], temperature: 0 };
    await post('/v1/chat/completions', body);
    const before = upstreamCalls('/api/chat');
    const bypassed = await post('/v1/chat/completions', body, { 'cache-control': 'no-cache' });
    assert.equal(bypassed.headers.get('x-llm-sidecar-cache'), 'bypass');
    assert.equal(upstreamCalls('/api/chat') - before, 1);
    assert.equal((await post('/v1/chat/completions', body)).headers.get('x-llm-sidecar-cache'), 'hit');
  });

  test('a hit is served without a slot: it answers while the model is busy and its queue is full', async () => {
    const body = { model: 'gemma3', messages: [{ role: 'user', content: 'busy' }], temperature: 0 };
    assert.equal((await post('/v1/chat/completions', body)).status, 200);
    stack.sim!.gate.hold();
    const holder = post('/v1/chat/completions', { ...body, temperature: 0.5 });
    await stack.sim!.gate.whenWaiting(1);
    try {
      assert.equal((await post('/v1/chat/completions', { ...body, temperature: 0.4 })).status, 429, 'the model is busy');
      const hit = await post('/v1/chat/completions', body);
      assert.equal(hit.status, 200);
      assert.equal(hit.headers.get('x-llm-sidecar-cache'), 'hit');
    } finally {
      stack.sim!.gate.release();
    }
    assert.equal((await holder).status, 200);
  });

  test('a cached stream replays as a well-formed SSE stream the openai SDK reads', async () => {
    const body = { ...chat, messages: [{ role: 'user', content: 'stream me' }], temperature: 0, stream: true, stream_options: { include_usage: true } };
    const first = await post('/v1/chat/completions', body);
    const firstText = await first.text();
    const second = await post('/v1/chat/completions', body);
    assert.equal(second.headers.get('x-llm-sidecar-cache'), 'hit');
    assert.match(second.headers.get('content-type') ?? '', /^text\/event-stream/);
    const secondText = await second.text();
    assert.equal(secondText, firstText);
    assert.match(secondText, /^data: \{/);
    assert.ok(secondText.endsWith('data: [DONE]\n\n'));

    const stream = await stack.openai.chat.completions.create({ ...body, stream: true } as Parameters<typeof stack.openai.chat.completions.create>[0] & { stream: true });
    let text = '';
    let usage;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    assert.ok(text.length > 0);
    assert.ok(usage !== undefined && usage.completion_tokens > 0);
  });

  test('hits and misses are counted in cache_requests_total', async () => {
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    assert.match(metrics, /^llm_sidecar_cache_requests_total\{route="\/v1\/embeddings",result="hit"\} 1$/m);
    assert.match(metrics, /^llm_sidecar_cache_requests_total\{route="\/v1\/embeddings",result="miss"\} 2$/m);
    assert.match(metrics, /^llm_sidecar_cache_requests_total\{route="\/v1\/chat\/completions",result="bypass"\} 1$/m);
  });
});

describe('with the cache off (the default)', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent' } });
  });
  after(() => stack.close());

  test('nothing is cached, no header, no cache metric', async () => {
    const request = () => fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ ...chat, temperature: 0 }) });
    const responses = [await request(), await request()];
    assert.deepEqual(responses.map((response) => response.headers.get('x-llm-sidecar-cache')), [null, null]);
    assert.doesNotMatch(await (await fetch(`${stack.url}/metrics`)).text(), /cache_requests_total/);
  });
});
