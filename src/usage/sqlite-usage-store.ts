import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { UsageFilter, UsageRecord, UsageStore } from './usage-store.ts';

/**
 * Usage counters in a local SQLite file through Node's own `node:sqlite`: no native addon to build
 * or ship (better-sqlite3 needs one per platform), and a batch of upserts every few seconds is far
 * below what its synchronous API costs the event loop. WAL mode, so a crash cannot corrupt the file.
 */
export class SqliteUsageStore implements UsageStore {
  readonly shared = false;
  readonly #db: DatabaseSync;
  readonly #upsert;

  /** `path` ':memory:' keeps counts for the life of the process only. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      CREATE TABLE IF NOT EXISTS usage (
        day TEXT NOT NULL, key TEXT NOT NULL, model TEXT NOT NULL,
        requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
        PRIMARY KEY (day, key, model)
      ) WITHOUT ROWID;`);
    this.#upsert = this.#db.prepare(`
      INSERT INTO usage (day, key, model, requests, prompt_tokens, completion_tokens) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, key, model) DO UPDATE SET
        requests = requests + excluded.requests,
        prompt_tokens = prompt_tokens + excluded.prompt_tokens,
        completion_tokens = completion_tokens + excluded.completion_tokens`);
  }

  add(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    this.#db.exec('BEGIN');
    try {
      for (const record of records) this.#upsert.run(record.day, record.key, record.model, record.requests, record.promptTokens, record.completionTokens);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
    return Promise.resolve();
  }

  query(filter: UsageFilter): Promise<UsageRecord[]> {
    const rows = this.#db
      .prepare(
        `SELECT day, key, model, requests, prompt_tokens AS promptTokens, completion_tokens AS completionTokens FROM usage
         WHERE day >= ? AND day <= ? AND (? IS NULL OR key = ?) AND (? IS NULL OR model = ?) ORDER BY day, key, model`,
      )
      .all(filter.fromDay ?? '0000-00-00', filter.toDay ?? '9999-99-99', filter.key ?? null, filter.key ?? null, filter.model ?? null, filter.model ?? null);
    return Promise.resolve(rows.map((row) => ({ ...row }) as unknown as UsageRecord));
  }

  close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
    return Promise.resolve();
  }
}
