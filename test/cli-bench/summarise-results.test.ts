import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summariseResults, type BenchDescription } from '../../src/cli/bench/summarise-results.ts';
import { formatSummaryTable } from '../../src/cli/bench/format-summary-table.ts';
import type { RequestResult } from '../../src/cli/bench/send-bench-request.ts';

const description: BenchDescription = {
  url: 'http://127.0.0.1:4000/v1',
  api: 'openai-chat',
  model: 'llama3.2',
  stream: true,
  concurrency: 4,
  ratePerSecond: null,
  warmup: 0,
};

function result(overrides: Partial<RequestResult>): RequestResult {
  return {
    outcome: 'ok',
    status: 200,
    retryAfter: false,
    latencyMs: 100,
    timeToFirstTokenMs: 10,
    outputTokens: 10,
    tokensFromUsage: true,
    errorDetail: null,
    ...overrides,
  };
}

const results: RequestResult[] = [
  result({ latencyMs: 100, timeToFirstTokenMs: 10, outputTokens: 20 }),
  result({ latencyMs: 300, timeToFirstTokenMs: 30, outputTokens: 40, tokensFromUsage: false }),
  result({ latencyMs: 200, timeToFirstTokenMs: 20, outputTokens: 30 }),
  result({ outcome: 'http-error', status: 429, retryAfter: true, timeToFirstTokenMs: null, outputTokens: 0 }),
  result({ outcome: 'http-error', status: 503, timeToFirstTokenMs: null, outputTokens: 0 }),
  result({ outcome: 'network-error', status: null, errorDetail: 'ECONNRESET', timeToFirstTokenMs: null }),
  result({ outcome: 'timeout', status: null, timeToFirstTokenMs: null }),
];

test('figures come from successful requests; rates from the whole run', () => {
  const summary = summariseResults(description, { results, elapsedMs: 2_000, abortedInFlight: 0, interrupted: false });
  assert.deepEqual(summary.requests, { completed: 7, succeeded: 3, rejected: 2, failed: 2, abortedInFlight: 0 });
  assert.equal(summary.durationSeconds, 2);
  assert.equal(summary.requestsPerSecond, 3.5);
  assert.deepEqual(summary.latencyMs, { p50: 200, p90: 300, p99: 300, max: 300 });
  assert.deepEqual(summary.timeToFirstTokenMs, { p50: 20, p99: 30 });
  assert.deepEqual(summary.outputTokens, { total: 90, perSecond: 45, requestsWithoutUsage: 1 });
  assert.deepEqual(summary.errors, {
    byStatus: { '429': 1, '503': 1 },
    rateLimited: { count: 1, withRetryAfter: 1 },
    overloaded: { count: 1, withRetryAfter: 0 },
    responseErrors: 0,
    timeouts: 1,
    network: { ECONNRESET: 1 },
  });
});

test('an empty run summarises to zeros and nulls, not NaN', () => {
  const summary = summariseResults(description, { results: [], elapsedMs: 0, abortedInFlight: 2, interrupted: true });
  assert.equal(summary.partial, true);
  assert.equal(summary.requestsPerSecond, 0);
  assert.deepEqual(summary.latencyMs, { p50: null, p90: null, p99: null, max: null });
  assert.match(formatSummaryTable(summary), /latency +p50 — {2}p90 — {2}p99 — {2}max —/);
});

test('the table lists other statuses, timeouts and network codes by name', () => {
  const summary = summariseResults(
    { ...description, stream: false, ratePerSecond: 20, warmup: 5 },
    {
      results: [...results, result({ outcome: 'http-error', status: 500 })],
      elapsedMs: 1_000,
      abortedInFlight: 0,
      interrupted: false,
    },
  );
  const table = formatSummaryTable(summary);
  assert.match(table, /load +open loop at 20 req\/s, 4 connections, 5 warm-up requests/);
  assert.match(table, /first token +not measured \(use --stream\)/);
  assert.match(table, /tokens +90\.0 tokens\/s {2}\(90 output tokens; 1 requests without usage\)/);
  assert.match(table, /429 +1 \(1 with Retry-After\)/);
  assert.match(table, /503 +1 \(0 with Retry-After\)/);
  assert.match(table, /500 +1/);
  assert.match(table, /timeouts +1/);
  assert.match(table, /network ECONNRESET +1/);
});
