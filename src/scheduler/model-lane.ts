import { isSameReservoir, type ResolvedModelLimits } from './model-limits.ts';
import { ReservoirTokens } from './reservoir-tokens.ts';
import { ServiceTimeTracker } from './service-time.ts';
import { WaitQueue } from './wait-queue.ts';

/** Why the scheduler turned a request away (or ended it while queued). */
export type RejectReason = 'queue_full' | 'queue_timeout' | 'overloaded' | 'draining' | 'aborted' | 'redis_unavailable' | 'ended';

/** One model's counters and limits, as reported by `Scheduler.snapshot()`. */
export interface ModelSnapshot {
  limits: ResolvedModelLimits;
  active: number;
  /** Running requests per node (absent before any request). */
  activeByNode?: Record<string, number>;
  queued: number;
  served: number;
  rejected: Record<RejectReason, number>;
  averageServiceMs: number;
  p95ServiceMs: number | null;
  /** Tokens left in the rate reservoir's current window (null: the model has no reservoir). */
  reservoirLeft: number | null;
}

function createRejectCounters(): Record<RejectReason, number> {
  return { queue_full: 0, queue_timeout: 0, overloaded: 0, draining: 0, aborted: 0, redis_unavailable: 0, ended: 0 };
}

/** The snapshot of a model that has had no request yet. */
export function describeIdleModel(limits: ResolvedModelLimits): ModelSnapshot {
  const serviceTime = new ServiceTimeTracker();
  return {
    limits,
    active: 0,
    activeByNode: {},
    queued: 0,
    served: 0,
    rejected: createRejectCounters(),
    averageServiceMs: serviceTime.averageMs,
    p95ServiceMs: null,
    // its reservoir starts full when its first request comes
    reservoirLeft: limits.reservoir?.amount ?? null,
  };
}

/**
 * The state of one model: its limits in force, running count, queue, reservoir and statistics.
 * The scheduler decides; the lane only holds.
 */
export class ModelLane<W> {
  readonly modelKey: string;
  readonly queue = new WaitQueue<W>();
  readonly serviceTime = new ServiceTimeTracker();
  limits: ResolvedModelLimits;
  reservoir: ReservoirTokens | null = null;
  active = 0;
  #activeByNode = new Map<string, number>();
  served = 0;
  rejected = createRejectCounters();
  #onRefresh: () => void;

  /** `onRefresh` is called when the reservoir begins a new window (waiters that found it empty may start). */
  constructor(modelKey: string, limits: ResolvedModelLimits, onRefresh: () => void) {
    this.modelKey = modelKey;
    this.#onRefresh = onRefresh;
    this.limits = limits;
    this.#replaceReservoir(limits);
  }

  /** Applies newly loaded limits to new work; queued and running requests are kept. */
  applyLimits(limits: ResolvedModelLimits): void {
    if (!isSameReservoir(this.limits.reservoir, limits.reservoir)) this.#replaceReservoir(limits);
    this.limits = limits;
  }

  /** True when a slot is free under the current limit (one node: the limit is the model's). */
  hasFreeSlot(): boolean {
    return this.active < this.limits.maxConcurrent;
  }

  /** Requests of this model running on `node`. */
  activeOn(node: string): number {
    return this.#activeByNode.get(node) ?? 0;
  }

  /** Counts a request started on `node`. */
  enter(node: string): void {
    this.active += 1;
    this.#activeByNode.set(node, this.activeOn(node) + 1);
  }

  /** Counts a request on `node` as ended. */
  leave(node: string): void {
    this.active -= 1;
    const left = this.activeOn(node) - 1;
    if (left <= 0) this.#activeByNode.delete(node);
    else this.#activeByNode.set(node, left);
  }

  /** Takes a reservoir token (always succeeds for models without a reservoir). */
  takeToken(): boolean {
    return this.reservoir === null || this.reservoir.take();
  }

  /** Stops the reservoir's timer. */
  close(): void {
    this.reservoir?.stop();
  }

  snapshot(): ModelSnapshot {
    return {
      limits: this.limits,
      active: this.active,
      activeByNode: Object.fromEntries(this.#activeByNode),
      queued: this.queue.size,
      served: this.served,
      rejected: { ...this.rejected },
      averageServiceMs: this.serviceTime.averageMs,
      p95ServiceMs: this.serviceTime.p95Ms,
      reservoirLeft: this.reservoir?.left ?? null,
    };
  }

  #replaceReservoir(limits: ResolvedModelLimits): void {
    this.reservoir?.stop();
    this.reservoir = limits.reservoir === null ? null : new ReservoirTokens(limits.reservoir, this.#onRefresh);
  }
}
