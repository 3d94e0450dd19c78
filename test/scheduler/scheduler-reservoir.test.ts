import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { describe, it } from 'node:test';
import { ReservoirTokens } from '../../src/scheduler/reservoir-tokens.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { FakeClock } from './fake-clock.ts';
import { makeConfig } from './scheduler-harness.ts';

describe('ReservoirTokens', () => {
  it('hands out the first window synchronously, then the next window after each refresh', async () => {
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

describe('ReservoirTokens left', () => {
  it('counts the window down synchronously and shows the refreshed amount without a request', async (context) => {
    // Only Date is faked: Bottleneck's heartbeat runs for real and refreshes when the faked clock says so.
    context.mock.timers.enable({ apis: ['Date'], now: 0 });
    const events = new EventEmitter();
    const tokens = new ReservoirTokens({ amount: 3, refreshIntervalMs: 40 }, () => events.emit('refresh'));
    try {
      assert.equal(tokens.left, 3);
      assert.equal(tokens.take(), true);
      assert.equal(tokens.take(), true);
      assert.equal(tokens.left, 1);
      context.mock.timers.setTime(40);
      assert.equal(tokens.left, 0, 'the first window has ended; Bottleneck has not refreshed yet');
      await once(events, 'refresh');
      assert.equal(tokens.left, 3, 'a new window, with nobody asking');
      assert.equal(tokens.take(), true);
      assert.equal(tokens.left, 2);
      context.mock.timers.setTime(80);
      await once(events, 'refresh');
      assert.equal(tokens.left, 3, 'unused tokens do not carry over into the next window');
    } finally {
      tokens.stop();
    }
  });
});

describe('Scheduler with a reservoir', () => {
  it('reports the tokens left: the amount, the amount less what started, the amount again after the refresh', async (context) => {
    context.mock.timers.enable({ apis: ['Date'], now: 0 });
    const config = makeConfig({ models: { m: { maxConcurrent: 5, reservoir: 3, refreshIntervalMs: 40 } } });
    const scheduler = new Scheduler({ getConfig: () => config });
    const left = (): number | null | undefined => scheduler.snapshot().models.m?.reservoirLeft;
    try {
      assert.equal(left(), 3, 'a configured model before its first request');
      const firstTwo = [await scheduler.acquire('m'), await scheduler.acquire('m')];
      assert.equal(left(), 1);
      for (const lease of firstTwo) lease.release();
      assert.equal(left(), 1, 'a finished request does not give its token back');
      (await scheduler.acquire('m')).release();
      assert.equal(left(), 0);
      const waiting = scheduler.acquire('m');
      context.mock.timers.setTime(40);
      (await waiting).release(); // started by the refresh
      assert.equal(left(), 2);
    } finally {
      scheduler.close();
    }
  });


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
