import type { Registry } from 'prom-client';
import type { ResponseCacheStore } from './cached-response.ts';
import type { CacheConfig } from './cache-policy.ts';
import { MemoryCacheStore } from './memory-cache-store.ts';
import { ResponseCache } from './response-cache.ts';

/**
 * The app's response cache, or undefined when the config turns every part of it off (then no
 * counter is registered and no lookup is made). The store is chosen at start-up: a reload changes
 * what is cached, not where.
 */
export function createResponseCache(config: CacheConfig, registry: Registry, now: () => number, store?: ResponseCacheStore): ResponseCache | undefined {
  if (!config.embeddings && config.completions === 'off') return undefined;
  return new ResponseCache(store ?? new MemoryCacheStore({ maxEntries: config.maxEntries, maxBytes: config.maxBytes, ttlMs: config.ttlMs, now }), registry);
}
