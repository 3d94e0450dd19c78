import { addRecord, utcDay, type UsageFilter, type UsageRecord, type UsageStore } from './usage-store.ts';

export interface UsageLedgerOptions {
  store: UsageStore;
  /** How often counted usage is written to the store; a crash loses at most this much. */
  flushIntervalMs?: number;
  now?: () => number;
  /** A failed write keeps its counts for the next attempt; this hears about it. */
  onFlushError?: (error: unknown) => void;
}

/** Tokens a key has used today and this month (UTC), counted usage included. */
export interface TokensUsed {
  today: number;
  month: number;
}

interface KeyTotals {
  month: string;
  loadedAt: number;
  byDay: Map<string, number>;
}

export const DEFAULT_FLUSH_INTERVAL_MS = 2_000;

/**
 * Counts finished requests per key, model and day in memory and writes them to the store in one
 * batch every `flushIntervalMs` and on close, so no request waits for a disk or Redis. It also
 * answers budget checks: the month's stored totals of a key (read once, or again after a flush
 * interval when other replicas write too) plus what is counted but not yet written.
 */
export class UsageLedger {
  readonly #store: UsageStore;
  readonly #flushIntervalMs: number;
  readonly #now: () => number;
  readonly #onFlushError: (error: unknown) => void;
  #pending = new Map<string, UsageRecord>();
  #totals = new Map<string, Promise<KeyTotals>>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(options: UsageLedgerOptions) {
    this.#store = options.store;
    this.#flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.#now = options.now ?? Date.now;
    this.#onFlushError = options.onFlushError ?? (() => undefined);
  }

  /** Starts the periodic flush (the timer does not keep the process alive). */
  start(): void {
    this.#timer ??= setInterval(() => void this.flush(), this.#flushIntervalMs).unref();
  }

  record(key: string, model: string, promptTokens: number, completionTokens: number): void {
    addRecord(this.#pending, { day: utcDay(this.#now()), key, model, requests: 1, promptTokens, completionTokens });
  }

  async tokensUsed(key: string): Promise<TokensUsed> {
    const now = this.#now();
    const today = utcDay(now);
    const month = today.slice(0, 7);
    const totals = await this.#totalsOf(key, month, now);
    let todayTokens = totals.byDay.get(today) ?? 0;
    let monthTokens = [...totals.byDay.values()].reduce((sum, tokens) => sum + tokens, 0);
    for (const record of this.#pending.values()) {
      if (record.key !== key || !record.day.startsWith(month)) continue;
      const tokens = record.promptTokens + record.completionTokens;
      monthTokens += tokens;
      if (record.day === today) todayTokens += tokens;
    }
    return { today: todayTokens, month: monthTokens };
  }

  /** Writes what is counted; one write at a time, in order. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      if (this.#pending.size === 0) return;
      const batch = [...this.#pending.values()];
      this.#pending = new Map();
      try {
        await this.#store.add(batch);
        this.#applyFlushed(batch);
      } catch (error) {
        for (const record of batch) addRecord(this.#pending, record);
        this.#onFlushError(error);
      }
    });
    return this.#flushing;
  }

  /** Stored usage, what is counted but not yet written included. */
  async query(filter: UsageFilter): Promise<UsageRecord[]> {
    await this.flush();
    return this.#store.query(filter);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    await this.#store.close();
  }

  #totalsOf(key: string, month: string, now: number): Promise<KeyTotals> {
    const cached = this.#totals.get(key);
    const load = async (): Promise<KeyTotals> => {
      const rows = await this.#store.query({ key, fromDay: `${month}-01`, toDay: `${month}-31` });
      const byDay = new Map<string, number>();
      for (const row of rows) byDay.set(row.day, (byDay.get(row.day) ?? 0) + row.promptTokens + row.completionTokens);
      return { month, loadedAt: now, byDay };
    };
    const fresh = cached?.then((totals) => totals.month === month && (!this.#store.shared || now - totals.loadedAt < this.#flushIntervalMs) ? totals : load());
    const totals = fresh ?? load();
    // A failed read is not cached: the next check tries again.
    this.#totals.set(key, totals.catch((error: unknown) => {
      this.#totals.delete(key);
      throw error;
    }));
    return totals;
  }

  /** Our own written counts join the cached totals; a shared store's totals are re-read instead. */
  #applyFlushed(batch: readonly UsageRecord[]): void {
    for (const record of batch) {
      const cached = this.#totals.get(record.key);
      if (cached === undefined) continue;
      if (this.#store.shared) {
        this.#totals.delete(record.key);
        continue;
      }
      void cached.then((totals) => {
        if (record.day.startsWith(totals.month)) totals.byDay.set(record.day, (totals.byDay.get(record.day) ?? 0) + record.promptTokens + record.completionTokens);
      }, () => undefined);
    }
  }
}
