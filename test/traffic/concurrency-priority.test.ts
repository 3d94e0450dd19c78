import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { chatModelKey, lastChatContent, postChat, readChatText, until } from './traffic-client.ts';

describe('per-model concurrency and priority over HTTP', () => {
  let stack: TestStack;
  const sim = () => stack.sim!;
  const snapshot = () => stack.gateway.services.scheduler.snapshot();

  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent', models: { [chatModelKey]: { maxConcurrent: 2 } } } });
  });
  after(() => stack.close());
  beforeEach(() => {
    sim().gate.release();
    sim().stats.reset();
  });

  test('eight requests never run more than maxConcurrent (2) at once on the simulator', async () => {
    sim().gate.hold();
    const responses = Array.from({ length: 8 }, (_, index) => postChat(stack.url, { content: `burst ${index}` }));
    await sim().gate.whenWaiting(2);
    await until(() => snapshot().queued === 6, 'six queued');
    assert.equal(snapshot().models[chatModelKey]?.active, 2);
    assert.equal(sim().stats.openRequests, 2);
    sim().gate.release();
    const statuses = await Promise.all(responses.map(async (pending) => (await pending).status));
    assert.deepEqual(statuses, Array(8).fill(200));
    assert.equal(sim().stats.maxConcurrency[chatModelKey], 2);
    assert.equal(sim().stats.requests['/api/chat'], 8);
  });

  test('n = 4 takes at most maxConcurrent slots at once and still answers four choices', async () => {
    sim().gate.hold();
    const pending = postChat(stack.url, { n: 4 });
    await sim().gate.whenWaiting(2);
    await until(() => snapshot().queued === 2, 'two generations queued');
    assert.equal(snapshot().models[chatModelKey]?.active, 2);
    sim().gate.release();
    const response = await pending;
    assert.equal(response.status, 200);
    const body = (await response.json()) as { choices: Array<{ index: number }> };
    assert.deepEqual(body.choices.map((choice) => choice.index), [0, 1, 2, 3]);
    assert.equal(sim().stats.maxConcurrency[chatModelKey], 2);
  });

  test('X-Priority orders the queue: lower first, FIFO within a priority', async () => {
    // One slot: a single running request holds it at the gate while the others queue.
    stack.gateway.reload({ ...stack.gateway.services.getConfig(), models: { [chatModelKey]: { maxConcurrent: 1 } } });
    try {
      sim().gate.hold();
      const running = postChat(stack.url, { content: 'running' });
      await sim().gate.whenWaiting(1);
      const queued: Array<Promise<Response>> = [];
      // `second-5` sends no header: the default priority is 5.
      const order: Array<[string, string | undefined]> = [['late-9', '9'], ['first-5', '5'], ['urgent-0', '0'], ['second-5', undefined], ['urgent-1', '1']];
      for (const [content, priority] of order) {
        queued.push(postChat(stack.url, { content, ...(priority === undefined ? {} : { priority }) }));
        await until(() => snapshot().queued === queued.length, `${content} queued`);
      }
      const started: string[] = [];
      for (let step = 0; step < order.length; step++) {
        // Let exactly one request through, then catch the next one the scheduler starts at the gate.
        sim().gate.release();
        sim().gate.hold();
        await sim().gate.whenWaiting(1);
        started.push(lastChatContent(sim().stats.lastBody) ?? '?');
      }
      sim().gate.release();
      assert.deepEqual(started, ['urgent-0', 'urgent-1', 'first-5', 'second-5', 'late-9']);
      assert.equal((await running).status, 200);
      for (const response of await Promise.all(queued)) assert.match(await readChatText(response), /\S/);
    } finally {
      stack.gateway.reload({ ...stack.gateway.services.getConfig(), models: { [chatModelKey]: { maxConcurrent: 2 } } });
    }
  });

  test('X-Priority outside 0..9 is a 400 naming the header, and never reaches Ollama', async () => {
    for (const priority of ['10', '-1', 'high', '1.5']) {
      const response = await postChat(stack.url, { priority });
      assert.equal(response.status, 400, `X-Priority: ${priority}`);
      const body = (await response.json()) as { error: { param: string; code: string } };
      assert.equal(body.error.param, 'X-Priority');
      assert.equal(body.error.code, 'invalid_priority');
    }
    assert.equal(sim().stats.requests['/api/chat'] ?? 0, 0);
  });
});
