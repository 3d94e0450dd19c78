import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { chatModelKey, postChat, until } from './traffic-client.ts';

/** Separate models so each limit is exercised on its own lane. */
const reservoirModel = 'qwen3:latest';
const timeoutModel = 'gemma3:latest';

describe('backpressure over HTTP: full queue, queue timeout, global cap, reservoir', () => {
  let stack: TestStack;
  const sim = () => stack.sim!;
  const scheduler = () => stack.gateway.services.scheduler;
  const lane = (model: string) => scheduler().snapshot().models[model]!;

  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: {
        logLevel: 'silent',
        models: {
          [chatModelKey]: { maxConcurrent: 1, maxQueue: 2 },
          [timeoutModel]: { maxConcurrent: 1, queueTimeoutMs: 100 },
          [reservoirModel]: { maxConcurrent: 5, maxQueue: 1, reservoir: 2, refreshIntervalMs: 1_000 },
        },
      },
    });
  });
  after(() => stack.close());
  beforeEach(() => {
    sim().gate.release();
    sim().stats.reset();
  });

  /** One request running at the gate and the queue of `chatModelKey` filled to its bound (2). */
  async function fillChatQueue(): Promise<Array<Promise<Response>>> {
    sim().gate.hold();
    const admitted = [postChat(stack.url, { content: 'running' })];
    await sim().gate.whenWaiting(1);
    admitted.push(postChat(stack.url), postChat(stack.url));
    await until(() => lane(chatModelKey).queued === 2, 'queue full');
    return admitted;
  }

  test('a full queue answers 429 rate_limit_exceeded with a Retry-After that counts the queue', async () => {
    const admitted = await fillChatQueue();
    const response = await postChat(stack.url);
    assert.equal(response.status, 429);
    const body = (await response.json()) as { error: { type: string; code: string } };
    assert.equal(body.error.type, 'rate_limit_error');
    assert.equal(body.error.code, 'rate_limit_exceeded');
    // Nothing served yet: 3 rounds (2 waiting + this one) of the 5 s prior service time on 1 slot.
    assert.equal(response.headers.get('retry-after'), '15');
    const config = stack.gateway.services.getConfig();
    stack.gateway.reload({ ...config, retryAfterCapSeconds: 10 });
    const capped = await postChat(stack.url);
    stack.gateway.reload(config);
    assert.equal(capped.status, 429);
    assert.equal(capped.headers.get('retry-after'), '10', 'capped by retryAfterCapSeconds');
    sim().gate.release();
    for (const pending of admitted) assert.equal((await pending).status, 200);
    assert.equal(sim().stats.requests['/api/chat'], 3);
  });

  test('the SDK with maxRetries 1 waits the Retry-After of a 429 and then succeeds', async () => {
    // Served requests make the observed service time tiny, so Retry-After is 1 s.
    const admitted = await fillChatQueue();
    const turnedAway = lane(chatModelKey).rejected.queue_full;
    const client = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'sk-test', maxRetries: 1 });
    const startedAt = Date.now();
    const answer = client.chat.completions.create({ model: chatModelKey, messages: [{ role: 'user', content: 'retry me' }] });
    await until(() => lane(chatModelKey).rejected.queue_full === turnedAway + 1, 'the 429 went out');
    // The queue drains while the SDK waits out Retry-After.
    sim().gate.release();
    await Promise.all(admitted);
    const completion = await answer;
    assert.match(completion.choices[0]?.message.content ?? '', /\S/);
    assert.ok(Date.now() - startedAt >= 950, 'the SDK waited the 1 s Retry-After before retrying');
  });

  test('a request that waits past queueTimeoutMs answers 503 queue_timeout with Retry-After', async () => {
    sim().gate.hold();
    const running = postChat(stack.url, { model: timeoutModel });
    await sim().gate.whenWaiting(1);
    const response = await postChat(stack.url, { model: timeoutModel });
    assert.equal(response.status, 503);
    const body = (await response.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'queue_timeout');
    assert.match(response.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(lane(timeoutModel).queued, 0);
    sim().gate.release();
    assert.equal((await running).status, 200);
    assert.equal(sim().stats.requests['/api/chat'], 1, 'the timed-out request never reached Ollama');
  });

  test('the global cap on running plus queued work answers 503 overloaded at once', async () => {
    const config = stack.gateway.services.getConfig();
    stack.gateway.reload({ ...config, maxTotalRequests: 2 });
    try {
      sim().gate.hold();
      const admitted = [postChat(stack.url, { model: timeoutModel }), postChat(stack.url, { model: chatModelKey })];
      await sim().gate.whenWaiting(2);
      // A third model, idle and with free slots, is still refused: the cap spans every model.
      const response = await postChat(stack.url, { model: 'llava' });
      assert.equal(response.status, 503);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'overloaded');
      assert.match(response.headers.get('retry-after') ?? '', /^\d+$/);
      sim().gate.release();
      for (const pending of admitted) assert.equal((await pending).status, 200);
    } finally {
      stack.gateway.reload(config);
    }
  });

  test('queued request bodies past maxQueuedBodyBytes answer 503 overloaded at once; smaller ones still queue', async () => {
    const config = stack.gateway.services.getConfig();
    stack.gateway.reload({ ...config, maxQueuedBodyBytes: 1_000 });
    try {
      sim().gate.hold();
      const running = postChat(stack.url, { content: 'x'.repeat(5_000) });
      await sim().gate.whenWaiting(1);
      // The running request's large body does not count: only bodies held while waiting do.
      const large = await postChat(stack.url, { content: 'y'.repeat(2_000) });
      assert.equal(large.status, 503);
      assert.equal(((await large.json()) as { error: { code: string } }).error.code, 'overloaded');
      assert.match(large.headers.get('retry-after') ?? '', /^\d+$/);
      const small = postChat(stack.url, { content: 'small' });
      await until(() => lane(chatModelKey).queued === 1, 'the small request queued');
      sim().gate.release();
      for (const pending of [running, small]) assert.equal((await pending).status, 200);
    } finally {
      stack.gateway.reload(config);
    }
  });

  test('an exhausted reservoir queues the next request until it refills, and 429s beyond its queue', async () => {
    const first = [postChat(stack.url, { model: reservoirModel }), postChat(stack.url, { model: reservoirModel })];
    const third = postChat(stack.url, { model: reservoirModel, content: 'after the refill' });
    for (const pending of first) assert.equal((await pending).status, 200);
    await until(() => lane(reservoirModel).queued === 1, 'the third request waits for a token');
    assert.equal(lane(reservoirModel).active, 0, 'slots are free: only the reservoir holds it back');
    assert.equal(sim().stats.requests['/api/chat'], 2);
    const fourth = await postChat(stack.url, { model: reservoirModel });
    assert.equal(fourth.status, 429, 'its queue (maxQueue 1) is full');
    assert.equal((await third).status, 200);
    assert.equal(sim().stats.requests['/api/chat'], 3);
  });
});
