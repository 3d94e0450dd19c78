import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { describe, it } from 'node:test';
import { ReservoirTokens } from '../../src/scheduler/reservoir-tokens.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { FakeClock } from './fake-clock.ts';
import { makeConfig } from './scheduler-harness.ts';

describe('ReservoirTokens', () => {
  it('hands out the first window synchronously, then fetches one token at a time after each refresh', async () => {
    const events = new EventEmitter();
    const tokens = new ReservoirTokens({ amount: 1, refreshIntervalMs: 30 }, () => events.emit('token'));
    try {
      assert.equal(tokens.take(), true); // a fresh reservoir starts a burst with no timer hop
      assert.equal(tokens.take(), false); // the window's only token is spent
      assert.equal(tokens.take(), false); // still one fetch outstanding, not two
      await once(events, 'token');
      assert.equal(tokens.take(), true);
      assert.equal(tokens.take(), false);
    } finally {
      tokens.stop();
    }
  });
});

describe('ReservoirTokens first window', () => {
  it('lets unused first-window tokens expire when Bottleneck refreshes, so no window gives more than its amount', async (context) => {
    // Only Date is faked: Bottleneck's heartbeat timer runs for real and reads the faked clock.
    context.mock.timers.enable({ apis: ['Date'], now: 0 });
    const events = new EventEmitter();
    const tokens = new ReservoirTokens({ amount: 2, refreshIntervalMs: 40 }, () => events.emit('token'));
    try {
      context.mock.timers.setTime(40);
      assert.equal(tokens.take(), false); // the two unused first-window tokens are gone
      await once(events, 'token'); // the second window's, from Bottleneck
      assert.equal(tokens.take(), true);
    } finally {
      tokens.stop();
    }
  });
});

describe('Scheduler with a reservoir', () => {
  it('queues requests past the reservoir and starts them when it refills', async () => {
    const config = makeConfig({ models: { m: { maxConcurrent: 5, reservoir: 2, refreshIntervalMs: 40 } } });
    const scheduler = new Scheduler({ getConfig: () => config });
    try {
      const pending = [scheduler.acquire('m'), scheduler.acquire('m'), scheduler.acquire('m')];
      const firstTwo = await Promise.all(pending.slice(0, 2));
      assert.equal(scheduler.snapshot().models.m?.queued, 1);
      for (const lease of firstTwo) lease.release();
      assert.equal(scheduler.snapshot().models.m?.queued, 1); // slots are free, tokens are not
      const third = await pending[2];
      third?.release();
      assert.equal(scheduler.snapshot().models.m?.served, 3);
    } finally {
      scheduler.close();
    }
  });

  it('keeps the queue deadline, abort and bound while waiting for tokens', async () => {
    const clock = new FakeClock();
    const config = makeConfig({ models: { m: { maxConcurrent: 5, maxQueue: 2, rpm: 1, queueTimeoutMs: 1_000 } } });
    const scheduler = new Scheduler({ getConfig: () => config, clock });
    try {
      (await scheduler.acquire('m')).release();
      const controller = new AbortController();
      const aborted = scheduler.acquire('m', { signal: controller.signal });
      const timedOut = scheduler.acquire('m');
      await assert.rejects(scheduler.acquire('m'), { status: 429, code: 'rate_limit_exceeded' });
      controller.abort(new Error('client left'));
      await assert.rejects(aborted, { message: 'client left' });
      clock.advance(1_000);
      await assert.rejects(timedOut, { status: 503, code: 'queue_timeout' });
      assert.equal(scheduler.snapshot().queued, 0);
    } finally {
      scheduler.close();
    }
  });
});
