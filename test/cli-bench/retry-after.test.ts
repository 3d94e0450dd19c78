import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../src/cli/bench/parse-retry-after.ts';
import { runLoad, type SendRequest } from '../../src/cli/bench/run-load.ts';
import type { RequestResult } from '../../src/cli/bench/send-bench-request.ts';

function resultOf(overrides: Partial<RequestResult> = {}): RequestResult {
  return { outcome: 'ok', status: 200, retryAfter: false, latencyMs: 1, timeToFirstTokenMs: null, outputTokens: 0, tokensFromUsage: false, errorDetail: null, ...overrides };
}

const rejectedFor = (ms: number): RequestResult => resultOf({ outcome: 'http-error', status: 429, retryAfter: true, retryAfterMs: ms });

/** A fake clock that moves only when the load waits, and a send that answers request 0 with a 429. */
function createHarness() {
  let clock = 0;
  const startedAt: number[] = [];
  const waits: number[] = [];
  const send: SendRequest = async (index, start) => {
    startedAt.push(start);
    return index === 0 ? rejectedFor(2_000) : resultOf();
  };
  const wait = async (ms: number): Promise<void> => {
    waits.push(ms);
    clock += ms;
  };
  return { send, wait, now: () => clock, startedAt, waits };
}

test('Retry-After: delay-seconds or an HTTP date, as milliseconds', () => {
  assert.equal(parseRetryAfter('3', 0), 3_000);
  assert.equal(parseRetryAfter(['7'], 0), 7_000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1_000), 4_000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 9_000), 0);
  assert.equal(parseRetryAfter(undefined, 0), undefined);
  assert.equal(parseRetryAfter('soon', 0), undefined);
});

test('closed loop: after a 429 with Retry-After no request starts until it has passed', async () => {
  const harness = createHarness();
  const run = await runLoad({ concurrency: 1, requests: 3, durationMs: null, ratePerSecond: null }, harness.send, { now: harness.now, signal: new AbortController().signal, wait: harness.wait });
  assert.equal(run.results.length, 3);
  assert.deepEqual(harness.waits, [2_000]);
  assert.deepEqual(harness.startedAt, [0, 2_000, 2_000]);
});

test('open loop: requests held back start when the delay has passed and are measured from then', async () => {
  const harness = createHarness();
  // One start a millisecond: the 429 to request 0 is back when request 1 is due (at 1 ms).
  await runLoad({ concurrency: 4, requests: 3, durationMs: null, ratePerSecond: 1_000 }, harness.send, { now: harness.now, signal: new AbortController().signal, wait: harness.wait });
  assert.deepEqual(harness.waits, [1, 2_000]);
  assert.deepEqual(harness.startedAt, [0, 2_001, 2_001]);
});

test('with honourRetryAfter off (--ignore-retry-after) the load goes on at once', async () => {
  const harness = createHarness();
  await runLoad({ concurrency: 1, requests: 3, durationMs: null, ratePerSecond: null }, harness.send, { now: harness.now, signal: new AbortController().signal, wait: harness.wait, honourRetryAfter: false });
  assert.deepEqual(harness.waits, []);
  assert.deepEqual(harness.startedAt, [0, 0, 0]);
});

test('a timed run never waits past its end', async () => {
  const harness = createHarness();
  const run = await runLoad({ concurrency: 1, requests: null, durationMs: 500, ratePerSecond: null }, harness.send, { now: harness.now, signal: new AbortController().signal, wait: harness.wait });
  assert.deepEqual(harness.waits, [500]);
  assert.equal(run.results.length, 1);
});
