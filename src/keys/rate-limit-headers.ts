/** One limit's state as OpenAI reports it in `x-ratelimit-*` headers. */
export interface LimitReading {
  limit: number;
  remaining: number;
  resetMs: number;
}

/** OpenAI's header set for a key's request and token rates; a rate the key does not have is left out. */
export function rateLimitHeaders(requests: LimitReading | undefined, tokens: LimitReading | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [suffix, reading] of [['requests', requests], ['tokens', tokens]] as const) {
    if (reading === undefined) continue;
    headers[`x-ratelimit-limit-${suffix}`] = String(reading.limit);
    headers[`x-ratelimit-remaining-${suffix}`] = String(reading.remaining);
    headers[`x-ratelimit-reset-${suffix}`] = formatResetDuration(reading.resetMs);
  }
  return headers;
}

/** OpenAI's duration spelling: `250ms`, `1s`, `8.64s`, `6m0s`. */
export function formatResetDuration(ms: number): string {
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms - minutes * 60_000) / 10) / 100;
  return minutes > 0 ? `${minutes}m${Math.floor(seconds)}s` : `${seconds}s`;
}
