/**
 * The responses store shared by every replica: one Redis string per response (expiring with the
 * maximum age) and one sorted set per owner ordered by save time, trimmed to the count bound, so a
 * follow-up request may land on any replica.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { storedResponseSchema, type ResponsesStore, type ResponsesStoreLimits, type StoredResponse } from './responses-store.ts';

const PREFIX = 'llm-sidecar:responses';

export class RedisResponsesStore implements ResponsesStore {
  readonly #redis: Redis;
  readonly #limits: () => ResponsesStoreLimits;
  readonly #now: () => number;

  constructor(options: { redis: Redis; limits: () => ResponsesStoreLimits; now?: () => number }) {
    this.#redis = options.redis;
    this.#limits = options.limits;
    this.#now = options.now ?? Date.now;
  }

  async save(owner: string, record: StoredResponse): Promise<void> {
    const { maxResponses, maxAgeMs } = this.#limits();
    const index = indexKey(owner);
    const now = this.#now();
    await this.#redis
      .multi()
      .set(recordKey(owner, record.response.id), JSON.stringify(record), 'PX', maxAgeMs)
      .zadd(index, now, record.response.id)
      .zremrangebyscore(index, '-inf', now - maxAgeMs)
      .pexpire(index, maxAgeMs)
      .exec();
    const excess = (await this.#redis.zcard(index)) - maxResponses;
    if (excess <= 0) return;
    const evicted = await this.#redis.zpopmin(index, excess);
    // ZPOPMIN answers [member, score, member, score, …]
    const ids = evicted.filter((_, position) => position % 2 === 0);
    if (ids.length > 0) await this.#redis.del(...ids.map((id) => recordKey(owner, id)));
  }

  async get(owner: string, id: string): Promise<StoredResponse | undefined> {
    const text = await this.#redis.get(recordKey(owner, id));
    return text === null ? undefined : storedResponseSchema.parse(JSON.parse(text));
  }

  async delete(owner: string, id: string): Promise<boolean> {
    const [[, removed] = []] = (await this.#redis.multi().del(recordKey(owner, id)).zrem(indexKey(owner), id).exec()) ?? [];
    return removed === 1;
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }
}

/** Owners are hashed into key names, so no key material ever appears in Redis. */
const ownerPart = (owner: string): string => createHash('sha256').update(owner).digest('hex').slice(0, 32);
const recordKey = (owner: string, id: string): string => `${PREFIX}:${ownerPart(owner)}:${id}`;
const indexKey = (owner: string): string => `${PREFIX}:${ownerPart(owner)}:index`;
