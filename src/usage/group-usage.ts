import type { UsageGroup, UsageRow } from './usage-response.ts';
import type { UsageRecord } from './usage-store.ts';

/** Sums stored rows by the chosen dimensions (in the order given), sorted by them. */
export function groupUsage(records: readonly UsageRecord[], groups: readonly UsageGroup[]): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const record of records) {
    const dimensions = Object.fromEntries(groups.map((group) => [group, record[group]])) as Pick<UsageRow, UsageGroup>;
    const id = groups.map((group) => record[group]).join('\u0000');
    const row = rows.get(id) ?? { ...dimensions, requests: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    row.requests += record.requests;
    row.prompt_tokens += record.promptTokens;
    row.completion_tokens += record.completionTokens;
    row.total_tokens += record.promptTokens + record.completionTokens;
    rows.set(id, row);
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}
