import { keyRateLimited } from './key-errors.ts';
import type { KeyIdentity } from './key-ring.ts';
import { MINUTE_MS, type KeyAdmissionRequest, type KeyAdmissionResult, type KeyLimiter } from './key-limiter.ts';
import { rateLimitHeaders, type LimitReading } from './rate-limit-headers.ts';
import { TokenBucket } from './token-bucket.ts';

interface KeyState {
  requests: TokenBucket | undefined;
  tokens: TokenBucket | undefined;
  active: number;
}

/**
 * Per-key limits inside one process: `rpm` and `tpm` as token buckets refilled continuously over a
 * minute (our own, not Bottleneck: the buckets must report remaining and reset for OpenAI's headers,
 * and a token reservation must be corrected after the fact), `maxConcurrent` as a counter.
 */
export class LocalKeyLimiter implements KeyLimiter {
  readonly #states = new Map<string, KeyState>();

  admit({ identity, reserveTokens, now, retryAfterCapSeconds }: KeyAdmissionRequest): Promise<KeyAdmissionResult> {
    const state = this.#stateOf(identity, now);
    const { maxConcurrent } = identity.limits;
    const waitMs = Math.max(state.requests?.msUntil(1, now) ?? 0, state.tokens?.msUntil(reserveTokens, now) ?? 0);
    if (waitMs > 0 || (maxConcurrent !== undefined && state.active >= maxConcurrent)) {
      const error = waitMs > 0 ? keyRateLimited(describeRates(state, reserveTokens, now), Math.min(retryAfterCapSeconds, Math.ceil(waitMs / 1000))) : keyRateLimited(`${maxConcurrent} requests at once`, 1);
      return Promise.resolve({ ok: false, error, headers: headersOf(state, now) });
    }
    state.requests?.take(1, now);
    state.tokens?.take(reserveTokens, now);
    state.active += 1;
    let settled = false;
    const admission = {
      headers: headersOf(state, now),
      settle: (usedTokens: number, at: number) => {
        if (settled) return;
        settled = true;
        state.active -= 1;
        state.tokens?.adjust(reserveTokens - usedTokens, at);
      },
    };
    return Promise.resolve({ ok: true, admission });
  }

  /** One state per key name; a reload that changes a rate starts that rate's bucket afresh. */
  #stateOf(identity: KeyIdentity, now: number): KeyState {
    const { rpm, tpm } = identity.limits;
    const state = this.#states.get(identity.name) ?? { requests: undefined, tokens: undefined, active: 0 };
    if (state.requests?.capacity !== rpm) state.requests = rpm === undefined ? undefined : new TokenBucket(rpm, MINUTE_MS, now);
    if (state.tokens?.capacity !== tpm) state.tokens = tpm === undefined ? undefined : new TokenBucket(tpm, MINUTE_MS, now);
    this.#states.set(identity.name, state);
    return state;
  }
}

function readingOf(bucket: TokenBucket | undefined, now: number): LimitReading | undefined {
  return bucket === undefined ? undefined : { limit: bucket.capacity, remaining: bucket.remaining(now), resetMs: bucket.msUntilFull(now) };
}

function headersOf(state: KeyState, now: number): Record<string, string> {
  return rateLimitHeaders(readingOf(state.requests, now), readingOf(state.tokens, now));
}

function describeRates(state: KeyState, reserveTokens: number, now: number): string {
  const over: string[] = [];
  if (state.requests !== undefined && state.requests.msUntil(1, now) > 0) over.push(`${state.requests.capacity} requests per minute`);
  if (state.tokens !== undefined && state.tokens.msUntil(reserveTokens, now) > 0) over.push(`${state.tokens.capacity} tokens per minute (this request reserves ${reserveTokens})`);
  return over.join(' and ');
}
