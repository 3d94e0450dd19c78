import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { chatModel, startStack, type TestStack } from '../support/start-gateway.ts';

/** Raw HTTP, for bodies the SDK would never send. */
async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; json: { error: { message: string; type: string; param: string | null; code: string | null } } }> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.status, headers: Object.fromEntries(response.headers), json: (await response.json()) as never };
}

describe('errors reach the SDK in OpenAI shape', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { bodyLimitBytes: 64 * 1024, retries: { attempts: 1, baseDelayMs: 1, maxDelayMs: 2 } } });
  });
  after(() => stack.close());

  test('an unknown model is a NotFoundError with code model_not_found', async () => {
    await assert.rejects(stack.openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'model_not_found');
      assert.equal(error.param, 'model');
      assert.match(error.message, /no-such-model/);
      return true;
    });
  });

  test('an unknown model leaves no state behind', async () => {
    await stack.openai.chat.completions.create({ model: 'ghost-model-xyz', messages: [{ role: 'user', content: 'hi' }] }).catch(() => undefined);
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    assert.doesNotMatch(metrics, /ghost-model-xyz/);
    assert.equal(JSON.stringify(stack.gateway.services.scheduler.snapshot()).includes('ghost-model-xyz'), false);
  });

  test('a schema violation is a BadRequestError naming the param', async () => {
    await assert.rejects(
      stack.openai.chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'hi' }], n: 0 }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === 'n',
    );
  });

  test('malformed JSON is a 400, never a 500', async () => {
    const response = await post(`${stack.url}/v1/chat/completions`, '{"model": "llama3.2", "messages": [');
    assert.equal(response.status, 400);
    assert.equal(response.json.error.type, 'invalid_request_error');
    assert.equal(response.json.error.code, 'invalid_json');
  });

  test('wrong types, missing model, empty messages are 400s with a param', async () => {
    const cases: Array<[string, string]> = [
      [JSON.stringify({ model: chatModel, messages: 'hello' }), 'messages'],
      [JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }), 'model'],
      [JSON.stringify({ model: chatModel, messages: [] }), 'messages'],
      [JSON.stringify({ model: chatModel, messages: [{ role: 'user', content: 42 }] }), 'messages[0].content'],
      [JSON.stringify({ model: 7, messages: [{ role: 'user', content: 'hi' }] }), 'model'],
      [JSON.stringify([1, 2]), ''],
    ];
    for (const [body, param] of cases) {
      const response = await post(`${stack.url}/v1/chat/completions`, body);
      assert.equal(response.status, 400, body);
      if (param !== '') assert.equal(response.json.error.param, param, body);
    }
  });

  test('a body over the limit is 413', async () => {
    const response = await post(`${stack.url}/v1/chat/completions`, JSON.stringify({ model: chatModel, messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] }));
    assert.equal(response.status, 413);
    assert.equal(response.json.error.code, 'request_too_large');
  });

  test('unknown routes are 404 and wrong methods 405, in OpenAI shape', async () => {
    const missing = await fetch(`${stack.url}/v1/nothing-here`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { type: string } }).error.type, 'not_found_error');
    const wrongMethod = await fetch(`${stack.url}/v1/chat/completions`);
    assert.equal(wrongMethod.status, 405);
    assert.match(wrongMethod.headers.get('allow') ?? '', /POST/);
  });

  test('Ollama failing with 500 is a 502 for the client', async () => {
    stack.sim!.injectFault({ kind: 'status500', route: '/api/chat' });
    await assert.rejects(stack.openai.chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 502);
      return true;
    });
  });

  test('an error line mid-stream arrives as an SSE error the SDK raises', async () => {
    stack.sim!.injectFault({ kind: 'errorLine', route: '/api/chat', afterTokens: 2 });
    const stream = await stack.openai.chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'hi' }], stream: true });
    let received = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) received += chunk.choices.length;
      })(),
      (error: unknown) => error instanceof OpenAI.APIError && /error was encountered while running the model/.test(error.message),
    );
    assert.ok(received >= 1);
  });

  test('a connection cut mid-stream ends the stream with an error event', async () => {
    stack.sim!.injectFault({ kind: 'cut', route: '/api/chat', afterTokens: 2 });
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: chatModel, messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    assert.equal(response.status, 200);
    const text = await response.text();
    const frames = text.split('\n\n').filter((frame) => frame !== '');
    const last = JSON.parse(frames.at(-1)!.slice('data: '.length)) as { error?: { type: string } };
    assert.ok(last.error);
    assert.ok(!text.includes('[DONE]'));
  });

  test('Ollama unreachable is 503 with Retry-After', async () => {
    const sim = stack.sim!;
    sim.injectFault({ kind: 'refuse', times: Infinity });
    try {
      const response = await post(`${stack.url}/v1/chat/completions`, JSON.stringify({ model: chatModel, messages: [{ role: 'user', content: 'hi' }] }));
      assert.ok(response.status === 502 || response.status === 503, String(response.status));
    } finally {
      sim.clearFaults();
    }
  });

  test('a client that disconnects mid-stream aborts the upstream request', async () => {
    const sim = stack.sim!;
    sim.setOptions({ tokensPerSecond: 50, tokensPerAnswer: 1000 });
    try {
      const controller = new AbortController();
      const abortedBefore = sim.stats.aborted;
      const stream = await stack.openai.chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'long story' }], stream: true }, { signal: controller.signal });
      for await (const _chunk of stream) {
        controller.abort();
        break;
      }
      await sim.stats.whenIdle();
      assert.equal(sim.stats.openRequests, 0);
      assert.equal(sim.stats.aborted, abortedBefore + 1);
    } finally {
      sim.setOptions({ tokensPerSecond: 0, tokensPerAnswer: 12 });
    }
  });

  test('the error body always has message, type, param and code', async () => {
    const response = await post(`${stack.url}/v1/embeddings`, JSON.stringify({ model: 'nomic-embed-text', input: [[1, 2, 3]] }));
    assert.equal(response.status, 400);
    assert.deepEqual(Object.keys(response.json.error).sort(), ['code', 'message', 'param', 'type']);
  });
});

