import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaitQueue, type QueueTenant } from '../../src/scheduler/wait-queue.ts';

const heavy: QueueTenant = { id: 'heavy', weight: 1 };
const light: QueueTenant = { id: 'light', weight: 1 };

describe('WaitQueue fair share between tenants', () => {
  it('keeps one tenant FIFO', () => {
    const queue = new WaitQueue<number>();
    for (let index = 0; index < 5; index += 1) queue.push(index, 5, heavy);
    assert.deepEqual(queue.clear(), [0, 1, 2, 3, 4]);
  });

  it('serves a light tenant within its share when a heavy one queued first', () => {
    const queue = new WaitQueue<string>();
    for (let index = 0; index < 200; index += 1) queue.push(`heavy-${index}`, 5, heavy);
    const lightEntries = [0, 1, 2].map((index) => queue.push(`light-${index}`, 5, light));
    assert.deepEqual(lightEntries.map((entry) => queue.positionOf(entry)), [2, 4, 6]);
    const order = queue.clear();
    assert.deepEqual(order.slice(0, 6), ['heavy-0', 'light-0', 'heavy-1', 'light-1', 'heavy-2', 'light-2']);
    assert.deepEqual(order.slice(6, 9), ['heavy-3', 'heavy-4', 'heavy-5']);
  });

  it('shares by weight while both wait', () => {
    const queue = new WaitQueue<string>();
    for (let index = 0; index < 8; index += 1) queue.push('a', 5, { id: 'a', weight: 3 });
    for (let index = 0; index < 8; index += 1) queue.push('b', 5, { id: 'b', weight: 1 });
    assert.deepEqual(queue.clear().slice(0, 8).join(''), 'aaabaaab');
  });

  it('still puts a more urgent class first whatever the tenant', () => {
    const queue = new WaitQueue<string>();
    queue.push('heavy-late', 5, heavy);
    queue.push('light-urgent', 1, light);
    assert.equal(queue.shift(), 'light-urgent');
  });

  it('keeps the round going when a tenant leaves by removal', () => {
    const queue = new WaitQueue<string>();
    const c = { id: 'c', weight: 1 };
    queue.push('a1', 5, heavy);
    queue.push('a2', 5, heavy);
    const b1 = queue.push('b1', 5, light);
    queue.push('c1', 5, c);
    queue.push('c2', 5, c);
    assert.equal(queue.shift(), 'a1');
    assert.equal(queue.remove(b1), true);
    assert.equal(queue.positionOf(b1), 0);
    assert.deepEqual(queue.clear(), ['c1', 'a2', 'c2']);
  });

  it('gives positions that match the order of service', () => {
    const queue = new WaitQueue<string>();
    const entries = [
      queue.push('h1', 5, heavy),
      queue.push('h2', 5, heavy),
      queue.push('h3', 5, heavy),
      queue.push('l1', 5, { id: 'light', weight: 2 }),
      queue.push('l2', 5, { id: 'light', weight: 2 }),
      queue.push('l3', 5, { id: 'light', weight: 2 }),
    ];
    const positions = entries.map((entry) => [entry.value, queue.positionOf(entry)] as const).sort((a, b) => a[1] - b[1]);
    assert.deepEqual(queue.clear(), positions.map(([value]) => value));
  });
});
