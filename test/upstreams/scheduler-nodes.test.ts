import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigInput } from '../../src/config/config-schema.ts';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { Scheduler, type NodeDirectory, type SlotNode } from '../../src/scheduler/scheduler.ts';
import { flushMicrotasks, makeConfig } from '../scheduler/scheduler-harness.ts';

/** A pool whose membership the test sets, with the change notifications the real pool sends. */
class TestDirectory implements NodeDirectory {
  nodes = new Map<string, SlotNode[]>();
  #listeners = new Set<() => void>();
  eligible(modelKey: string): readonly SlotNode[] {
    return this.nodes.get(modelKey) ?? [];
  }
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  set(modelKey: string, nodes: SlotNode[]): void {
    this.nodes.set(modelKey, nodes);
    for (const listener of this.#listeners) listener();
  }
}

const slotNode = (name: string, fields: Partial<SlotNode> = {}): SlotNode => ({ name, weight: 1, budget: null, loaded: false, ...fields });

function makeScheduler(directory: TestDirectory, input: ConfigInput = {}): Scheduler {
  const config = makeConfig(input);
  return new Scheduler({ getConfig: () => config, nodes: directory });
}

test('maxConcurrent applies per node: two nodes at 1 run two at once, and one queue feeds whichever frees first', async () => {
  const directory = new TestDirectory();
  directory.set('m', [slotNode('a'), slotNode('b')]);
  const scheduler = makeScheduler(directory, { models: { m: { maxConcurrent: 1 } } });
  const first = await scheduler.acquire('m');
  const second = await scheduler.acquire('m');
  assert.deepEqual([first.node, second.node].sort(), ['a', 'b']);
  let third: string | undefined;
  void scheduler.acquire('m').then((lease) => (third = lease.node));
  await flushMicrotasks();
  assert.equal(third, undefined);
  assert.equal(scheduler.snapshot().models['m']?.queued, 1);
  // the slot freed on b, not the one a request happened to queue behind, serves the waiter
  (first.node === 'b' ? first : second).release();
  await flushMicrotasks();
  assert.equal(third, 'b');
  assert.deepEqual(scheduler.snapshot().models['m']?.activeByNode, { a: 1, b: 1 });
});

test('a node budget bounds all models together; another node takes the rest', async () => {
  const directory = new TestDirectory();
  directory.set('x', [slotNode('a', { budget: 1 }), slotNode('b')]);
  directory.set('y', [slotNode('a', { budget: 1 }), slotNode('b')]);
  const scheduler = makeScheduler(directory, { defaults: { maxConcurrent: 4 } });
  const x = await scheduler.acquire('x');
  const y = await scheduler.acquire('y');
  assert.deepEqual([x.node, y.node], ['a', 'b']);
  // a's budget freed: the next request of any model may use it again
  x.release();
  assert.equal((await scheduler.acquire('y')).node, 'a');
});

test('the warm node is preferred until it is full, then the load spreads', async () => {
  const directory = new TestDirectory();
  directory.set('m', [slotNode('cold'), slotNode('warm', { loaded: true })]);
  const scheduler = makeScheduler(directory, { models: { m: { maxConcurrent: 2 } } });
  const nodes = [];
  for (let index = 0; index < 4; index += 1) nodes.push((await scheduler.acquire('m')).node);
  assert.deepEqual(nodes, ['warm', 'warm', 'cold', 'cold']);
});

test('round-robin and affinity strategies choose as configured', async () => {
  const directory = new TestDirectory();
  directory.set('m', [slotNode('a'), slotNode('b'), slotNode('c')]);
  const robin = makeScheduler(directory, { routing: { strategy: 'round-robin' }, defaults: { maxConcurrent: 10 } });
  const order = [];
  for (let index = 0; index < 3; index += 1) order.push((await robin.acquire('m')).node);
  assert.deepEqual(order.sort(), ['a', 'b', 'c']);
  const sticky = makeScheduler(directory, { routing: { strategy: 'affinity' }, defaults: { maxConcurrent: 10 } });
  const homes = new Set<string>();
  for (let index = 0; index < 5; index += 1) homes.add((await sticky.acquire('m', { affinityKey: 'conversation-1' })).node);
  assert.equal(homes.size, 1);
});

test('a retry avoids the node that failed when another is free', async () => {
  const directory = new TestDirectory();
  directory.set('m', [slotNode('a', { loaded: true }), slotNode('b')]);
  const scheduler = makeScheduler(directory);
  assert.equal((await scheduler.acquire('m', { avoidNodes: new Set(['a']) })).node, 'b');
});

test('a node joining starts queued requests at once', async () => {
  const directory = new TestDirectory();
  directory.set('m', [slotNode('a')]);
  const scheduler = makeScheduler(directory, { models: { m: { maxConcurrent: 1 } } });
  await scheduler.acquire('m');
  let started: string | undefined;
  void scheduler.acquire('m').then((lease) => (started = lease.node));
  await flushMicrotasks();
  assert.equal(started, undefined);
  directory.set('m', [slotNode('a'), slotNode('b')]);
  await flushMicrotasks();
  assert.equal(started, 'b');
});

test('Retry-After counts the model capacity on every node', async () => {
  const directory = new TestDirectory();
  const nodes = Array.from({ length: 4 }, (_, index) => slotNode(`n${index}`));
  directory.set('m', nodes);
  const scheduler = makeScheduler(directory, { models: { m: { maxConcurrent: 1, maxQueue: 0 } } });
  for (let index = 0; index < 4; index += 1) await scheduler.acquire('m');
  await assert.rejects(scheduler.acquire('m'), (error: unknown) => {
    assert.ok(error instanceof GatewayError);
    // one round of the prior 5 s service time over 4 slots: (0 + 1) / 4 × 5 s → 2 s
    assert.equal(error.retryAfterSeconds, 2);
    return true;
  });
  assert.deepEqual(scheduler.outlook('m'), { waitMs: 1250, queueFull: true });
});
