import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { UsageFilter, UsageRecord, UsageStore } from './usage-store.ts';

/**
 * Usage counters in a local SQLite file through Node's own `node:sqlite`: no native addon to build
 * or ship (better-sqlite3 needs one per platform), and a batch of upserts every few seconds is far
 * below what its synchronous API costs the event loop. WAL mode, so a crash cannot corrupt the file.
 */
export class SqliteUsageStore implements UsageStore {
  readonly shared = false;
  readonly #path: string;
  #opened: { db: DatabaseSync; upsert: StatementSync } | undefined;
  #closed = false;

  /**
   * `path` ':memory:' keeps counts for the life of the process only, and opens on first use: a
   * gateway without keys never counts usage, and never loads SQLite. A file opens at once, so a
   * path that cannot be opened stops start-up.
   */
  constructor(path: string) {
    this.#path = path;
    if (path !== ':memory:') this.#open();
  }

  #open(): { db: DatabaseSync; upsert: StatementSync } {
    if (this.#opened !== undefined) return this.#opened;
    if (this.#closed) throw new Error('the usage store is closed');
    if (this.#path !== ':memory:') mkdirSync(dirname(this.#path), { recursive: true });
    // Taken here rather than imported, so that loading this module does not load SQLite.
    const db = new (process.getBuiltinModule('node:sqlite').DatabaseSync)(this.#path);
    db.exec(`
      PRAGMA journal_mode = WAL;
      CREATE TABLE IF NOT EXISTS usage (
        day TEXT NOT NULL, key TEXT NOT NULL, model TEXT NOT NULL,
        requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
        PRIMARY KEY (day, key, model)
      ) WITHOUT ROWID;`);
    const upsert = db.prepare(`
      INSERT INTO usage (day, key, model, requests, prompt_tokens, completion_tokens) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, key, model) DO UPDATE SET
        requests = requests + excluded.requests,
        prompt_tokens = prompt_tokens + excluded.prompt_tokens,
        completion_tokens = completion_tokens + excluded.completion_tokens`);
    this.#opened = { db, upsert };
    return this.#opened;
  }

  add(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const { db, upsert } = this.#open();
    db.exec('BEGIN');
    try {
      for (const record of records) upsert.run(record.day, record.key, record.model, record.requests, record.promptTokens, record.completionTokens);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    return Promise.resolve();
  }

  query(filter: UsageFilter): Promise<UsageRecord[]> {
    const rows = this.#open()
      .db.prepare(
        `SELECT day, key, model, requests, prompt_tokens AS promptTokens, completion_tokens AS completionTokens FROM usage
         WHERE day >= ? AND day <= ? AND (? IS NULL OR key = ?) AND (? IS NULL OR model = ?) ORDER BY day, key, model`,
      )
      .all(filter.fromDay ?? '0000-00-00', filter.toDay ?? '9999-99-99', filter.key ?? null, filter.key ?? null, filter.model ?? null, filter.model ?? null);
    return Promise.resolve(rows.map((row) => ({ ...row }) as unknown as UsageRecord));
  }

  close(): Promise<void> {
    this.#closed = true;
    if (this.#opened?.db.isOpen === true) this.#opened.db.close();
    return Promise.resolve();
  }
}
