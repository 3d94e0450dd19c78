import { sizeOfCachedResponse, type CachedResponse, type ResponseCacheStore } from './cached-response.ts';

export interface MemoryCacheOptions {
  maxEntries: number;
  maxBytes: number;
  ttlMs: number;
  now: () => number;
}

interface Entry {
  value: CachedResponse;
  bytes: number;
  expiresAt: number;
}

/**
 * A least-recently-used cache bounded by entry count and by bytes; entries expire after `ttlMs`.
 * A `Map` keeps insertion order: a hit is re-inserted, so the first key is always the least recent.
 */
export class MemoryCacheStore implements ResponseCacheStore {
  readonly #options: MemoryCacheOptions;
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(options: MemoryCacheOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#options.now()) {
      this.#bytes -= entry.bytes;
      return undefined;
    }
    this.#entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: CachedResponse): Promise<void> {
    const bytes = sizeOfCachedResponse(value);
    this.#remove(key);
    // An answer larger than the whole budget is not kept: it would evict everything else.
    if (bytes > this.#options.maxBytes) return;
    this.#entries.set(key, { value, bytes, expiresAt: this.#options.now() + this.#options.ttlMs });
    this.#bytes += bytes;
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#options.maxEntries && this.#bytes <= this.#options.maxBytes) break;
      this.#remove(oldest);
    }
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
