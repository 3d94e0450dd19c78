import type { Redis } from 'ioredis';
import type { UsageFilter, UsageRecord, UsageStore } from './usage-store.ts';

const SEPARATOR = '\u0000';
const KINDS = { requests: 'r', promptTokens: 'p', completionTokens: 'c' } as const;

/**
 * Usage counters in Redis, shared by every replica: one hash per UTC day whose fields are
 * `key NUL model NUL kind` (kinds r, p, c) incremented with HINCRBY, and a sorted set of the days
 * that have counts, so a query reads only days that exist. Kept until deleted (no expiry).
 */
export class RedisUsageStore implements UsageStore {
  readonly shared = true;
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, keyPrefix = 'llm-sidecar:') {
    this.#redis = redis;
    this.#prefix = `${keyPrefix}usage:`;
  }

  async add(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    const batch = this.#redis.multi();
    for (const record of records) {
      const hash = this.#prefix + record.day;
      batch.zadd(`${this.#prefix}days`, 0, record.day);
      for (const [field, kind] of Object.entries(KINDS) as Array<[keyof typeof KINDS, string]>) {
        if (record[field] > 0) batch.hincrby(hash, [record.key, record.model, kind].join(SEPARATOR), record[field]);
      }
    }
    await batch.exec();
  }

  async query(filter: UsageFilter): Promise<UsageRecord[]> {
    const days = await this.#redis.zrangebylex(`${this.#prefix}days`, filter.fromDay === undefined ? '-' : `[${filter.fromDay}`, filter.toDay === undefined ? '+' : `[${filter.toDay}`);
    const hashes = await Promise.all(days.map((day) => this.#redis.hgetall(this.#prefix + day)));
    const records: UsageRecord[] = [];
    days.forEach((day, index) => {
      const rows = new Map<string, UsageRecord>();
      for (const [field, value] of Object.entries(hashes[index] ?? {})) {
        const [key = '', model = '', kind] = field.split(SEPARATOR);
        if ((filter.key !== undefined && key !== filter.key) || (filter.model !== undefined && model !== filter.model)) continue;
        const row = rows.get(key + SEPARATOR + model) ?? { day, key, model, requests: 0, promptTokens: 0, completionTokens: 0 };
        if (kind === KINDS.requests) row.requests += Number(value);
        else if (kind === KINDS.promptTokens) row.promptTokens += Number(value);
        else if (kind === KINDS.completionTokens) row.completionTokens += Number(value);
        rows.set(key + SEPARATOR + model, row);
      }
      records.push(...[...rows.values()].sort((a, b) => (a.key + a.model < b.key + b.model ? -1 : 1)));
    });
    return records;
  }

  /** The connection belongs to the caller. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
