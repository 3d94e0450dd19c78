import { GatewayError } from '../errors/gateway-error.ts';
import type { DistributedLease, DistributedLimiter } from './distributed-limiter.ts';
import type { RejectReason } from './model-lane.ts';
import type { ResolvedModelLimits } from './model-limits.ts';

export interface SharedSlotRequest {
  limits: ResolvedModelLimits;
  /** The request's own signal: its abort ends the wait. */
  signal: AbortSignal | undefined;
  timeoutMs: number;
  /** Holds the wait's controller while it lasts, so the scheduler can end it (`rejectAll`). */
  pending: Set<AbortController>;
}

/** Waits for the shared slot (and token) of a request that already holds a local slot. */
export async function acquireSharedSlot(distributed: DistributedLimiter, modelKey: string, request: SharedSlotRequest): Promise<DistributedLease> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(request.signal?.reason);
  request.signal?.addEventListener('abort', onAbort, { once: true });
  request.pending.add(controller);
  try {
    return await distributed.acquire(modelKey, {
      maxConcurrent: request.limits.maxConcurrent,
      reservoir: request.limits.reservoir,
      timeoutMs: request.timeoutMs,
      signal: controller.signal,
    });
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    request.pending.delete(controller);
  }
}

/** The statistic a failed shared wait counts under. */
export function classifySharedFailure(error: unknown, signal: AbortSignal | undefined): RejectReason {
  if (error instanceof GatewayError && error.code === 'queue_timeout') return 'queue_timeout';
  if (error instanceof GatewayError && error.code === 'redis_unavailable') return 'redis_unavailable';
  return signal?.aborted === true ? 'aborted' : 'ended';
}
