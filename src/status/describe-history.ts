import { estimateQuantile } from './estimate-quantile.ts';
import type { KeyCounters } from './read-key-counters.ts';
import type { ModelCounters } from './read-model-counters.ts';

/** One model at one moment: the scheduler's counts and the cumulative counters of its metrics. */
export interface ModelReading {
  queued: number;
  active: number;
  counters: ModelCounters;
}

/** Every model (by model key) and every named API key at one moment. */
export interface HistorySample {
  at: number;
  models: Map<string, ModelReading>;
  keys: Map<string, KeyCounters>;
}

/** One API key's requests since the gateway started, and its rate over the live window. */
export interface LiveKeyStats {
  requests: number;
  requests_per_s: number | null;
  /** Requests answered 429 since the gateway started. */
  limited: number;
  /** Requests answered 429 within the live window. */
  limited_recently: number;
}

/** Rates of one model over the live window. */
export interface LiveModelStats {
  requests_per_s: number | null;
  tokens_per_s: number | null;
  ttft_p50_ms: number | null;
  ttft_p95_ms: number | null;
}

/** One point of a sparkline: the counts at the sample, the rates since the one before. */
export interface ModelPoint {
  queued: number;
  active: number;
  tokens_per_s: number | null;
  ttft_p50_ms: number | null;
}

const EMPTY: ModelCounters = { requests: 0, completionTokens: 0, firstTokenBuckets: [] };

/** Rates between two readings of a model (the earlier one absent: the model had no traffic yet). */
function ratesBetween(later: ModelCounters, earlier: ModelCounters | undefined, seconds: number): LiveModelStats {
  const before = earlier ?? EMPTY;
  if (seconds <= 0) return { requests_per_s: null, tokens_per_s: null, ttft_p50_ms: null, ttft_p95_ms: null };
  const toMs = (seconds: number | null): number | null => (seconds === null ? null : round(seconds * 1000));
  return {
    requests_per_s: round((later.requests - before.requests) / seconds),
    tokens_per_s: round((later.completionTokens - before.completionTokens) / seconds),
    ttft_p50_ms: toMs(estimateQuantile(0.5, later.firstTokenBuckets, before.firstTokenBuckets)),
    ttft_p95_ms: toMs(estimateQuantile(0.95, later.firstTokenBuckets, before.firstTokenBuckets)),
  };
}

/** The oldest sample within `windowMs` before `current`: where the live rates start. */
function windowStart(samples: readonly HistorySample[], current: HistorySample, windowMs: number): HistorySample | undefined {
  return samples.find((sample) => current.at - sample.at <= windowMs && sample.at < current.at);
}

/**
 * Per model, the rates from the oldest sample within `windowMs` of `current` up to `current`:
 * requests/s, tokens/s, TTFT p50/p95. A gateway younger than the window uses all it has.
 */
export function describeLiveStats(samples: readonly HistorySample[], current: HistorySample, windowMs: number): Map<string, LiveModelStats> {
  const start = windowStart(samples, current, windowMs);
  const stats = new Map<string, LiveModelStats>();
  for (const [model, reading] of current.models) {
    stats.set(model, ratesBetween(reading.counters, start?.models.get(model)?.counters, start === undefined ? 0 : (current.at - start.at) / 1000));
  }
  return stats;
}

/** Per API key: requests and 429s since start, and their rate and count within the live window. */
export function describeKeyStats(samples: readonly HistorySample[], current: HistorySample, windowMs: number): Map<string, LiveKeyStats> {
  const start = windowStart(samples, current, windowMs);
  const seconds = start === undefined ? 0 : (current.at - start.at) / 1000;
  const stats = new Map<string, LiveKeyStats>();
  for (const [key, counters] of current.keys) {
    const before = start?.keys.get(key) ?? { requests: 0, limited: 0 };
    stats.set(key, {
      requests: counters.requests,
      requests_per_s: seconds > 0 ? round((counters.requests - before.requests) / seconds) : null,
      limited: counters.limited,
      limited_recently: counters.limited - before.limited,
    });
  }
  return stats;
}

/** The sparkline points of every model, one per sample; rates are null at the first sample. */
export function describeSeries(samples: readonly HistorySample[]): Array<{ at: number; models: Map<string, ModelPoint> }> {
  return samples.map((sample, index) => {
    const previous = index === 0 ? undefined : samples[index - 1];
    const models = new Map<string, ModelPoint>();
    for (const [model, reading] of sample.models) {
      const rates = previous === undefined ? undefined : ratesBetween(reading.counters, previous.models.get(model)?.counters, (sample.at - previous.at) / 1000);
      models.set(model, { queued: reading.queued, active: reading.active, tokens_per_s: rates?.tokens_per_s ?? null, ttft_p50_ms: rates?.ttft_p50_ms ?? null });
    }
    return { at: sample.at, models };
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
