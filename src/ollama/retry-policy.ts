import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Ollama's "server busy" and proxies' 502/504 mean the request never ran: worth another try. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** Exponential backoff with jitter before retry `attempt + 1`; rejects when `signal` aborts. */
export async function waitBeforeRetry(policy: RetryPolicy, attempt: number, signal: AbortSignal | undefined, random: () => number): Promise<void> {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const delay = Math.round(ceiling * (0.5 + random() / 2));
  await sleep(delay, undefined, signal === undefined ? {} : { signal });
}
