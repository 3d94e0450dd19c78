import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';

describe('fair share between keys (one slot, real gateway and simulator)', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: {
        models: { 'llama3.2': { maxConcurrent: 1, maxQueue: 50 } },
        apiKeys: [
          { name: 'heavy', key: 'sk-heavy' },
          { name: 'light', key: 'sk-light' },
        ],
      },
    });
  });
  after(() => stack.close());

  const send = (key: string, content: string): Promise<number> =>
    fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content }] }),
    }).then(async (response) => {
      await response.arrayBuffer();
      return response.status;
    });
  const queued = (): number => stack.gateway.services.scheduler.snapshot().models['llama3.2:latest']?.queued ?? 0;
  const seenBySimulator = (): string => (stack.sim!.stats.lastBody['/api/chat'] as { messages: Array<{ content: string }> }).messages[0]!.content;

  test("a light key's 3 requests are not served behind a heavy key's queue", async () => {
    const sim = stack.sim!;
    sim.gate.hold();
    const answers = [send('sk-heavy', 'heavy-0')];
    await sim.gate.whenWaiting(1);
    for (let index = 1; index <= 6; index += 1) answers.push(send('sk-heavy', `heavy-${index}`));
    while (queued() < 6) await new Promise((resolve) => setImmediate(resolve));
    for (let index = 0; index < 3; index += 1) answers.push(send('sk-light', `light-${index}`));
    while (queued() < 9) await new Promise((resolve) => setImmediate(resolve));

    // The simulator sees one request at a time: note it, let it finish, hold the next one.
    const order: string[] = [];
    for (let served = 0; served < 10; served += 1) {
      await sim.gate.whenWaiting(1);
      order.push(seenBySimulator());
      sim.gate.release();
      if (served < 9) sim.gate.hold();
    }
    assert.deepEqual((await Promise.all(answers)).filter((status) => status !== 200), []);
    assert.deepEqual(order, ['heavy-0', 'heavy-1', 'light-0', 'heavy-2', 'light-1', 'heavy-3', 'light-2', 'heavy-4', 'heavy-5', 'heavy-6']);
  });
});
