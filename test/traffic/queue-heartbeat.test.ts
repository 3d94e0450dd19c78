import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { chatModelKey, followBody, postChat } from './traffic-client.ts';

const timeoutModel = 'gemma3:latest';

describe('streaming requests that wait in the queue', () => {
  let stack: TestStack;
  const sim = () => stack.sim!;

  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: {
        logLevel: 'silent',
        queueHeartbeat: { openAfterMs: 40, intervalMs: 20 },
        models: { [chatModelKey]: { maxConcurrent: 1 }, [timeoutModel]: { maxConcurrent: 1, queueTimeoutMs: 300 } },
      },
    });
  });
  after(() => stack.close());
  beforeEach(() => {
    sim().gate.release();
    sim().stats.reset();
  });

  test('after openAfterMs the SSE response opens with `: queued position=N` comments, then the answer follows', async () => {
    sim().gate.hold();
    const running = postChat(stack.url, { content: 'running' });
    await sim().gate.whenWaiting(1);
    const queued = await postChat(stack.url, { stream: true, content: 'queued' });
    // The headers came while the request was still queued: the slot is held at the gate.
    assert.equal(queued.status, 200);
    assert.match(queued.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(stack.gateway.services.scheduler.snapshot().queued, 1);
    const body = followBody(queued);
    await body.waitFor(/: queued position=1\n\n[\s\S]*: queued position=1\n\n/);
    sim().gate.release();
    const transcript = await body.rest();
    assert.ok(transcript.comments.filter((comment) => comment === 'queued position=1').length >= 2);
    assert.equal(transcript.done, true);
    assert.equal(transcript.error, undefined);
    const content = transcript.data
      .filter((payload): payload is { choices: Array<{ delta: { content?: string } }> } => typeof payload === 'object')
      .map((chunk) => chunk.choices[0]?.delta.content ?? '')
      .join('');
    assert.match(content, /\S/);
    assert.equal((await running).status, 200);
  });

  test('a queue timeout after the stream opened is an SSE error event with code queue_timeout', async () => {
    sim().gate.hold();
    const running = postChat(stack.url, { model: timeoutModel });
    await sim().gate.whenWaiting(1);
    const queued = await postChat(stack.url, { model: timeoutModel, stream: true });
    assert.equal(queued.status, 200, 'the stream opened before the deadline, so the status is already sent');
    const transcript = await followBody(queued).rest();
    assert.ok(transcript.comments.includes('queued position=1'));
    assert.equal(transcript.error?.code, 'queue_timeout');
    assert.equal(transcript.done, false);
    sim().gate.release();
    assert.equal((await running).status, 200);
    assert.equal(sim().stats.requests['/api/chat'], 1, 'the timed-out request never reached Ollama');
  });

  test('a streaming request that fails before openAfterMs keeps its real HTTP status (503 queue_timeout)', async () => {
    const config = stack.gateway.services.getConfig();
    stack.gateway.reload({ ...config, queueHeartbeat: { openAfterMs: 5_000, intervalMs: 1_000 } });
    try {
      sim().gate.hold();
      const running = postChat(stack.url, { model: timeoutModel });
      await sim().gate.whenWaiting(1);
      const queued = await postChat(stack.url, { model: timeoutModel, stream: true });
      assert.equal(queued.status, 503);
      assert.match(queued.headers.get('content-type') ?? '', /json/);
      assert.match(queued.headers.get('retry-after') ?? '', /^\d+$/);
      assert.equal(((await queued.json()) as { error: { code: string } }).error.code, 'queue_timeout');
      sim().gate.release();
      assert.equal((await running).status, 200);
    } finally {
      stack.gateway.reload(config);
    }
  });
});
