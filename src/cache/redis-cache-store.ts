import type { Redis } from 'ioredis';
import type { CachedResponse, ResponseCacheStore } from './cached-response.ts';

const KEY_PREFIX = 'llm-sidecar:cache:';

/**
 * Cached answers in Redis, shared by every replica; Redis expires them after `ttlMs`. A Redis that
 * fails is a miss (or an answer not kept), never a failed request: the cache is an optimisation.
 */
export class RedisCacheStore implements ResponseCacheStore {
  readonly #redis: Redis;
  readonly #ttlMs: number;
  readonly #maxBytes: number;

  constructor(redis: Redis, options: { ttlMs: number; maxBytes: number }) {
    this.#redis = redis;
    this.#ttlMs = options.ttlMs;
    this.#maxBytes = options.maxBytes;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    try {
      const text = await this.#redis.get(KEY_PREFIX + key);
      return text === null ? undefined : (JSON.parse(text) as CachedResponse);
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: CachedResponse): Promise<void> {
    const text = JSON.stringify(value);
    if (Buffer.byteLength(text) > this.#maxBytes) return;
    try {
      await this.#redis.set(KEY_PREFIX + key, text, 'PX', this.#ttlMs);
    } catch {
      // not kept: the next identical request is a miss
    }
  }
}
