import type { GatewayError } from '../errors/gateway-error.ts';
import type { Clock, Timer } from './clock.ts';
import type { ModelLane, RejectReason } from './model-lane.ts';
import type { Lease } from './scheduler-types.ts';
import type { QueueEntry, QueueTenant } from './wait-queue.ts';

/** One request for a slot: admitted, then started at once or queued in its model's lane until a slot frees. */
export interface Waiter {
  lane: ModelLane<Waiter>;
  signal: AbortSignal | undefined;
  bodyBytes: number;
  enqueuedAt: number;
  deadlineAt: number;
  resolve: (lease: Lease) => void;
  reject: (error: unknown) => void;
  entry: QueueEntry<Waiter> | null;
  timer: Timer | undefined;
  onAbort: (() => void) | null;
  affinityKey: string | undefined;
  avoidNodes: ReadonlySet<string> | undefined;
}

/**
 * The requests waiting in the models' queues: each one's queue deadline and client abort, and the
 * counts across models (requests, body bytes) the global limits are checked against. Where a
 * waiter runs once it leaves the queue is the scheduler's business, not this one's.
 */
export class WaitingRoom {
  readonly #clock: Clock;
  /** Told after a waiter left the queue without a slot (timed out, aborted, ended). */
  readonly #onLeft: () => void;
  #queued = 0;
  #queuedBytes = 0;

  constructor(clock: Clock, onLeft: () => void) {
    this.#clock = clock;
    this.#onLeft = onLeft;
  }

  get queued(): number {
    return this.#queued;
  }

  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Queues `waiter` in its lane until its deadline (then `timedOut()` is its error) or its signal's abort. */
  enqueue(waiter: Waiter, priority: number, tenant: QueueTenant | undefined, timedOut: () => GatewayError): void {
    waiter.entry = waiter.lane.queue.push(waiter, priority, tenant);
    this.#queued += 1;
    this.#queuedBytes += waiter.bodyBytes;
    waiter.timer = this.#clock.setTimeout(() => this.#end(waiter, 'queue_timeout', timedOut()), waiter.deadlineAt - waiter.enqueuedAt);
    const signal = waiter.signal;
    if (signal !== undefined) {
      waiter.onAbort = () => this.#end(waiter, 'aborted', signal.reason);
      signal.addEventListener('abort', waiter.onAbort, { once: true });
    }
  }

  /** The lane's next waiter by priority and fair share, out of the queue (its timer and listener gone). */
  takeNext(lane: ModelLane<Waiter>): Waiter | undefined {
    const waiter = lane.queue.shift();
    if (waiter !== undefined) this.#detach(waiter);
    return waiter;
  }

  /** Ends every waiter of `lanes` with `error`. */
  rejectAll(lanes: Iterable<ModelLane<Waiter>>, error: GatewayError): void {
    for (const lane of lanes) {
      for (const waiter of lane.queue.clear()) {
        this.#detach(waiter);
        lane.rejected.ended += 1;
        waiter.reject(error);
      }
    }
  }

  #end(waiter: Waiter, reason: RejectReason, error: unknown): void {
    if (waiter.entry === null || !waiter.lane.queue.remove(waiter.entry)) return;
    this.#detach(waiter);
    waiter.lane.rejected[reason] += 1;
    waiter.reject(error);
    this.#onLeft();
  }

  /** Undoes the bookkeeping of a waiter that has left the queue. */
  #detach(waiter: Waiter): void {
    if (waiter.timer !== undefined) this.#clock.clearTimeout(waiter.timer);
    if (waiter.onAbort !== null) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    this.#queued -= 1;
    this.#queuedBytes -= waiter.bodyBytes;
  }
}
