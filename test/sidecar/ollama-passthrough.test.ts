import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ollama } from 'ollama';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { postJson } from './read-stream.ts';

/** Yields to the event loop until `condition` holds (no timers): requests in flight get to run meanwhile. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    assert.ok(turn < 100_000, 'condition never held');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('native passthrough with the official ollama client, store routes enabled', () => {
  let stack: TestStack;
  let ollama: Ollama;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      apiKey: 'sk-gateway',
      config: {
        logLevel: 'silent',
        allowStoreRoutes: true,
        pullAllowed: ['fresh-*'],
        aliases: { fast: 'llama3.2' },
        models: { 'llama3.2': { maxConcurrent: 1, options: { num_ctx: 4096 }, keepAlive: '10m' } },
        apiKeys: ['sk-gateway'],
      },
    });
    ollama = new Ollama({ host: stack.url, headers: { authorization: 'Bearer sk-gateway' } });
  });
  after(() => stack.close());

  test('chat: the alias is resolved and rewritten to the canonical name, model defaults added', async () => {
    const answer = await ollama.chat({ model: 'fast', messages: [{ role: 'user', content: 'hi' }], options: { temperature: 0 } });
    assert.ok(answer.message.content.length > 0);
    assert.equal(answer.done, true);
    const sent = stack.sim!.stats.lastBody['/api/chat'] as { model: string; options: Record<string, unknown>; keep_alive: unknown };
    assert.equal(sent.model, 'llama3.2:latest');
    assert.deepEqual(sent.options, { num_ctx: 4096, temperature: 0 });
    assert.equal(sent.keep_alive, '10m');
  });

  test('streaming generate arrives chunk by chunk, unbuffered NDJSON', async () => {
    const parts: string[] = [];
    let done = false;
    for await (const chunk of await ollama.generate({ model: 'llama3.2', prompt: 'Tell me', stream: true })) {
      parts.push(chunk.response ?? '');
      done ||= chunk.done;
    }
    assert.ok(parts.length > 3);
    assert.equal(done, true);
    // Paced generation: the first chunk reaches the client while Ollama is still generating.
    stack.sim!.setOptions({ tokensPerSecond: 20, tokensPerAnswer: 200 });
    try {
      const stream = await ollama.generate({ model: 'llama3.2', prompt: 'Tell me more', stream: true });
      const first = await stream[Symbol.asyncIterator]().next();
      assert.equal(first.done, false);
      assert.equal(stack.sim!.stats.openRequests, 1);
      stream.abort();
      await stack.sim!.stats.whenIdle();
    } finally {
      stack.sim!.setOptions({ tokensPerSecond: 0, tokensPerAnswer: 12 });
    }
  });

  test('embed, list and show pass through', async () => {
    const embedded = await ollama.embed({ model: 'nomic-embed-text', input: ['a', 'b'] });
    assert.equal(embedded.embeddings.length, 2);
    const listed = await ollama.list();
    assert.ok(listed.models.some((model) => model.name === 'llama3.2:latest'));
    const shown = await ollama.show({ model: 'llama3.2' });
    assert.ok(shown.capabilities.includes('completion'));
  });

  test('pull streams progress; the model is usable right after (the catalog forgot its list)', async () => {
    await ollama.list();
    const statuses: string[] = [];
    let sawBytes = false;
    for await (const progress of await ollama.pull({ model: 'fresh-native', stream: true })) {
      statuses.push(progress.status);
      sawBytes ||= progress.total > 0 && progress.completed > 0;
    }
    assert.equal(statuses[0], 'pulling manifest');
    assert.equal(statuses.at(-1), 'success');
    assert.ok(sawBytes);
    const answer = await stack.openai.chat.completions.create({ model: 'fresh-native', messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(answer.choices[0]?.message.content);
  });

  test('native pulls share one upstream pull with each other and with /v1/llm/{model}/pull, and are counted', async () => {
    const before = stack.sim!.stats.requests['/api/pull'] ?? 0;
    // A pull that lasts a few progress ticks (~0.4 s), so all four callers start while it runs.
    stack.sim!.setOptions({ pullBytesPerSecond: 5_000_000_000 });
    const drain = async (): Promise<string[]> => {
      const statuses: string[] = [];
      for await (const progress of await ollama.pull({ model: 'fresh-shared', stream: true })) statuses.push(progress.status);
      return statuses;
    };
    const [first, second, viaSidecar, whole] = await Promise.all([
      drain(),
      drain(),
      fetch(`${stack.url}/v1/llm/fresh-shared/pull`, { method: 'POST', headers: { authorization: 'Bearer sk-gateway' } }).then((response) => response.json() as Promise<{ status: string }>),
      ollama.pull({ model: 'fresh-shared', stream: false }),
    ]);
    assert.equal(first.at(-1), 'success');
    assert.equal(second.at(-1), 'success');
    assert.equal(viaSidecar.status, 'success');
    assert.equal(whole.status, 'success');
    stack.sim!.setOptions({ pullBytesPerSecond: 0 });
    assert.equal((stack.sim!.stats.requests['/api/pull'] ?? 0) - before, 1);
    const metrics = await (await fetch(`${stack.url}/metrics`, { headers: { authorization: 'Bearer sk-gateway' } })).text();
    assert.match(metrics, /llm_sidecar_model_pulls_total\{model="fresh-shared:latest",result="success"\} 1/);
  });

  test('a native pull that fails ends with Ollama\'s error line', async () => {
    await assert.rejects(
      (async () => {
        for await (const _progress of await ollama.pull({ model: 'fresh-missing', stream: true })) {
          // progress until the error line
        }
      })(),
      /file does not exist/,
    );
  });

  test('an enabled /api/pull still obeys the pull allow-list', async () => {
    await assert.rejects(ollama.pull({ model: 'llama3.3:70b' }), (error: Error & { status_code?: number }) => error.status_code === 403);
  });

  test('generation routes go through the model limiter and are counted', async () => {
    stack.sim!.stats.reset();
    stack.sim!.gate.hold();
    const answers = Promise.all([1, 2, 3].map(() => ollama.generate({ model: 'llama3.2', prompt: 'x' })));
    try {
      await stack.sim!.gate.whenWaiting(1);
      // maxConcurrent 1: one request reaches Ollama, the other two wait in the gateway's queue.
      await waitFor(() => stack.gateway.services.scheduler.snapshot().models['llama3.2:latest']?.queued === 2);
      assert.equal(stack.sim!.gate.waiting, 1);
    } finally {
      stack.sim!.gate.release();
    }
    await answers;
    assert.equal(stack.sim!.stats.maxConcurrency['llama3.2:latest'], 1);
    const metrics = await (await fetch(`${stack.url}/metrics`, { headers: { authorization: 'Bearer sk-gateway' } })).text();
    assert.match(metrics, /llm_sidecar_requests_total\{model="llama3.2:latest",route="\/api\/generate",status="200"\} [3-9]/);
    assert.match(metrics, /llm_sidecar_tokens_total\{model="llama3.2:latest",kind="completion"\} \d+/);
  });

  test('a model Ollama lacks is refused before any state is made', async () => {
    await assert.rejects(ollama.chat({ model: 'ghost', messages: [{ role: 'user', content: 'hi' }] }), (error: Error & { status_code?: number }) => error.status_code === 404);
    assert.equal(stack.gateway.services.scheduler.snapshot().models['ghost:latest'], undefined);
  });

  test('a client that leaves ends the upstream request and frees the slot', async () => {
    stack.sim!.setOptions({ tokensPerSecond: 20, tokensPerAnswer: 200 });
    const abortedBefore = stack.sim!.stats.aborted;
    const controller = new AbortController();
    const response = await fetch(`${stack.url}/api/generate`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-gateway', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'llama3.2', prompt: 'long' }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await stack.sim!.stats.whenIdle();
    stack.sim!.setOptions({ tokensPerSecond: 0, tokensPerAnswer: 12 });
    assert.equal(stack.sim!.stats.aborted, abortedBefore + 1);
    const answer = await ollama.generate({ model: 'llama3.2', prompt: 'next' });
    assert.equal(answer.done, true);
  });
});

describe('native passthrough by default', () => {
  let stack: TestStack;
  let ollama: Ollama;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent', pullAllowed: ['*'] } });
    ollama = new Ollama({ host: stack.url });
  });
  after(() => stack.close());

  test("store routes are refused with 403 in Ollama's error shape; nothing reaches Ollama", async () => {
    await assert.rejects(ollama.pull({ model: 'fresh-x' }), (error: Error & { status_code?: number }) => error.status_code === 403);
    await assert.rejects(ollama.delete({ model: 'llama3.2' }), (error: Error & { status_code?: number }) => error.status_code === 403);
    await assert.rejects(ollama.copy({ source: 'llama3.2', destination: 'x' }), (error: Error & { status_code?: number }) => error.status_code === 403);
    for (const [method, path] of [['POST', '/api/create'], ['POST', '/api/push'], ['POST', '/api/blobs/sha256:abc'], ['HEAD', '/api/blobs/sha256:abc']] as const) {
      const response = await fetch(`${stack.url}${path}`, { method, body: method === 'POST' ? '{}' : null });
      assert.equal(response.status, 403, `${method} ${path}`);
      if (method !== 'HEAD') assert.match(((await response.json()) as { error: string }).error, /allowStoreRoutes/);
    }
    const raw = await postJson(`${stack.url}/api/pull`, { model: 'fresh-x' });
    assert.match(((await raw.json()) as { error: string }).error, /changes Ollama's model store and is disabled/);
    assert.equal(stack.sim!.stats.requests['/api/pull'] ?? 0, 0);
    assert.equal(stack.sim!.stats.requests['/api/delete'] ?? 0, 0);
  });

  test('encoded or unclean paths cannot slip past the route checks (Ollama would decode them)', async () => {
    for (const path of ['/api/%70ull', '/api//pull', '/api/%63hat', '/api/pul%6C', '/api/tags%2F..%2Fpull']) {
      const response = await fetch(`${stack.url}${path}`, { method: 'POST', body: JSON.stringify({ model: 'fresh-x' }) });
      assert.equal(response.status, 400, path);
      assert.match(((await response.json()) as { error: string }).error, /is not a plain Ollama API path/);
    }
    assert.deepEqual(Object.keys(stack.sim!.stats.requests).filter((path) => path !== '/api/version'), []);
  });

  test('read-only routes still pass straight through', async () => {
    assert.ok((await ollama.version()).version);
    assert.ok(Array.isArray((await ollama.ps()).models));
  });
});
