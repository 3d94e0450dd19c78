/** The `cache` section of the config. */
export interface CacheConfig {
  embeddings: boolean;
  completions: 'deterministic' | 'off';
  maxEntries: number;
  maxBytes: number;
  ttlMs: number;
}

/** The fields of a chat or text completion request that decide whether its answer can be replayed. */
export interface GenerationFields {
  temperature?: number | null | undefined;
  seed?: number | null | undefined;
  tools?: readonly unknown[] | null | undefined;
}

/**
 * Only a request whose answer does not vary is cached: temperature 0 or a fixed seed. A request with
 * tools is never cached: a tool call asks the client to act, and replaying it would repeat the act.
 */
export function isDeterministic(request: GenerationFields): boolean {
  if (request.tools !== undefined && request.tools !== null && request.tools.length > 0) return false;
  return request.temperature === 0 || (request.seed !== undefined && request.seed !== null);
}

/** How one request uses the cache: look it up (and keep the answer), keep the answer only, or not at all. */
export type CacheUse = 'lookup' | 'refresh' | 'none';

/**
 * `Cache-Control: no-cache` from the client skips the lookup (the fresh answer replaces the cached
 * one); `no-store` leaves the cache out entirely, as in HTTP.
 */
export function chooseCacheUse(cacheable: boolean, cacheControl: string | undefined): CacheUse {
  if (!cacheable) return 'none';
  const directives = (cacheControl ?? '').toLowerCase().split(',').map((directive) => directive.trim());
  if (directives.includes('no-store')) return 'none';
  return directives.includes('no-cache') ? 'refresh' : 'lookup';
}
