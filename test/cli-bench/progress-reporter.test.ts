import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgressReporter } from '../../src/cli/bench/progress-reporter.ts';
import type { RequestResult } from '../../src/cli/bench/send-bench-request.ts';
import { captureOutput } from './fake-target.ts';

const ok = { outcome: 'ok' } as RequestResult;
const failed = { outcome: 'http-error' } as RequestResult;

test('plain output: one line per report, with the rate since the previous report', () => {
  let clock = 0;
  const stream = captureOutput();
  const progress = createProgressReporter({ stream, interactive: false, total: 10, now: () => clock });
  progress.record(ok);
  progress.record(failed);
  clock = 1_000;
  progress.report();
  for (let count = 0; count < 4; count += 1) progress.record(ok);
  clock = 3_000;
  progress.finish();
  assert.equal(stream.text(), 'bench 2/10 done  2.0 req/s  1 errors\nbench 6/10 done  2.0 req/s  1 errors\n');
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
  assert.equal(stream.text(), '\rbench 12 done  24.0 req/s  0 errors\rbench 12 done  0.0 req/s  0 errors \n');
});
