import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaitQueue } from '../../src/scheduler/wait-queue.ts';

describe('WaitQueue', () => {
  it('removes from the head, middle and tail and keeps positions right', () => {
    const queue = new WaitQueue<string>();
    const entries = ['a', 'b', 'c', 'd'].map((value) => queue.push(value, 5));
    const urgent = queue.push('urgent', 0);
    const [a, b, , d] = entries;
    assert.ok(a && b && d);
    assert.deepEqual(entries.map((entry) => queue.positionOf(entry)), [2, 3, 4, 5]);
    assert.equal(queue.remove(b), true);
    assert.equal(queue.remove(b), false);
    assert.equal(queue.remove(d), true);
    assert.equal(queue.remove(urgent), true);
    assert.equal(queue.positionOf(b), 0);
    assert.equal(queue.size, 2);
    assert.deepEqual(queue.clear(), ['a', 'c']);
    assert.equal(queue.shift(), undefined);
    queue.push('again', 9);
    assert.equal(queue.shift(), 'again');
  });

  it('refuses a priority outside 0..9 instead of clamping it', () => {
    const queue = new WaitQueue<string>();
    assert.throws(() => queue.push('x', 10), RangeError);
    assert.throws(() => queue.push('x', 1.5), RangeError);
  });
});
