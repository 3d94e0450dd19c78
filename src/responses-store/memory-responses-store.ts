/** The default responses store: one bounded map per owner, in this process. */
import type { ResponsesStore, ResponsesStoreLimits, StoredResponse } from './responses-store.ts';

interface Entry {
  record: StoredResponse;
  expiresAt: number;
}

/**
 * A `Map` keeps insertion order, so the oldest entries are the first ones: eviction by count and by
 * age both walk from the front. Expired entries go on the next write or when read.
 */
export class MemoryResponsesStore implements ResponsesStore {
  readonly #owners = new Map<string, Map<string, Entry>>();
  readonly #limits: () => ResponsesStoreLimits;
  readonly #now: () => number;

  constructor(options: { limits: () => ResponsesStoreLimits; now?: () => number }) {
    this.#limits = options.limits;
    this.#now = options.now ?? Date.now;
  }

  async save(owner: string, record: StoredResponse): Promise<void> {
    const { maxResponses, maxAgeMs } = this.#limits();
    const entries = this.#owners.get(owner) ?? new Map<string, Entry>();
    this.#owners.set(owner, entries);
    const now = this.#now();
    for (const [id, entry] of entries) {
      if (entry.expiresAt > now) break;
      entries.delete(id);
    }
    entries.delete(record.response.id);
    entries.set(record.response.id, { record, expiresAt: now + maxAgeMs });
    for (const id of entries.keys()) {
      if (entries.size <= maxResponses) break;
      entries.delete(id);
    }
  }

  async get(owner: string, id: string): Promise<StoredResponse | undefined> {
    const entries = this.#owners.get(owner);
    const entry = entries?.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      entries?.delete(id);
      return undefined;
    }
    return entry.record;
  }

  async delete(owner: string, id: string): Promise<boolean> {
    const found = (await this.get(owner, id)) !== undefined;
    this.#owners.get(owner)?.delete(id);
    return found;
  }

  async close(): Promise<void> {
    this.#owners.clear();
  }
}
