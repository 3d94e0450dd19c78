/** One row of counted usage: a key's requests and tokens for one model on one UTC day. */
export interface UsageRecord {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  key: string;
  model: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

/** Which rows a query wants; days are inclusive, `YYYY-MM-DD`. */
export interface UsageFilter {
  fromDay?: string | undefined;
  toDay?: string | undefined;
  key?: string | undefined;
  model?: string | undefined;
}

/** Where usage counters live: SQLite for one replica, Redis when replicas share them. */
export interface UsageStore {
  /** Adds a batch of counts (rows of the same day, key and model are summed). */
  add(records: readonly UsageRecord[]): Promise<void>;
  query(filter: UsageFilter): Promise<UsageRecord[]>;
  /** Whether other processes write to it too (then cached totals must be re-read). */
  readonly shared: boolean;
  close(): Promise<void>;
}

/** Sums a record's counts into `into`, keyed by day, key and model. */
export function addRecord(into: Map<string, UsageRecord>, record: UsageRecord): void {
  const id = `${record.day}\u0000${record.key}\u0000${record.model}`;
  const existing = into.get(id);
  if (existing === undefined) into.set(id, { ...record });
  else {
    existing.requests += record.requests;
    existing.promptTokens += record.promptTokens;
    existing.completionTokens += record.completionTokens;
  }
}

/** The UTC day of a timestamp (ms), `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
