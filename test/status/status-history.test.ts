import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeKeyStats, describeLiveStats, describeSeries, type HistorySample } from '../../src/status/describe-history.ts';
import { estimateQuantile } from '../../src/status/estimate-quantile.ts';
import { RingBuffer } from '../../src/status/ring-buffer.ts';

describe('RingBuffer', () => {
  test('keeps the latest `capacity` items, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    assert.deepEqual(ring.toArray(), []);
    for (const value of [1, 2]) ring.push(value);
    assert.deepEqual(ring.toArray(), [1, 2]);
    for (const value of [3, 4, 5]) ring.push(value);
    assert.deepEqual(ring.toArray(), [3, 4, 5]);
    assert.equal(ring.size, 3);
  });

  test('refuses a capacity below 1', () => {
    assert.throws(() => new RingBuffer(0), RangeError);
  });
});

describe('estimateQuantile', () => {
  const buckets = (counts: number[]): Array<[number, number]> => [0.1, 0.5, 1, Infinity].map((bound, index) => [bound, counts[index]!]);

  test('interpolates within the bucket, like histogram_quantile', () => {
    // 10 observations: 4 up to 0.1 s, 4 in (0.1, 0.5], 2 in (0.5, 1].
    assert.equal(estimateQuantile(0.5, buckets([4, 8, 10, 10])), 0.1 + 0.4 * (1 / 4));
    assert.equal(estimateQuantile(0.2, buckets([4, 8, 10, 10])), 0.05);
  });

  test('counts only what happened between two readings', () => {
    const earlier = buckets([4, 8, 10, 10]);
    const later = buckets([4, 8, 12, 12]);
    assert.equal(estimateQuantile(0.5, later, earlier), 0.75);
  });

  test('null without observations; the highest finite bound for the +Inf bucket', () => {
    assert.equal(estimateQuantile(0.5, buckets([0, 0, 0, 0])), null);
    assert.equal(estimateQuantile(0.99, buckets([0, 0, 0, 5])), 1);
  });
});

describe('live rates and series from history samples', () => {
  const sample = (at: number, requests: number, completionTokens: number, queued: number): HistorySample => ({
    at,
    models: new Map([['m:latest', { queued, active: 1, counters: { requests, completionTokens, firstTokenBuckets: [[0.1, requests], [Infinity, requests]] } }]]),
    keys: new Map([['team-a', { requests, limited: Math.floor(requests / 10) }]]),
  });

  test('rates over the window start at the oldest sample inside it', () => {
    const samples = [sample(0, 0, 0, 0), sample(10_000, 10, 100, 3), sample(20_000, 20, 300, 1)];
    const live = describeLiveStats(samples, sample(30_000, 30, 600, 0), 20_000).get('m:latest')!;
    assert.equal(live.requests_per_s, 1);
    assert.equal(live.tokens_per_s, 25);
    assert.equal(live.ttft_p50_ms, 50);
  });

  test('per key: requests and 429s since start, their rate and count within the window', () => {
    const samples = [sample(0, 0, 0, 0), sample(10_000, 10, 100, 3), sample(20_000, 20, 300, 1)];
    assert.deepEqual(describeKeyStats(samples, sample(30_000, 30, 600, 0), 20_000).get('team-a'), { requests: 30, requests_per_s: 1, limited: 3, limited_recently: 2 });
  });

  test('no earlier sample: no rate yet', () => {
    assert.equal(describeLiveStats([], sample(0, 1, 1, 0), 60_000).get('m:latest')?.tokens_per_s, null);
  });

  test('each point has the counts at its sample and the rates since the previous one', () => {
    const series = describeSeries([sample(0, 0, 0, 2), sample(10_000, 10, 100, 3)]);
    assert.deepEqual(series.map((point) => point.models.get('m:latest')), [
      { queued: 2, active: 1, tokens_per_s: null, ttft_p50_ms: null },
      { queued: 3, active: 1, tokens_per_s: 10, ttft_p50_ms: 50 },
    ]);
  });
});
