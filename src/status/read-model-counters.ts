import type { GatewayMetrics } from '../observability/metrics.ts';

/** One model's cumulative counters since the gateway started, as its metrics hold them. */
export interface ModelCounters {
  requests: number;
  completionTokens: number;
  /** Time to first token: cumulative counts per upper bound in seconds, ascending, `+Inf` last. */
  firstTokenBuckets: Array<[upperBound: number, count: number]>;
}

/** Requests that name no model (listings, status, docs) carry this label; they are not a model's. */
const NO_MODEL = 'none';

/**
 * Reads the per-model counters out of the gateway's own Prometheus metrics, so the status history
 * sees exactly what a scrape would, and no request path has to report to it separately.
 */
export async function readModelCounters(metrics: GatewayMetrics): Promise<Map<string, ModelCounters>> {
  const [requests, tokens, firstToken] = await Promise.all([metrics.requestsTotal.get(), metrics.tokensTotal.get(), metrics.timeToFirstToken.get()]);
  const counters = new Map<string, ModelCounters>();
  const of = (model: string): ModelCounters => {
    let entry = counters.get(model);
    if (entry === undefined) {
      entry = { requests: 0, completionTokens: 0, firstTokenBuckets: [] };
      counters.set(model, entry);
    }
    return entry;
  };
  for (const sample of requests.values) {
    const model = String(sample.labels.model ?? NO_MODEL);
    if (model !== NO_MODEL) of(model).requests += sample.value;
  }
  for (const sample of tokens.values) {
    if (sample.labels.kind === 'completion') of(String(sample.labels.model)).completionTokens += sample.value;
  }
  for (const sample of firstToken.values) {
    // Bucket samples carry `le` besides the declared labels.
    const le = (sample.labels as Record<string, string | number | undefined>)['le'];
    if (sample.metricName?.endsWith('_bucket') !== true || le === undefined) continue;
    const upperBound = le === '+Inf' ? Infinity : Number(le);
    of(String(sample.labels.model)).firstTokenBuckets.push([upperBound, sample.value]);
  }
  for (const entry of counters.values()) entry.firstTokenBuckets.sort(([a], [b]) => a - b);
  return counters;
}
