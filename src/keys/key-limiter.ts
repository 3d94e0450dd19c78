import type { GatewayError } from '../errors/gateway-error.ts';
import type { KeyIdentity } from './key-ring.ts';

/** What admission asks of a key's limiter for one request. */
export interface KeyAdmissionRequest {
  identity: KeyIdentity;
  /** Tokens held against the key's `tpm` until the request ends and reports what it used. */
  reserveTokens: number;
  now: number;
  /** The most a `Retry-After` may say (`retryAfterCapSeconds`). */
  retryAfterCapSeconds: number;
}

/** A request let in under its key's limits. */
export interface KeyAdmission {
  /** `x-ratelimit-*` headers, for every answer to a key with a rate. */
  headers: Record<string, string>;
  /** Called once at the end: corrects the token reservation to what was used and frees the concurrency place. */
  settle(usedTokens: number, now: number): void;
}

export type KeyAdmissionResult = { ok: true; admission: KeyAdmission } | { ok: false; error: GatewayError; headers: Record<string, string> };

/** Per-key rates (`rpm`, `tpm`) and concurrency: in this process, or shared through Redis. */
export interface KeyLimiter {
  admit(request: KeyAdmissionRequest): Promise<KeyAdmissionResult>;
}

/** A key with none of the limits this layer enforces needs no bookkeeping. */
export function hasRateLimits(identity: KeyIdentity): boolean {
  const { rpm, tpm, maxConcurrent } = identity.limits;
  return rpm !== undefined || tpm !== undefined || maxConcurrent !== undefined;
}

/** The admission of a key without rates: no headers, nothing to settle. */
export const UNLIMITED_ADMISSION: KeyAdmission = { headers: {}, settle: () => undefined };

export const MINUTE_MS = 60_000;
