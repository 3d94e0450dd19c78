import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLoad, type SendRequest } from '../../src/cli/bench/run-load.ts';
import type { RequestResult } from '../../src/cli/bench/send-bench-request.ts';

function resultOf(latencyMs: number, outcome: RequestResult['outcome'] = 'ok'): RequestResult {
  return {
    outcome,
    status: 200,
    retryAfter: false,
    latencyMs,
    timeToFirstTokenMs: null,
    outputTokens: 0,
    tokensFromUsage: false,
    errorDetail: null,
  };
}

/** A send that keeps each request open until the next turn of the event loop, tracking the peak. */
function createCountingSend(): { send: SendRequest; started: number[]; peakInFlight: () => number } {
  const started: number[] = [];
  let open = 0;
  let peak = 0;
  const send: SendRequest = async (index) => {
    started.push(index);
    open += 1;
    peak = Math.max(peak, open);
    await new Promise((resolve) => setImmediate(resolve));
    open -= 1;
    return resultOf(1);
  };
  return { send, started, peakInFlight: () => peak };
}

test('closed loop never has more than `concurrency` requests open and sends exactly `requests`', async () => {
  const counting = createCountingSend();
  const run = await runLoad(
    { concurrency: 3, requests: 10, durationMs: null, ratePerSecond: null },
    counting.send,
    { now: () => 0, signal: new AbortController().signal },
  );
  assert.equal(run.results.length, 10);
  assert.deepEqual(counting.started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(counting.peakInFlight(), 3);
  assert.equal(run.interrupted, false);
});

test('closed loop stops starting requests once the duration has passed', async () => {
  let clock = 0;
  const send: SendRequest = async () => {
    clock += 30;
    return resultOf(30);
  };
  const run = await runLoad({ concurrency: 1, requests: null, durationMs: 100, ratePerSecond: null }, send, {
    now: () => clock,
    signal: new AbortController().signal,
  });
  assert.equal(run.results.length, 4, 'started at 0, 30, 60 and 90');
  assert.equal(run.elapsedMs, 120);
});

test('open loop measures each request from when it was due, not when it was sent', async () => {
  const startedAt: number[] = [];
  const send: SendRequest = async (_index, due) => {
    startedAt.push(due);
    return resultOf(0);
  };
  // A clock far ahead: every request is overdue, so none waits.
  const run = await runLoad({ concurrency: 8, requests: 4, durationMs: null, ratePerSecond: 4 }, send, {
    now: () => 1_000_000,
    signal: new AbortController().signal,
  });
  assert.deepEqual(startedAt, [1_000_000, 1_000_250, 1_000_500, 1_000_750]);
  assert.equal(run.results.length, 4);
});

test('aborted requests are counted, not measured, and the callback sees only measured ones', async () => {
  const controller = new AbortController();
  const seen: RequestResult[] = [];
  const send: SendRequest = async (index) => {
    if (index === 2) controller.abort();
    return resultOf(5, controller.signal.aborted ? 'aborted' : 'ok');
  };
  const run = await runLoad({ concurrency: 1, requests: 10, durationMs: null, ratePerSecond: null }, send, {
    now: () => 0,
    signal: controller.signal,
    onResult: (result) => seen.push(result),
  });
  assert.equal(run.results.length, 2);
  assert.equal(run.abortedInFlight, 1);
  assert.equal(run.interrupted, true);
  assert.equal(seen.length, 2);
});
