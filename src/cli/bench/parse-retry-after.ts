/**
 * A `Retry-After` header as milliseconds to wait: delay-seconds (`"2"`) or an HTTP date, measured
 * against `nowMs` (epoch). Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
