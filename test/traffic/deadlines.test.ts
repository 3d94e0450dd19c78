import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { chatModelKey, followBody, postChat, until } from './traffic-client.ts';

/** One slot per model, so "the slot came back" is "the next request runs". Connect timeout: connect-timeout.test.ts. */
const firstByteModel = chatModelKey;
const idleModel = 'qwen3:latest';
const totalModel = 'gemma3:latest';

describe('upstream deadlines over HTTP', () => {
  let stack: TestStack;
  const sim = () => stack.sim!;
  const lane = (model: string) => stack.gateway.services.scheduler.snapshot().models[model]!;

  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: {
        logLevel: 'silent',
        retries: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
        models: {
          [firstByteModel]: { maxConcurrent: 1, firstByteTimeoutMs: 100 },
          [idleModel]: { maxConcurrent: 1, idleTimeoutMs: 100 },
          [totalModel]: { maxConcurrent: 1, requestTimeoutMs: 200, idleTimeoutMs: 10_000, firstByteTimeoutMs: 10_000 },
        },
      },
    });
  });
  after(() => stack.close());
  beforeEach(() => {
    sim().setOptions({ timeToFirstTokenMs: 0, tokensPerSecond: 0 });
    sim().clearFaults();
    sim().stats.reset();
  });

  /** The slot is free again: a request that would otherwise queue runs and answers 200. */
  async function assertSlotFreed(model: string): Promise<void> {
    sim().setOptions({ timeToFirstTokenMs: 0, tokensPerSecond: 0 });
    await until(() => lane(model).active === 0, `${model} slot released`);
    const response = await postChat(stack.url, { model });
    assert.equal(response.status, 200);
    await response.text();
  }

  async function metricCount(status: string): Promise<number> {
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    const pattern = new RegExp(`^llm_sidecar_requests_total\\{[^}]*status="${status}"[^}]*\\} (\\d+)`, 'gm');
    return [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
  }

  test('time to first byte: Ollama silent past firstByteTimeoutMs answers 504 upstream_timeout, not retried', async () => {
    // Ollama sends no headers for 5 s; the 100 ms deadline fires within about 1 s (undici's coarse timer).
    sim().setOptions({ timeToFirstTokenMs: 5_000 });
    const before504 = await metricCount('504');
    const response = await postChat(stack.url, { model: firstByteModel, stream: true });
    assert.equal(response.status, 504);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'upstream_timeout');
    assert.equal(sim().stats.requests['/api/chat'], 1, 'a deadline is not retried');
    assert.equal(await metricCount('504'), before504 + 1, 'the expiry is counted');
    await assertSlotFreed(firstByteModel);
  });

  test('idle between chunks: a stream that goes silent past idleTimeoutMs ends with an SSE error upstream_timeout', async () => {
    // One token every 2 s: the first line comes at once, then a silence longer than the deadline.
    // (undici checks body timeouts on a coarse timer, so a 100 ms deadline fires within about 1 s.)
    sim().setOptions({ tokensPerSecond: 0.5 });
    const response = await postChat(stack.url, { model: idleModel, stream: true });
    assert.equal(response.status, 200);
    const transcript = await followBody(response).rest();
    assert.ok(transcript.data.length >= 1, 'a chunk arrived before the silence');
    assert.equal(transcript.error?.code, 'upstream_timeout');
    assert.equal(transcript.done, false);
    await until(() => sim().stats.aborted === 1, 'the upstream request was aborted');
    assert.equal(sim().stats.requests['/api/chat'], 1, 'output had started: no retry');
    await assertSlotFreed(idleModel);
  });

  test('a `stall` fault (Ollama sends its headers, then nothing) ends the opened stream with upstream_timeout', async () => {
    sim().injectFault({ kind: 'stall' });
    const response = await postChat(stack.url, { model: idleModel, stream: true });
    // The SSE response opens on Ollama's OK, so the deadline can only be an error event.
    assert.equal(response.status, 200);
    const transcript = await followBody(response).rest();
    assert.equal(transcript.error?.code, 'upstream_timeout');
    assert.equal(transcript.data.length, 1);
    await assertSlotFreed(idleModel);
  });

  test('total request time: past requestTimeoutMs a non-streamed request answers 504', async () => {
    sim().setOptions({ tokensPerSecond: 5 });
    const response = await postChat(stack.url, { model: totalModel });
    assert.equal(response.status, 504);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'upstream_timeout');
    await assertSlotFreed(totalModel);
  });

  test('total request time: past requestTimeoutMs a stream that is still producing ends with an SSE error upstream_timeout', async () => {
    // 20 tokens a second: never idle for long, but 12 tokens take 550 ms, past the 200 ms total.
    sim().setOptions({ tokensPerSecond: 20 });
    const response = await postChat(stack.url, { model: totalModel, stream: true });
    assert.equal(response.status, 200);
    const transcript = await followBody(response).rest();
    assert.equal(transcript.error?.code, 'upstream_timeout');
    await assertSlotFreed(totalModel);
  });
});
