import { invalidRequest } from '../errors/gateway-error.ts';

export const DEFAULT_PRIORITY = 5;

/** `X-Priority: 0..9`, lower first; absent means 5. Anything else is refused, never clamped. */
export function parsePriority(header: string | string[] | undefined): number {
  if (header === undefined) return DEFAULT_PRIORITY;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\s*\d\s*$/.test(value)) {
    throw invalidRequest('X-Priority must be an integer from 0 (first) to 9 (last).', 'X-Priority', 'invalid_priority');
  }
  return Number(value);
}
