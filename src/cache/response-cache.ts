import { Counter, type Registry } from 'prom-client';
import type { CachedResponse, ResponseCacheStore } from './cached-response.ts';
import type { CacheUse } from './cache-policy.ts';

/** One cacheable request on its way: its key, how it uses the cache, the route for metrics. */
export interface CacheTicket {
  key: string;
  use: CacheUse;
  route: string;
}

/** The header that tells the client where an answer came from: `hit`, `miss` or `bypass` (no-cache). */
export const CACHE_HEADER = 'x-llm-sidecar-cache';

/**
 * The exact-match response cache of one app: a store (memory or Redis) and its counters
 * (`cache_requests_total{route,result}`). Hits are served before the request reaches a queue.
 */
export class ResponseCache {
  readonly #store: ResponseCacheStore;
  readonly #requests: Counter<'route' | 'result'>;

  constructor(store: ResponseCacheStore, registry: Registry) {
    this.#store = store;
    this.#requests = new Counter({
      name: 'llm_sidecar_cache_requests_total',
      help: 'Cacheable requests by result: hit (served from the cache), miss (answered and kept), bypass (Cache-Control: no-cache).',
      labelNames: ['route', 'result'],
      registers: [registry],
    });
  }

  /** The cached answer for a `lookup` ticket, or undefined (a miss, or not looked up); counts the result. */
  async read(ticket: CacheTicket): Promise<CachedResponse | undefined> {
    if (ticket.use === 'none') return undefined;
    const cached = ticket.use === 'lookup' ? await this.#store.get(ticket.key) : undefined;
    this.#requests.inc({ route: ticket.route, result: cached !== undefined ? 'hit' : ticket.use === 'refresh' ? 'bypass' : 'miss' });
    return cached;
  }

  /** Keeps a complete answer; a failed or cut answer is never written. */
  async write(ticket: CacheTicket, value: CachedResponse): Promise<void> {
    if (ticket.use !== 'none') await this.#store.set(ticket.key, value);
  }
}
