import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisUnavailable } from '../scheduler/scheduler-errors.ts';
import { keyRateLimited } from './key-errors.ts';
import type { KeyAdmissionRequest, KeyAdmissionResult, KeyLimiter } from './key-limiter.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';
import { ADMIT_KEY_SCRIPT, SETTLE_KEY_SCRIPT } from './redis-key-scripts.ts';

export interface RedisKeyLimiterOptions {
  redis: Redis;
  keyPrefix?: string;
  /** How long a concurrency place outlives a replica that died holding it. */
  leaseMs: number;
}

type AdmitReply = [number, number, string, number, string, number];

/**
 * Per-key `rpm`, `tpm` and `maxConcurrent` shared by every replica through Redis: the same buckets
 * as the in-process limiter, kept and updated atomically by one script per admission and one per
 * settlement. Redis errors refuse the request with 503 `redis_unavailable` rather than letting it
 * past a limit the other replicas enforce.
 */
export class RedisKeyLimiter implements KeyLimiter {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #replica = randomUUID();
  #next = 0;

  constructor(options: RedisKeyLimiterOptions) {
    this.#redis = options.redis;
    this.#prefix = `${options.keyPrefix ?? 'llm-sidecar:'}key:`;
    this.#leaseMs = options.leaseMs;
  }

  async admit({ identity, reserveTokens, retryAfterCapSeconds }: KeyAdmissionRequest): Promise<KeyAdmissionResult> {
    const { rpm = 0, tpm = 0, maxConcurrent = 0 } = identity.limits;
    const base = `${this.#prefix}${identity.name}:`;
    const lease = `${this.#replica}:${(this.#next += 1)}`;
    const keys = [`${base}requests`, `${base}tokens`, `${base}leases`];
    let reply: AdmitReply;
    try {
      reply = (await this.#redis.eval(ADMIT_KEY_SCRIPT, 3, ...keys, rpm, tpm, maxConcurrent, reserveTokens, lease, this.#leaseMs)) as AdmitReply;
    } catch (error) {
      throw redisUnavailable(error);
    }
    const [admitted, waitMs, requestsLevel, requestsResetMs, tokensLevel, tokensResetMs] = reply;
    const headers = rateLimitHeaders(
      rpm > 0 ? { limit: rpm, remaining: Math.max(0, Math.floor(Number(requestsLevel))), resetMs: requestsResetMs } : undefined,
      tpm > 0 ? { limit: tpm, remaining: Math.max(0, Math.floor(Number(tokensLevel))), resetMs: tokensResetMs } : undefined,
    );
    if (admitted !== 1) {
      const error = waitMs > 0 ? keyRateLimited(`${rpm > 0 ? `${rpm} requests` : ''}${rpm > 0 && tpm > 0 ? ' or ' : ''}${tpm > 0 ? `${tpm} tokens` : ''} per minute across replicas`, Math.min(retryAfterCapSeconds, Math.ceil(waitMs / 1000))) : keyRateLimited(`${maxConcurrent} requests at once across replicas`, 1);
      return { ok: false, error, headers };
    }
    let settled = false;
    const settle = (usedTokens: number): void => {
      if (settled) return;
      settled = true;
      // a failed settlement only leaves the reservation in place until the bucket refills, and the lease until it expires
      this.#redis.eval(SETTLE_KEY_SCRIPT, 2, `${base}tokens`, `${base}leases`, tpm, reserveTokens - usedTokens, lease).catch(() => undefined);
    };
    return { ok: true, admission: { headers, settle } };
  }
}
