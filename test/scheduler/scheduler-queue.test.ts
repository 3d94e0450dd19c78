import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { overloaded } from '../../src/errors/gateway-error.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { FakeClock } from './fake-clock.ts';
import { LeaseRecorder, flushMicrotasks, makeConfig } from './scheduler-harness.ts';

function createScheduler(maxConcurrent: number, maxQueue = 100): { scheduler: Scheduler; clock: FakeClock } {
  const clock = new FakeClock();
  const config = makeConfig({ models: { m: { maxConcurrent, maxQueue } } });
  return { scheduler: new Scheduler({ getConfig: () => config, clock }), clock };
}

describe('Scheduler queueing', () => {
  it('grants a free slot with no timer and before any setImmediate callback', async () => {
    const { scheduler, clock } = createScheduler(1);
    let immediateRan = false;
    setImmediate(() => {
      immediateRan = true;
    });
    const lease = await scheduler.acquire('m');
    assert.equal(immediateRan, false);
    assert.equal(clock.timersCreated, 0);
    assert.equal(lease.queueWaitMs, 0);
    lease.release();
  });

  it('never runs more than maxConcurrent at once and serves every request', async () => {
    const { scheduler } = createScheduler(3);
    const recorder = new LeaseRecorder();
    const all = Array.from({ length: 20 }, (_, index) => recorder.track(`r${index}`, scheduler.acquire('m')));
    await flushMicrotasks();
    assert.equal(recorder.active, 3);
    for (let served = 0; served < 20; served += 1) {
      recorder.releaseOldest();
      await flushMicrotasks();
    }
    await Promise.all(all);
    assert.equal(recorder.maxActive, 3);
    assert.equal(recorder.order.length, 20);
    assert.equal(scheduler.snapshot().models.m?.served, 20);
  });

  it('serves lower priority numbers first and FIFO within a priority', async () => {
    const { scheduler } = createScheduler(1);
    const recorder = new LeaseRecorder();
    const first = recorder.track('holder', scheduler.acquire('m'));
    const requests: Array<[string, number]> = [['a9', 9], ['b5', 5], ['c0', 0], ['d5', 5], ['e0', 0], ['f9', 9]];
    const pending = requests.map(([name, priority]) => recorder.track(name, scheduler.acquire('m', { priority })));
    await first;
    for (let index = 0; index < requests.length; index += 1) {
      recorder.releaseOldest();
      await flushMicrotasks();
    }
    await Promise.all(pending);
    assert.deepEqual(recorder.order, ['holder', 'c0', 'e0', 'b5', 'd5', 'a9', 'f9']);
  });

  it('reports the queue position to onQueued and keeps it current', async () => {
    const { scheduler } = createScheduler(1);
    const holder = await scheduler.acquire('m');
    const positions: Array<() => number> = [];
    const waiting = [5, 5, 0].map((priority) => scheduler.acquire('m', { priority, onQueued: (ticket) => positions.push(() => ticket.position()) }));
    assert.deepEqual(positions.map((position) => position()), [2, 3, 1]);
    holder.release();
    const next = await waiting[2];
    assert.deepEqual(positions.map((position) => position()), [1, 2, 0]);
    next?.release();
    (await waiting[0])?.release();
    (await waiting[1])?.release();
  });

  it('frees the place of an aborted waiter at once: N aborts admit N new requests', async () => {
    const queueSize = 3;
    const { scheduler } = createScheduler(1, queueSize);
    const holder = await scheduler.acquire('m');
    const controllers = Array.from({ length: queueSize }, () => new AbortController());
    const abandoned = controllers.map((controller) => scheduler.acquire('m', { signal: controller.signal }));
    await assert.rejects(scheduler.acquire('m'), { status: 429 });
    for (const controller of controllers) controller.abort(new Error('client went away'));
    assert.equal(scheduler.snapshot().models.m?.queued, 0);
    for (const pending of abandoned) await assert.rejects(pending, { message: 'client went away' });
    const admitted = Array.from({ length: queueSize }, () => scheduler.acquire('m'));
    assert.equal(scheduler.snapshot().models.m?.queued, queueSize);
    assert.equal(scheduler.snapshot().models.m?.rejected.aborted, queueSize);
    holder.release();
    for (const pending of admitted) (await pending).release();
    assert.equal(scheduler.snapshot().inFlight, 0);
  });

  it('rejects at once with the reason of an already aborted signal', async () => {
    const { scheduler } = createScheduler(1);
    await assert.rejects(scheduler.acquire('m', { signal: AbortSignal.abort(new Error('gone')) }), { message: 'gone' });
    assert.equal(scheduler.snapshot().inFlight, 0);
  });

  it('releases idempotently', async () => {
    const { scheduler } = createScheduler(1);
    const lease = await scheduler.acquire('m');
    lease.release();
    lease.release();
    assert.equal(scheduler.snapshot().models.m?.active, 0);
    assert.equal(scheduler.snapshot().models.m?.served, 1);
  });

  it('keeps separate queues per model', async () => {
    const { scheduler } = createScheduler(1);
    const first = await scheduler.acquire('m');
    const other = await scheduler.acquire('other');
    assert.equal(scheduler.snapshot().inFlight, 2);
    first.release();
    other.release();
  });

  it('ends every queued waiter on rejectAll and then reports idle', async () => {
    const { scheduler } = createScheduler(1);
    const holder = await scheduler.acquire('m');
    const waiting = [scheduler.acquire('m'), scheduler.acquire('m')];
    scheduler.rejectAll(overloaded('shutting down', 1, 'shutdown'));
    for (const pending of waiting) await assert.rejects(pending, { code: 'shutdown' });
    assert.equal(scheduler.snapshot().queued, 0);
    const idle = scheduler.whenIdle();
    holder.release();
    await idle;
  });
});
