import type { GatewayError } from '../errors/gateway-error.ts';
import { acquireSharedSlot, classifySharedFailure } from './acquire-shared-slot.ts';
import type { Clock } from './clock.ts';
import type { DistributedLease, DistributedLimiter } from './distributed-limiter.ts';
import type { ModelLane } from './model-lane.ts';
import type { NodeSlots } from './node-slots.ts';
import type { Lease } from './scheduler-types.ts';
import type { Waiter } from './waiting-room.ts';

export interface SlotGrantsDeps {
  clock: Clock;
  nodes: NodeSlots;
  /** Shared limits (Redis): a request holding a local slot also waits for the shared one. */
  distributed: DistributedLimiter | undefined;
  /** With a pool, a model's shared slots are per (node, model); one upstream keeps the per-model key. */
  sharedKeyPerNode: boolean;
  /** Told after a slot came back (a lease released, or a shared wait failed): queues may start now. */
  onFreed: (lane: ModelLane<Waiter>) => void;
}

/**
 * Slots handed out and given back: a request the scheduler placed on a node takes the slot there
 * (the model's count on the node, the node's budget, the shared slot with Redis) and gets its lease;
 * releasing the lease gives all of it back. The scheduler decides who starts where; this counts.
 */
export class SlotGrants {
  readonly #deps: SlotGrantsDeps;
  #inFlight = 0;
  /** Waits for a shared slot under way, so `abortShared` can end them. */
  readonly #pendingShared = new Set<AbortController>();

  constructor(deps: SlotGrantsDeps) {
    this.#deps = deps;
  }

  /** Requests holding a slot now, all models together. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Takes the slot of `waiter`'s model on `node` and resolves the waiter with its lease (after the shared slot, with Redis). */
  start(waiter: Waiter, node: string): void {
    const lane = waiter.lane;
    lane.enter(node);
    this.#deps.nodes.enter(node);
    this.#inFlight += 1;
    const distributed = this.#deps.distributed;
    if (distributed === undefined) return waiter.resolve(this.#createLease(lane, node, this.#deps.clock.now() - waiter.enqueuedAt, null));
    this.#startShared(waiter, node, distributed);
  }

  /** Ends every wait for a shared slot with `error`. */
  abortShared(error: GatewayError): void {
    for (const controller of this.#pendingShared) controller.abort(error);
  }

  /** Holding a local slot, waits for the shared one (of the same node and model) within the same deadline and abort. */
  #startShared(waiter: Waiter, node: string, distributed: DistributedLimiter): void {
    const lane = waiter.lane;
    const clock = this.#deps.clock;
    const timeoutMs = Math.max(0, waiter.deadlineAt - clock.now());
    const request = { limits: lane.limits, signal: waiter.signal, timeoutMs, pending: this.#pendingShared };
    const sharedKey = this.#deps.sharedKeyPerNode ? `${lane.modelKey}@${node}` : lane.modelKey;
    acquireSharedSlot(distributed, sharedKey, request).then(
      (shared) => waiter.resolve(this.#createLease(lane, node, clock.now() - waiter.enqueuedAt, shared)),
      (error: unknown) => {
        lane.rejected[classifySharedFailure(error, waiter.signal)] += 1;
        this.#giveBack(lane, node);
        waiter.reject(error);
      },
    );
  }

  #createLease(lane: ModelLane<Waiter>, node: string, queueWaitMs: number, shared: DistributedLease | null): Lease {
    const clock = this.#deps.clock;
    const startedAt = clock.now();
    let released = false;
    return {
      queueWaitMs,
      node,
      release: () => {
        if (released) return;
        released = true;
        shared?.release();
        lane.serviceTime.record(clock.now() - startedAt);
        lane.served += 1;
        this.#giveBack(lane, node);
      },
    };
  }

  #giveBack(lane: ModelLane<Waiter>, node: string): void {
    lane.leave(node);
    this.#deps.nodes.leave(node);
    this.#inFlight -= 1;
    this.#deps.onFreed(lane);
  }
}
