import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { followBody, postChat, readChatText, until } from './traffic-client.ts';

describe('retries to Ollama, only while nothing reached the client', () => {
  let stack: TestStack;
  const sim = () => stack.sim!;

  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'info', retries: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } } });
  });
  after(() => stack.close());
  beforeEach(() => {
    sim().clearFaults();
    sim().stats.reset();
    stack.logs.length = 0;
  });

  /** The gateway's one summary line for the request with this id. */
  async function requestLogLine(response: Response): Promise<Record<string, unknown>> {
    const id = response.headers.get('x-request-id');
    await until(() => stack.logs.some((line) => line['requestId'] === id && line['status'] !== undefined), 'the request log line');
    return stack.logs.find((line) => line['requestId'] === id && line['status'] !== undefined)!;
  }

  test('a refused connection is retried and the request succeeds; the log line counts the retry', async () => {
    sim().injectFault({ kind: 'refuse', times: 1 });
    const response = await postChat(stack.url);
    assert.equal(response.status, 200);
    assert.match(await readChatText(response), /\S/);
    assert.equal(sim().stats.requests['/api/chat'], 2);
    assert.equal((await requestLogLine(response))['retries'], 1);
  });

  test('Ollama’s "server busy" 503 is retried', async () => {
    sim().injectFault({ kind: 'status503busy', times: 2 });
    const response = await postChat(stack.url, { stream: true });
    assert.equal(response.status, 200);
    const transcript = await followBody(response).rest();
    assert.equal(transcript.done, true);
    assert.equal(sim().stats.requests['/api/chat'], 3);
    assert.equal((await requestLogLine(response))['retries'], 2);
  });

  test('retries are bounded: past `attempts` the client gets Ollama’s 503 with Retry-After', async () => {
    sim().injectFault({ kind: 'status503busy', times: 3 });
    const response = await postChat(stack.url);
    assert.equal(response.status, 503);
    assert.match(response.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(sim().stats.requests['/api/chat'], 3);
  });

  test('a reload that turns retries off applies to the next request', async () => {
    const config = stack.gateway.services.getConfig();
    stack.gateway.reload({ ...config, retries: { ...config.retries, attempts: 0 } });
    try {
      sim().injectFault({ kind: 'refuse', times: 1 });
      const response = await postChat(stack.url);
      assert.equal(response.status, 502);
      assert.equal(sim().stats.requests['/api/chat'], 1);
    } finally {
      stack.gateway.reload(config);
    }
  });

  test('a connection cut after the first byte reached the client is not retried: SSE error, one upstream request', async () => {
    sim().injectFault({ kind: 'cut', afterTokens: 3 });
    const response = await postChat(stack.url, { stream: true });
    assert.equal(response.status, 200);
    const transcript = await followBody(response).rest();
    assert.ok(transcript.data.length >= 1, 'content reached the client before the cut');
    assert.ok(transcript.error !== undefined, 'the stream ends with an error event');
    assert.equal(transcript.done, false);
    assert.equal(sim().stats.requests['/api/chat'], 1);
  });

  test('a 4xx from Ollama is never retried', async () => {
    // llava has no `tools` capability: Ollama answers 400.
    const refused = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'llava',
        messages: [{ role: 'user', content: 'hi' }],
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
      }),
    });
    assert.equal(refused.status, 400);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /does not support tools/);
    assert.equal(sim().stats.requests['/api/chat'], 1);
  });

  test('a runner crash (500) is not retried either: the request may have run', async () => {
    sim().injectFault({ kind: 'status500' });
    const response = await postChat(stack.url);
    assert.equal(response.status, 502);
    assert.equal(sim().stats.requests['/api/chat'], 1);
  });
});
