import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ollama } from 'ollama';
import { chatModel, startStack, type TestStack } from '../support/start-gateway.ts';

/** What the official `ollama` client raises for a non-2xx answer: the message and the status. */
type OllamaClientError = Error & { status_code?: number; error?: unknown };

/** The client raised this status, with the gateway's text as its message (not `[object Object]`). */
function raised(status: number, message: RegExp): (error: unknown) => boolean {
  return (error) => {
    const failure = error as OllamaClientError;
    assert.equal(failure.status_code, status);
    assert.match(failure.message, message);
    assert.doesNotMatch(failure.message, /\[object Object\]/);
    return true;
  };
}

describe("the gateway's own errors on /api/* speak Ollama's dialect", () => {
  let stack: TestStack;
  let ollama: Ollama;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: { logLevel: 'silent', apiKeys: ['sk-native'], bodyLimitBytes: 16 * 1024, models: { [chatModel]: { maxConcurrent: 1, maxQueue: 0 } } },
    });
    ollama = new Ollama({ host: stack.url, headers: { authorization: 'Bearer sk-native' } });
  });
  after(() => stack.close());

  test('401: a missing key is raised with its message', async () => {
    const anonymous = new Ollama({ host: stack.url });
    await assert.rejects(anonymous.chat({ model: chatModel, messages: [{ role: 'user', content: 'hi' }] }), raised(401, /Incorrect API key provided/));
    await assert.rejects(anonymous.list(), raised(401, /Incorrect API key provided/));
  });

  test("404: a model Ollama lacks is raised with Ollama's own message, on chat, generate and embed", async () => {
    await assert.rejects(ollama.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }), raised(404, /^model 'no-such-model' not found$/));
    await assert.rejects(ollama.generate({ model: 'constructor', prompt: 'hi' }), raised(404, /^model 'constructor' not found$/));
    await assert.rejects(ollama.embed({ model: '__proto__', input: 'hi' }), raised(404, /^model "__proto__" not found, try pulling it first$/));
  });

  test('429: a full queue is raised with its message and Retry-After', async () => {
    const sim = stack.sim!;
    sim.gate.hold();
    try {
      const first = ollama.chat({ model: chatModel, messages: [{ role: 'user', content: 'hi' }] });
      await sim.gate.whenWaiting(1);
      const refused = await fetch(`${stack.url}/api/chat`, { method: 'POST', headers: { authorization: 'Bearer sk-native' }, body: JSON.stringify({ model: chatModel, messages: [] }) });
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.deepEqual(Object.keys((await refused.json()) as object), ['error']);
      await assert.rejects(ollama.chat({ model: chatModel, messages: [{ role: 'user', content: 'hi' }] }), raised(429, /queue/));
      sim.gate.release();
      assert.equal((await first).done, true);
    } finally {
      sim.gate.release();
    }
  });

  test('503: Ollama unreachable is raised with its message', async () => {
    const sim = stack.sim!;
    sim.injectFault({ kind: 'refuse', times: Infinity });
    try {
      await assert.rejects(ollama.chat({ model: chatModel, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
        const failure = error as OllamaClientError;
        assert.ok(failure.status_code === 503 || failure.status_code === 502, String(failure.status_code));
        assert.match(failure.message, /Ollama/);
        return true;
      });
    } finally {
      sim.clearFaults();
    }
  });

  test('400 and 413: bad JSON, too deep, too large', async () => {
    const post = (body: string) => fetch(`${stack.url}/api/chat`, { method: 'POST', headers: { authorization: 'Bearer sk-native' }, body });
    const cases: Array<[string, number, RegExp]> = [
      ['{"model": "llama3.2", "messages": [', 400, /not valid JSON/],
      [`{"model": "llama3.2", "format": ${'['.repeat(100)}${']'.repeat(100)}}`, 400, /deeper than 64 levels/],
      [JSON.stringify({ model: chatModel, prompt: 'x'.repeat(20 * 1024) }), 413, /larger than the limit/],
    ];
    for (const [body, status, message] of cases) {
      const response = await post(body);
      assert.equal(response.status, status, body.slice(0, 40));
      const answer = (await response.json()) as { error: unknown };
      assert.deepEqual(Object.keys(answer), ['error']);
      assert.match(String(answer.error), message);
    }
  });

  test("an unknown /api/* route answers as Ollama's router does", async () => {
    const response = await fetch(`${stack.url}/api/no-such-route`, { headers: { authorization: 'Bearer sk-native' } });
    assert.equal(response.status, 404);
    assert.equal(await response.text(), '404 page not found');
  });

  test('a path that does not decode is a 400 in Ollama shape', async () => {
    for (const path of ['/api/%FF', '/api/%E0%A4%A', '/api/%70ull']) {
      const response = await fetch(`${stack.url}${path}`, { headers: { authorization: 'Bearer sk-native' } });
      assert.equal(response.status, 400, path);
      assert.match(((await response.json()) as { error: string }).error, /percent-encoded|not a plain Ollama API path/, path);
    }
  });
});
