import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgressReporter } from '../../src/cli/bench/progress-reporter.ts';
import type { RequestResult } from '../../src/cli/bench/send-bench-request.ts';
import { captureOutput } from './fake-target.ts';

const ok = { outcome: 'ok' } as RequestResult;
const failed = { outcome: 'http-error', status: 500 } as RequestResult;
const rejected = { outcome: 'http-error', status: 429 } as RequestResult;

test('plain output: one line per report; rejections (429/503) apart from errors', () => {
  let clock = 0;
  const stream = captureOutput();
  const progress = createProgressReporter({ stream, interactive: false, total: 10, now: () => clock });
  progress.record(ok);
  progress.record(failed);
  progress.record(rejected);
  clock = 1_000;
  progress.report();
  for (let count = 0; count < 3; count += 1) progress.record(ok);
  clock = 3_000;
  progress.finish();
  assert.equal(stream.text(), 'bench 3/10 done  3.0 req/s  1 rejected  1 errors\nbench 6/10 done  2.0 req/s  1 rejected  1 errors\n');
});

test('the rate is smoothed over the last 5 s rather than the last report', () => {
  let clock = 0;
  const stream = captureOutput();
  const progress = createProgressReporter({ stream, interactive: false, total: null, now: () => clock });
  // 10 a second for 6 s, then a one-second pause: the window still shows about 8 a second, not 0.
  for (let second = 1; second <= 6; second += 1) {
    for (let count = 0; count < 10; count += 1) progress.record(ok);
    clock = second * 1_000;
    progress.report();
  }
  clock = 7_000;
  progress.report();
  const rates = stream.text().trim().split('\n').map((line) => line.match(/ ([\d.]+) req\/s/)?.[1]);
  assert.deepEqual(rates, ['10.0', '10.0', '10.0', '10.0', '10.0', '10.0', '8.0']);
});

test('terminal output rewrites one line and ends it when finished', () => {
  let clock = 0;
  const stream = captureOutput(true);
  const progress = createProgressReporter({ stream, interactive: true, total: null, now: () => clock });
  for (let count = 0; count < 12; count += 1) progress.record(ok);
  clock = 500;
  progress.report();
  clock = 1_000;
  progress.finish();
  assert.equal(stream.text(), '\rbench 12 done  24.0 req/s  0 rejected  0 errors\rbench 12 done  12.0 req/s  0 rejected  0 errors\n');
});
