import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SqliteUsageStore } from '../../src/usage/sqlite-usage-store.ts';
import { UsageLedger } from '../../src/usage/usage-ledger.ts';
import type { UsageFilter, UsageRecord, UsageStore } from '../../src/usage/usage-store.ts';

/** A store that records its writes and can be made to fail. */
class RecordingStore implements UsageStore {
  readonly shared = false;
  writes: UsageRecord[][] = [];
  failNext = false;
  readonly #inner = new SqliteUsageStore(':memory:');

  async add(records: readonly UsageRecord[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.writes.push([...records]);
    await this.#inner.add(records);
  }

  query(filter: UsageFilter): Promise<UsageRecord[]> {
    return this.#inner.query(filter);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

describe('UsageLedger', () => {
  test('sums counts in memory and writes them in one batch; a failed write is kept for the next', async () => {
    const store = new RecordingStore();
    let now = Date.UTC(2026, 11, 31, 23, 59);
    const errors: unknown[] = [];
    const ledger = new UsageLedger({ store, now: () => now, onFlushError: (error) => errors.push(error) });
    ledger.record('a', 'm', 10, 5);
    ledger.record('a', 'm', 1, 2);
    assert.deepEqual(store.writes, [], 'nothing is written per request');
    store.failNext = true;
    await ledger.flush();
    assert.equal(errors.length, 1);
    assert.deepEqual(await ledger.tokensUsed('a'), { today: 18, month: 18 }, 'unwritten counts still count');
    await ledger.flush();
    assert.deepEqual(store.writes, [[{ day: '2026-12-31', key: 'a', model: 'm', requests: 2, promptTokens: 11, completionTokens: 7 }]]);
    assert.deepEqual(await ledger.tokensUsed('a'), { today: 18, month: 18 }, 'written counts are not counted twice');
    now = Date.UTC(2027, 0, 1, 0, 1);
    ledger.record('a', 'm', 3, 0);
    assert.deepEqual(await ledger.tokensUsed('a'), { today: 3, month: 3 }, 'a new day and month start at zero');
    await ledger.close();
  });
});
