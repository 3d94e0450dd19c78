import type { Registry } from 'prom-client';

/** One API key's cumulative requests since the gateway started. */
export interface KeyCounters {
  requests: number;
  /** Answered 429: over one of its limits (or a full queue). */
  limited: number;
}

/** The per-key request counter, registered when API keys have names (see the keys layer). */
const KEY_REQUESTS = 'llm_sidecar_key_requests_total';

/**
 * Per-key requests and 429s out of the gateway's metrics; empty while no per-key counter is
 * registered. Read by name, so the status needs nothing from the keys layer but its metric.
 */
export async function readKeyCounters(registry: Registry): Promise<Map<string, KeyCounters>> {
  const metric = registry.getSingleMetric(KEY_REQUESTS);
  const counters = new Map<string, KeyCounters>();
  if (metric === undefined) return counters;
  for (const sample of (await metric.get()).values) {
    const key = sample.labels['key'];
    if (key === undefined) continue;
    const entry = counters.get(String(key)) ?? { requests: 0, limited: 0 };
    entry.requests += sample.value;
    if (String(sample.labels['status']) === '429') entry.limited += sample.value;
    counters.set(String(key), entry);
  }
  return counters;
}
