import type { StatusStreamEvent } from '../openai/sidecar-status-stream-event.ts';

/** One API key as the status page and `top` show it. */
export interface KeyRow {
  name: string;
  requests: number | null;
  requests_per_s: number | null;
  tokens_today: number | null;
  tokens_month: number | null;
  daily_tokens: number | null;
  /** Answered 429 within the live window, or at its daily or monthly token budget. */
  limited: boolean;
}

/** What this view reads of a key in `status.keys` (the keys layer's shape; every field optional here). */
interface StatusKey {
  name?: unknown;
  tokens_today?: unknown;
  tokens_month?: unknown;
  limits?: { daily_tokens?: unknown; monthly_tokens?: unknown };
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/**
 * The keys of a status event: those `status.keys` lists (configured keys with their token counts and
 * limits) and those with traffic in `live.keys`, one row each, in the order the status lists them.
 */
export function describeKeyRows(event: StatusStreamEvent): KeyRow[] {
  const listed = (event.status as { keys?: unknown }).keys;
  const configured = Array.isArray(listed) ? (listed as StatusKey[]) : [];
  const names = [...new Set([...configured.map((key) => String(key.name)), ...Object.keys(event.live.keys)])];
  return names.map((name) => {
    const key = configured.find((candidate) => String(candidate.name) === name);
    const live = event.live.keys[name];
    const today = numberOrNull(key?.tokens_today);
    const month = numberOrNull(key?.tokens_month);
    const daily = numberOrNull(key?.limits?.daily_tokens);
    const monthly = numberOrNull(key?.limits?.monthly_tokens);
    const overBudget = (daily !== null && today !== null && today >= daily) || (monthly !== null && month !== null && month >= monthly);
    return {
      name,
      requests: live?.requests ?? null,
      requests_per_s: live?.requests_per_s ?? null,
      tokens_today: today,
      tokens_month: month,
      daily_tokens: daily,
      limited: overBudget || (live?.limited_recently ?? 0) > 0,
    };
  });
}
