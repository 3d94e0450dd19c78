import type { Config } from '../config/config-schema.ts';
import type { AdmissionGate, ResourceSnapshot } from './admission-gate.ts';
import type { Clock } from './clock.ts';
import type { DistributedLimiter } from './distributed-limiter.ts';
import type { ModelSnapshot } from './model-lane.ts';
import type { QueueTenant } from './wait-queue.ts';

/** Bounds on all work across models; beyond them a request gets 503 `overloaded` at once. */
export interface GlobalLimits {
  /** Running plus queued requests, all models together. */
  maxTotalRequests: number;
  /** Bytes of request bodies held by queued requests. */
  maxQueuedBodyBytes: number;
}

export const DEFAULT_GLOBAL_LIMITS: GlobalLimits = { maxTotalRequests: 1_000, maxQueuedBodyBytes: 256 * 1024 ** 2 };

export interface SchedulerDeps {
  /** Re-read for each new request, so a reloaded config applies to new work. */
  getConfig: () => Config;
  clock?: Clock;
  resources?: AdmissionGate;
  distributed?: DistributedLimiter;
  /** Re-read for each new request; missing fields take {@link DEFAULT_GLOBAL_LIMITS}. */
  getGlobalLimits?: () => Partial<GlobalLimits>;
}

/** Handed to `onQueued` when a request must wait. */
export interface QueueTicket {
  readonly modelKey: string;
  /** Current 1-based place in the model's queue; 0 once it has left the queue. */
  position(): number;
}

export interface AcquireOptions {
  /** 0..9, lower first; default 5. Validated by the caller. */
  priority?: number;
  /** Aborted → the request leaves the queue at once and `acquire` rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Counted against the bound on queued body bytes while the request waits. */
  bodyBytes?: number;
  /** Whose request this is: inside one priority class, tenants share the queue by weight (fair share). */
  tenant?: QueueTenant;
  /** Called synchronously when the request must wait; must not throw. */
  onQueued?: (ticket: QueueTicket) => void;
}

/** A slot held for one request. */
export interface Lease {
  readonly queueWaitMs: number;
  /** Idempotent; records the service time and starts the next waiter synchronously. */
  release(): void;
}

export interface SchedulerSnapshot {
  models: Record<string, ModelSnapshot>;
  inFlight: number;
  queued: number;
  queuedBytes: number;
  draining: boolean;
  paused: boolean;
  resources: ResourceSnapshot | null;
}
