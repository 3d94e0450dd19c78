import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConfig } from '../../src/config/load-config.ts';
import { startSimulator } from '../../src/sim/simulator.ts';
import { until } from '../traffic/traffic-client.ts';
import { chat, startPoolStack } from './pool-stack.ts';

test('a reload under load: an added node joins, a removed one finishes its requests and leaves, nothing is lost', async () => {
  const stack = await startPoolStack([{ name: 'a' }], { models: { 'llama3.2': { maxConcurrent: 2 } } });
  const added = await startSimulator();
  try {
    const old = stack.sims.get('a')!;
    old.gate.hold();
    // two run on a, two wait in the queue
    const before = Array.from({ length: 4 }, (_, index) => chat(stack, 'llama3.2', `before ${index}`).catch((error: unknown) => error));
    await old.gate.whenWaiting(2);
    await until(() => stack.gateway.services.scheduler.snapshot().queued === 2, 'two queued');
    stack.gateway.reload(buildConfig({ logLevel: 'silent', resources: { enabled: false }, models: { 'llama3.2': { maxConcurrent: 2 } }, upstreams: [{ name: 'b', url: added.url }] }));
    // the queued ones start on b as soon as b has been checked and listed
    await until(() => (added.stats.requests['/api/chat'] ?? 0) === 2, 'the queued requests went to the new node');
    assert.deepEqual(stack.gateway.services.pool.nodes.map((node) => node.name), ['b']);
    const after = await chat(stack, 'llama3.2', 'after');
    assert.ok(after.choices[0]?.message.content);
    old.gate.release();
    const results = await Promise.all(before);
    assert.ok(results.every((result) => !(result instanceof Error)), 'every request answered');
    assert.equal(old.stats.requests['/api/chat'], 2);
    assert.equal(added.stats.requests['/api/chat'], 3);
  } finally {
    await stack.close();
    await added.close();
  }
});
