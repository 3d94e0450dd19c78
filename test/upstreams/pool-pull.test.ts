import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until } from '../traffic/traffic-client.ts';
import { chat, startPoolStack } from './pool-stack.ts';

test('a pull on demand goes to the least busy healthy Ollama node, which then serves the model', async () => {
  const stack = await startPoolStack([{ name: 'busy', sim: { models: [{ name: 'llama3.2' }] } }, { name: 'idle', sim: { models: [{ name: 'llama3.2' }] } }], {
    pullOnDemand: true,
    pullAllowed: ['fresh*'],
    models: { 'llama3.2': { maxConcurrent: 4 } },
  });
  try {
    const busy = stack.sims.get('busy')!;
    busy.gate.hold();
    // warm on `busy`, so both of these go there
    await fetch(`${busy.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'llama3.2', prompt: '' }) });
    await stack.gateway.health.check();
    const held = [chat(stack, 'llama3.2', 'one'), chat(stack, 'llama3.2', 'two')];
    await until(() => stack.gateway.services.scheduler.snapshot().inFlightByNode['busy'] === 2, 'two running on busy');
    const answer = await chat(stack, 'fresh-model', 'hello');
    assert.ok(answer.choices[0]?.message.content);
    assert.equal(stack.sims.get('idle')!.stats.requests['/api/pull'], 1);
    assert.equal(busy.stats.requests['/api/pull'], undefined);
    assert.equal(stack.sims.get('idle')!.stats.requests['/api/chat'], 1);
    busy.gate.release();
    await Promise.all(held);
  } finally {
    await stack.close();
  }
});
