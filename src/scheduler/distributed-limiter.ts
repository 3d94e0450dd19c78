import type { ReservoirLimits } from './model-limits.ts';

/** What one replica asks the shared limiter for, on behalf of one request that holds a local slot. */
export interface DistributedRequest {
  maxConcurrent: number;
  reservoir: ReservoirLimits | null;
  /** Longest time to wait for the shared slot and token. */
  timeoutMs: number;
  /** Aborted → stop waiting and reject with its reason. */
  signal: AbortSignal;
}

/** A slot held in the shared limiter; `release` is idempotent and never throws. */
export interface DistributedLease {
  release(): void;
}

/**
 * Limits shared by several gateway replicas (Redis). Rejects with a GatewayError: `queue_timeout`
 * when `timeoutMs` passes, `redis_unavailable` when the store cannot be reached — never hangs.
 */
export interface DistributedLimiter {
  acquire(modelKey: string, request: DistributedRequest): Promise<DistributedLease>;
}
