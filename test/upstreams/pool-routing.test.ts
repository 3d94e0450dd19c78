import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until } from '../traffic/traffic-client.ts';
import { chat, startPoolStack } from './pool-stack.ts';

const only = (...names: string[]) => names.map((name) => ({ name }));

test('requests go to the node that has the model; the listing is the union', async () => {
  const stack = await startPoolStack([
    { name: 'a', sim: { models: only('llama3.2') } },
    { name: 'b', sim: { models: only('qwen3', 'gemma3') } },
  ]);
  try {
    await chat(stack, 'llama3.2');
    await chat(stack, 'qwen3');
    await chat(stack, 'gemma3');
    assert.equal(stack.sims.get('a')!.stats.requests['/api/chat'], 1);
    assert.equal(stack.sims.get('b')!.stats.requests['/api/chat'], 2);
    const models = await stack.openai.models.list();
    assert.deepEqual(models.data.map((model) => model.id).sort(), ['gemma3:latest', 'llama3.2:latest', 'qwen3:latest']);
    await assert.rejects(chat(stack, 'mistral'), { status: 404 });
  } finally {
    await stack.close();
  }
});

test('one queue feeds several nodes: maxConcurrent applies per node and no request waits while a node has a free slot', async () => {
  const stack = await startPoolStack([{ name: 'a' }, { name: 'b' }, { name: 'c' }], { models: { 'llama3.2': { maxConcurrent: 2 } } });
  try {
    for (const sim of stack.sims.values()) sim.gate.hold();
    const pending = Array.from({ length: 9 }, (_, index) => chat(stack, 'llama3.2', `q${index}`));
    // 2 per node run, the other 3 wait in the one queue
    await Promise.all([...stack.sims.values()].map((sim) => sim.gate.whenWaiting(2)));
    await until(() => stack.gateway.services.scheduler.snapshot().models['llama3.2:latest']?.queued === 3, 'three queued');
    // node a frees its slots: the queue feeds it, whatever node the waiters "queued behind"
    stack.sims.get('a')!.gate.release();
    await stack.sims.get('a')!.stats.whenIdle();
    for (const sim of stack.sims.values()) sim.gate.release();
    await Promise.all(pending);
    for (const sim of stack.sims.values()) assert.ok((sim.stats.maxConcurrency['llama3.2:latest'] ?? 0) <= 2, 'per-node maxConcurrent held');
    assert.equal([...stack.sims.values()].reduce((total, sim) => total + (sim.stats.requests['/api/chat'] ?? 0), 0), 9);
  } finally {
    await stack.close();
  }
});

test('a node budget bounds all models together on that node', async () => {
  const stack = await startPoolStack([{ name: 'small', upstream: { maxConcurrent: 1 } }, { name: 'big' }], { defaults: { maxConcurrent: 4 } });
  try {
    for (const sim of stack.sims.values()) sim.gate.hold();
    const pending = [chat(stack, 'llama3.2', 'x'), chat(stack, 'qwen3', 'y'), chat(stack, 'gemma3', 'z'), chat(stack, 'llama3.2', 'w')];
    await stack.sims.get('big')!.gate.whenWaiting(3);
    assert.equal(stack.sims.get('small')!.gate.waiting, 1);
    for (const sim of stack.sims.values()) sim.gate.release();
    await Promise.all(pending);
    assert.equal(stack.sims.get('small')!.stats.maxOpenRequests, 1);
  } finally {
    await stack.close();
  }
});

test('the warm node is preferred, and load spreads to the cold one when it is full', async () => {
  const stack = await startPoolStack([{ name: 'cold' }, { name: 'warm' }], { models: { 'llama3.2': { maxConcurrent: 2 } } });
  try {
    // someone loaded the model on `warm` behind the gateway's back: its /api/ps says so
    await fetch(`${stack.sims.get('warm')!.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'llama3.2', prompt: '' }) });
    await stack.gateway.health.check();
    await chat(stack, 'llama3.2', 'first');
    await chat(stack, 'llama3.2', 'second');
    assert.equal(stack.sims.get('warm')!.stats.requests['/api/chat'], 2);
    assert.equal(stack.sims.get('cold')!.stats.requests['/api/chat'], undefined);
    for (const sim of stack.sims.values()) sim.gate.hold();
    const pending = Array.from({ length: 3 }, (_, index) => chat(stack, 'llama3.2', `burst ${index}`));
    await stack.sims.get('warm')!.gate.whenWaiting(2);
    await stack.sims.get('cold')!.gate.whenWaiting(1);
    for (const sim of stack.sims.values()) sim.gate.release();
    await Promise.all(pending);
  } finally {
    await stack.close();
  }
});

test('least-busy spreads evenly (counted by the simulators themselves)', async () => {
  const stack = await startPoolStack([{ name: 'a' }, { name: 'b' }, { name: 'c' }], { routing: { strategy: 'least-busy' }, models: { 'llama3.2': { maxConcurrent: 4 } } });
  try {
    for (const sim of stack.sims.values()) sim.gate.hold();
    const pending = Array.from({ length: 6 }, (_, index) => chat(stack, 'llama3.2', `spread ${index}`));
    await Promise.all([...stack.sims.values()].map((sim) => sim.gate.whenWaiting(2)));
    assert.deepEqual([...stack.sims.values()].map((sim) => sim.stats.openRequests), [2, 2, 2]);
    for (const sim of stack.sims.values()) sim.gate.release();
    await Promise.all(pending);
  } finally {
    await stack.close();
  }
});

test('affinity keeps one conversation on one node', async () => {
  const stack = await startPoolStack([{ name: 'a' }, { name: 'b' }, { name: 'c' }], { routing: { strategy: 'affinity', affinityKey: 'header' } });
  try {
    for (let turn = 0; turn < 4; turn += 1) await chat(stack, 'llama3.2', `turn ${turn}`, { 'x-session-id': 'session-42' });
    const counts = [...stack.sims.values()].map((sim) => sim.stats.requests['/api/chat'] ?? 0);
    assert.deepEqual(counts.toSorted((left, right) => left - right), [0, 0, 4]);
  } finally {
    await stack.close();
  }
});
