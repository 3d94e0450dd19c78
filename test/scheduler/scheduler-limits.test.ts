import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Config } from '../../src/config/config-schema.ts';
import { overloaded, type GatewayError } from '../../src/errors/gateway-error.ts';
import { Scheduler, type GlobalLimits, type Lease } from '../../src/scheduler/scheduler.ts';
import { FakeClock } from './fake-clock.ts';
import { makeConfig } from './scheduler-harness.ts';

async function rejectionOf(pending: Promise<unknown>): Promise<GatewayError> {
  try {
    await pending;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a rejection');
}

describe('Scheduler limits', () => {
  it('answers 429 when the queue is full, with a Retry-After that grows with the queue and is capped', async () => {
    const clock = new FakeClock();
    let config = makeConfig({ retryAfterCapSeconds: 30, models: { m: { maxConcurrent: 1, maxQueue: 1 } } });
    const scheduler = new Scheduler({ getConfig: () => config, clock });
    const first = await scheduler.acquire('m');
    clock.advance(4_000);
    first.release(); // one observed service time of 4 s replaces the prior
    const retryAfters: number[] = [];
    const running = await scheduler.acquire('m');
    const held: Array<Promise<Lease>> = [];
    for (const maxQueue of [1, 2, 4, 100]) {
      config = makeConfig({ retryAfterCapSeconds: 30, models: { m: { maxConcurrent: 1, maxQueue } } });
      while (scheduler.snapshot().models.m?.queued !== maxQueue) held.push(scheduler.acquire('m'));
      const error = await rejectionOf(scheduler.acquire('m'));
      assert.equal(error.status, 429);
      assert.equal(error.code, 'rate_limit_exceeded');
      retryAfters.push(error.retryAfterSeconds ?? 0);
    }
    // (queued + 1) rounds of 4 s on one slot, capped at 30
    assert.deepEqual(retryAfters, [8, 12, 20, 30]);
    assert.equal(scheduler.snapshot().models.m?.rejected.queue_full, 4);
    scheduler.rejectAll(overloaded('test over', 1));
    await Promise.allSettled(held);
    running.release();
  });

  it('answers 503 queue_timeout with Retry-After when the wait passes queueTimeoutMs', async () => {
    const clock = new FakeClock();
    const config = makeConfig({ models: { m: { maxConcurrent: 1, queueTimeoutMs: 1_000 } } });
    const scheduler = new Scheduler({ getConfig: () => config, clock });
    const holder = await scheduler.acquire('m');
    const waiting = rejectionOf(scheduler.acquire('m', { bodyBytes: 10 }));
    clock.advance(999);
    assert.equal(scheduler.snapshot().queued, 1);
    clock.advance(1);
    const error = await waiting;
    assert.equal(error.status, 503);
    assert.equal(error.code, 'queue_timeout');
    assert.ok((error.retryAfterSeconds ?? 0) >= 1);
    assert.deepEqual([scheduler.snapshot().queued, scheduler.snapshot().queuedBytes], [0, 0]);
    holder.release();
  });

  it('drains: new work gets 503 draining, queued work still runs, whenIdle resolves at the end', async () => {
    const clock = new FakeClock();
    const config = makeConfig({ models: { m: { maxConcurrent: 1 } } });
    const scheduler = new Scheduler({ getConfig: () => config, clock });
    const holder = await scheduler.acquire('m');
    const queued = scheduler.acquire('m');
    scheduler.drain();
    const error = await rejectionOf(scheduler.acquire('m'));
    assert.deepEqual([error.status, error.code], [503, 'draining']);
    assert.ok((error.retryAfterSeconds ?? 0) >= 1);
    assert.equal(scheduler.snapshot().draining, true);
    let idle = false;
    const whenIdle = scheduler.whenIdle().then(() => {
      idle = true;
    });
    holder.release();
    const next = await queued;
    assert.equal(idle, false);
    next.release();
    await whenIdle;
    assert.equal(idle, true);
  });

  it('answers 503 overloaded at once when running plus queued work reaches the global cap', async () => {
    const clock = new FakeClock();
    const config = makeConfig({ models: { a: { maxConcurrent: 1 }, b: { maxConcurrent: 1 } } });
    const scheduler = new Scheduler({ getConfig: () => config, clock, getGlobalLimits: () => ({ maxTotalRequests: 3 }) });
    const leases = [await scheduler.acquire('a'), await scheduler.acquire('b')];
    const queued = scheduler.acquire('a');
    const error = await rejectionOf(scheduler.acquire('b'));
    assert.deepEqual([error.status, error.code], [503, 'overloaded']);
    assert.equal(clock.timersCreated, 1);
    for (const lease of leases) lease.release();
    (await queued).release();
  });

  it('bounds the bytes of queued bodies, and frees them when a waiter starts', async () => {
    const clock = new FakeClock();
    const config = makeConfig({ models: { m: { maxConcurrent: 1 } } });
    const limits: Partial<GlobalLimits> = { maxQueuedBodyBytes: 1_000 };
    const scheduler = new Scheduler({ getConfig: () => config, clock, getGlobalLimits: () => limits });
    const holder = await scheduler.acquire('m', { bodyBytes: 5_000 }); // running bodies are not queued
    const first = scheduler.acquire('m', { bodyBytes: 600 });
    const error = await rejectionOf(scheduler.acquire('m', { bodyBytes: 600 }));
    assert.deepEqual([error.status, error.code], [503, 'overloaded']);
    const second = scheduler.acquire('m', { bodyBytes: 400 });
    assert.equal(scheduler.snapshot().queuedBytes, 1_000);
    holder.release();
    assert.equal(scheduler.snapshot().queuedBytes, 400);
    (await first).release();
    (await second).release();
  });

  it('applies reloaded limits to new work without dropping queued or running requests', async () => {
    const clock = new FakeClock();
    let config: Config = makeConfig({ models: { m: { maxConcurrent: 1, maxQueue: 1 } } });
    const scheduler = new Scheduler({ getConfig: () => config, clock });
    const running = await scheduler.acquire('m');
    const queued = scheduler.acquire('m');
    config = makeConfig({ models: { m: { maxConcurrent: 3, maxQueue: 5 } } });
    const third = await scheduler.acquire('m'); // the raised limit starts the queued one and this one
    assert.equal(scheduler.snapshot().models.m?.active, 3);
    assert.equal(scheduler.snapshot().models.m?.limits.maxConcurrent, 3);
    const fourth = scheduler.acquire('m');
    assert.equal(scheduler.snapshot().models.m?.queued, 1);
    config = makeConfig({ models: { m: { maxConcurrent: 1, maxQueue: 5 } } });
    running.release();
    (await queued).release();
    third.release();
    (await fourth).release();
    assert.equal(scheduler.snapshot().models.m?.served, 4);
  });

  it('applyLimits() after a reload starts queued requests under a raised limit at once', async () => {
    let config: Config = makeConfig({ models: { m: { maxConcurrent: 1 } } });
    const scheduler = new Scheduler({ getConfig: () => config, clock: new FakeClock() });
    const running = await scheduler.acquire('m');
    const queued = scheduler.acquire('m');
    config = makeConfig({ models: { m: { maxConcurrent: 2 } } });
    assert.equal(scheduler.snapshot().models.m?.queued, 1); // nothing re-reads the config by itself
    scheduler.applyLimits();
    assert.equal(scheduler.snapshot().models.m?.active, 2);
    running.release();
    (await queued).release();
    assert.equal(scheduler.snapshot().models.m?.served, 2);
  });

  it('reports the limits of configured models before their first request', () => {
    const config = makeConfig({ models: { quiet: { maxConcurrent: 3, rpm: 60 } } });
    const scheduler = new Scheduler({ getConfig: () => config, clock: new FakeClock() });
    const quiet = scheduler.snapshot().models.quiet;
    assert.deepEqual([quiet?.limits.maxConcurrent, quiet?.limits.reservoir, quiet?.active], [3, { amount: 60, refreshIntervalMs: 60_000 }, 0]);
  });

  it('uses defaults for unlisted models', async () => {
    const config = makeConfig({ defaults: { maxConcurrent: 4, maxQueue: 7 } });
    const scheduler = new Scheduler({ getConfig: () => config, clock: new FakeClock() });
    (await scheduler.acquire('unlisted')).release();
    const limits = scheduler.snapshot().models.unlisted?.limits;
    assert.deepEqual([limits?.maxConcurrent, limits?.maxQueue, limits?.reservoir], [4, 7, null]);
  });
});
