import { invalidRequest } from '../errors/gateway-error.ts';
import type { KeyLimits } from '../keys/key-ring.ts';
import { priorityNotAllowed } from '../keys/key-errors.ts';
import { DEFAULT_PRIORITY } from '../scheduler/wait-queue.ts';

/**
 * `X-Priority: 0..9`, lower first. Absent means the key's `priority` (else 5). A less urgent class
 * than that may always be asked for; a more urgent one only down to the key's `maxPriority`, beyond
 * which the request is refused with 403. Anything but one digit is refused, never clamped.
 */
export function parsePriority(header: string | string[] | undefined, limits: KeyLimits = {}): number {
  const fallback = limits.priority ?? DEFAULT_PRIORITY;
  if (header === undefined) return fallback;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\s*\d\s*$/.test(value)) {
    throw invalidRequest('X-Priority must be an integer from 0 (first) to 9 (last).', 'X-Priority', 'invalid_priority');
  }
  const requested = Number(value);
  if (limits.maxPriority !== undefined && requested < limits.maxPriority) throw priorityNotAllowed(requested, limits.maxPriority);
  return requested;
}
