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

/** A node that may serve a model now, as the scheduler sees it. */
export interface SlotNode {
  readonly name: string;
  readonly weight: number;
  /** The node's budget for all models together; null: none. */
  readonly budget: number | null;
  /** The model is loaded there (warm). */
  readonly loaded: boolean;
}

/** Where slots live: the nodes that may serve each model (the upstream pool). */
export interface NodeDirectory {
  /** The nodes that may serve `modelKey` now, in config order. */
  eligible(modelKey: string): readonly SlotNode[];
  /** Calls `listener` when the answer to `eligible` may have changed (a node joined, rejoined, left). */
  onChange(listener: () => void): () => void;
}

export interface SchedulerDeps {
  /** Re-read for each new request, so a reloaded config applies to new work. */
  getConfig: () => Config;
  clock?: Clock;
  resources?: AdmissionGate;
  distributed?: DistributedLimiter;
  /** Re-read for each new request; missing fields take {@link DEFAULT_GLOBAL_LIMITS}. */
  getGlobalLimits?: () => Partial<GlobalLimits>;
  /** Several upstreams: slots per (node, model) under each node's budget. Absent: one node, `upstreams[0]`. */
  nodes?: NodeDirectory;
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
  /** With the `affinity` strategy: the conversation's key, so it returns to the same node. */
  affinityKey?: string | undefined;
  /** Nodes to avoid (a retry after a failure there); used only when no other node is free. */
  avoidNodes?: ReadonlySet<string> | undefined;
}

/** A slot held for one request. */
export interface Lease {
  readonly queueWaitMs: number;
  /** The node the request runs on. */
  readonly node: string;
  /** Idempotent; records the service time and starts the next waiter synchronously. */
  release(): void;
}

export interface SchedulerSnapshot {
  models: Record<string, ModelSnapshot>;
  inFlight: number;
  /** Running requests per node, all models together. */
  inFlightByNode: Record<string, number>;
  queued: number;
  queuedBytes: number;
  draining: boolean;
  paused: boolean;
  resources: ResourceSnapshot | null;
}
