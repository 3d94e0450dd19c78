import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { chatModelKey, followBody, lastChatContent, postChat, until } from './traffic-client.ts';

const maxQueue = 3;

describe('clients that go away', () => {
  let stack: TestStack;
  const sim = () => stack.sim!;
  const snapshot = () => stack.gateway.services.scheduler.snapshot();

  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent', models: { [chatModelKey]: { maxConcurrent: 1, maxQueue } } } });
  });
  after(() => stack.close());
  beforeEach(() => {
    sim().gate.release();
    sim().stats.reset();
  });

  test('queued clients that disconnect leave the queue at once, free its places, and never reach Ollama', async () => {
    sim().gate.hold();
    const running = postChat(stack.url, { content: 'running' });
    await sim().gate.whenWaiting(1);
    const controllers = Array.from({ length: maxQueue }, () => new AbortController());
    const leaving = controllers.map((controller, index) => postChat(stack.url, { content: `leaving ${index}`, signal: controller.signal }).catch((error: unknown) => error));
    await until(() => snapshot().queued === maxQueue, 'the queue is full');
    for (const controller of controllers) controller.abort();
    for (const outcome of await Promise.all(leaving)) assert.equal((outcome as Error).name, 'AbortError');
    await until(() => snapshot().queued === 0, 'the queue is empty');
    assert.equal(snapshot().models[chatModelKey]?.rejected.aborted, maxQueue);

    // The gate is still held: the running request has not finished, yet N new requests get in.
    const admitted = Array.from({ length: maxQueue }, (_, index) => postChat(stack.url, { content: `admitted ${index}` }));
    await until(() => snapshot().queued === maxQueue, 'N new requests queued');
    assert.equal(snapshot().models[chatModelKey]?.rejected.queue_full, 0);
    assert.equal(sim().gate.waiting, 1);
    sim().gate.release();
    assert.equal((await running).status, 200);
    for (const pending of admitted) assert.equal((await pending).status, 200);
    assert.equal(sim().stats.requests['/api/chat'], 1 + maxQueue, 'none of the clients that left reached Ollama');
    assert.equal(sim().stats.aborted, 0);
  });

  test('a running client that disconnects aborts the upstream request, and the next queued request starts', async () => {
    sim().gate.hold();
    const controller = new AbortController();
    const running = postChat(stack.url, { content: 'walks away', stream: true, signal: controller.signal });
    await sim().gate.whenWaiting(1);
    const next = postChat(stack.url, { content: 'next in line' });
    await until(() => snapshot().queued === 1, 'the next request queued');
    controller.abort();
    await running.then((response) => followBody(response).rest()).catch(() => undefined);
    await until(() => sim().stats.aborted === 1, 'the simulator saw the abort');
    // The freed slot goes to the queued request, which reaches the (still held) gate.
    await sim().gate.whenWaiting(1);
    assert.equal(lastChatContent(sim().stats.lastBody), 'next in line');
    assert.equal(snapshot().queued, 0);
    sim().gate.release();
    assert.equal((await next).status, 200);
    assert.equal(sim().stats.maxConcurrency[chatModelKey], 1);
  });
});
