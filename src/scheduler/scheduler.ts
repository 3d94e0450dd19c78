import type { Config } from '../config/config-schema.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import { createSystemClock, type Clock } from './clock.ts';
import { ModelLane, describeIdleModel, type ModelSnapshot, type RejectReason } from './model-lane.ts';
import { ModelLimitsTable } from './model-limits.ts';
import { draining, globalOverload, queueFull, queueTimeout } from './scheduler-errors.ts';
import { NodeSlots } from './node-slots.ts';
import { SlotGrants } from './slot-grants.ts';
import { estimateRetryAfterSeconds } from './service-time.ts';
import { DEFAULT_PRIORITY } from './wait-queue.ts';
import { WaitingRoom, type Waiter } from './waiting-room.ts';
import {
  DEFAULT_GLOBAL_LIMITS,
  type AcquireOptions,
  type Lease,
  type SchedulerDeps,
  type SchedulerSnapshot,
} from './scheduler-types.ts';

export type { AcquireOptions, GlobalLimits, Lease, NodeDirectory, QueueTicket, SchedulerDeps, SchedulerSnapshot, SlotNode } from './scheduler-types.ts';
export { DEFAULT_GLOBAL_LIMITS } from './scheduler-types.ts';

/**
 * Per-model concurrency slots with a cancellable priority queue, an optional rate reservoir, global
 * backpressure, resource-aware admission, optional shared limits, and drain. One per app instance.
 * The scheduler decides who is admitted and who starts where; the waiting room keeps the queued
 * requests (deadlines, aborts, counts) and the slot grants count the slots handed out and given back.
 */
export class Scheduler {
  #deps: SchedulerDeps;
  #clock: Clock;
  #lanes = new Map<string, ModelLane<Waiter>>();
  #limits = new ModelLimitsTable();
  #waiting: WaitingRoom;
  #grants: SlotGrants;
  #draining = false;
  #idleWaiters: Array<() => void> = [];
  #nodes: NodeSlots;
  #unsubscribe: () => void;
  #unsubscribeNodes: () => void;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? createSystemClock();
    this.#waiting = new WaitingRoom(this.#clock, () => this.#notifyIfIdle());
    this.#nodes = new NodeSlots(deps.nodes, deps.getConfig);
    this.#grants = new SlotGrants({
      clock: this.#clock,
      nodes: this.#nodes,
      distributed: deps.distributed,
      sharedKeyPerNode: deps.nodes !== undefined,
      onFreed: (lane) => {
        // a freed node budget may let another model's queue start too
        if (deps.nodes === undefined) this.#dispatch(lane);
        else this.#dispatchAll(lane);
        this.#notifyIfIdle();
      },
    });
    this.#limits.load(deps.getConfig());
    this.#unsubscribe = deps.resources?.subscribe(() => this.#dispatchAll()) ?? (() => undefined);
    this.#unsubscribeNodes = deps.nodes?.onChange(() => this.#dispatchAll()) ?? (() => undefined);
  }

  /** Resolves with a lease once the request may run; rejects with a GatewayError (or the abort reason). */
  acquire(modelKey: string, options: AcquireOptions = {}): Promise<Lease> {
    return new Promise((resolve, reject) => this.#admit(modelKey, options, resolve, reject));
  }

  snapshot(): SchedulerSnapshot {
    const resources = this.#deps.resources?.snapshot() ?? null;
    return {
      models: { ...this.#describeConfiguredModels(), ...Object.fromEntries([...this.#lanes].map(([key, lane]) => [key, lane.snapshot()])) },
      inFlight: this.#grants.inFlight,
      inFlightByNode: this.#nodes.snapshot(),
      queued: this.#waiting.queued,
      queuedBytes: this.#waiting.queuedBytes,
      draining: this.#draining,
      paused: resources?.paused ?? false,
      resources,
    };
  }

  /**
   * Applies the config's current limits to every model seen so far (call after a reload): a raised
   * limit starts queued requests now rather than at the model's next request or release.
   */
  applyLimits(): void {
    const config = this.#deps.getConfig();
    this.#limits.load(config);
    for (const lane of this.#lanes.values()) this.#refreshLane(lane, config);
  }

  /** Admits no new work from now on; queued and running requests carry on. */
  drain(): void {
    this.#draining = true;
  }

  /** Resolves when nothing runs and nothing waits. */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Ends every waiting request (queued, or waiting for a shared slot) with `error`. */
  rejectAll(error: GatewayError): void {
    this.#waiting.rejectAll(this.#lanes.values(), error);
    this.#grants.abortShared(error);
    this.#notifyIfIdle();
  }

  /** Stops reservoir timers and the resource subscription. */
  close(): void {
    this.#unsubscribe();
    this.#unsubscribeNodes();
    for (const lane of this.#lanes.values()) lane.close();
  }

  /** Models listed in the config that have seen no request yet: their limits, zero counters. */
  #describeConfiguredModels(): Record<string, ModelSnapshot> {
    const config = this.#deps.getConfig();
    return Object.fromEntries(Object.keys(config.models).map((key) => [key, describeIdleModel(this.#limits.get(config, key))]));
  }

  #admit(modelKey: string, options: AcquireOptions, resolve: (lease: Lease) => void, reject: (error: unknown) => void): void {
    const signal = options.signal;
    if (signal?.aborted) return reject(signal.reason);
    const config = this.#deps.getConfig();
    const lane = this.#laneFor(modelKey, config);
    if (this.#draining) {
      const retryAfter = Math.min(config.retryAfterCapSeconds, Math.ceil(config.drainTimeoutMs / 1000));
      return this.#turnAway(lane, 'draining', draining(retryAfter), reject);
    }
    const global = { ...DEFAULT_GLOBAL_LIMITS, ...this.#deps.getGlobalLimits?.() };
    if (this.#grants.inFlight + this.#waiting.queued >= global.maxTotalRequests) {
      const error = globalOverload(`${global.maxTotalRequests} requests running or queued`, this.#estimateRetryAfter(lane, config));
      return this.#turnAway(lane, 'overloaded', error, reject);
    }
    const now = this.#clock.now();
    const bodyBytes = options.bodyBytes ?? 0;
    const waiter: Waiter = {
      lane, signal, bodyBytes, resolve, reject,
      enqueuedAt: now,
      deadlineAt: now + lane.limits.queueTimeoutMs,
      entry: null,
      timer: undefined,
      onAbort: null,
      affinityKey: options.affinityKey,
      avoidNodes: options.avoidNodes,
    };
    if (lane.queue.size === 0) {
      const node = this.#placeNow(lane, waiter);
      if (node !== undefined) return this.#grants.start(waiter, node);
    }
    if (lane.queue.size >= lane.limits.maxQueue) {
      const error = queueFull(modelKey, lane.limits.maxQueue, this.#estimateRetryAfter(lane, config));
      return this.#turnAway(lane, 'queue_full', error, reject);
    }
    if (this.#waiting.queuedBytes + bodyBytes > global.maxQueuedBodyBytes) {
      const error = globalOverload(`${global.maxQueuedBodyBytes} bytes of queued request bodies`, this.#estimateRetryAfter(lane, config));
      return this.#turnAway(lane, 'overloaded', error, reject);
    }
    const timeoutMs = lane.limits.queueTimeoutMs;
    this.#waiting.enqueue(waiter, options.priority ?? DEFAULT_PRIORITY, options.tenant, () => queueTimeout(modelKey, timeoutMs, this.#estimateRetryAfter(lane, config)));
    options.onQueued?.({ modelKey, position: () => (waiter.entry === null ? 0 : lane.queue.positionOf(waiter.entry)) });
  }

  #laneFor(modelKey: string, config: Config): ModelLane<Waiter> {
    const limits = this.#limits.get(config, modelKey);
    const lane = this.#lanes.get(modelKey);
    if (lane === undefined) {
      const created: ModelLane<Waiter> = new ModelLane(modelKey, limits, () => this.#dispatch(created));
      this.#lanes.set(modelKey, created);
      return created;
    }
    // the table hands out one object per model and config: another object means the config changed
    if (lane.limits !== limits) this.#refreshLane(lane, config);
    return lane;
  }

  #refreshLane(lane: ModelLane<Waiter>, config: Config): void {
    lane.applyLimits(this.#limits.get(config, lane.modelKey));
    // a raised limit lets waiters start now rather than at the next release
    this.#dispatch(lane);
  }

  #turnAway(lane: ModelLane<Waiter>, reason: RejectReason, error: GatewayError, reject: (error: unknown) => void): void {
    lane.rejected[reason] += 1;
    reject(error);
  }

  /** From the model's total capacity: its `maxConcurrent` on every node that may serve it. */
  #estimateRetryAfter(lane: ModelLane<Waiter>, config: Config): number {
    return estimateRetryAfterSeconds(lane.queue.size, this.#nodes.capacityOf(lane), lane.serviceTime.averageMs, config.retryAfterCapSeconds);
  }

  /**
   * What a request for `modelKey` arriving now would meet: roughly how long it would wait in
   * milliseconds (0: it would start at once), and whether the queue is full (for spilling to a fallback).
   */
  outlook(modelKey: string): { waitMs: number; queueFull: boolean } {
    const lane = this.#lanes.get(modelKey);
    if (lane === undefined) return { waitMs: this.#nodes.hasNoNode(modelKey) ? Infinity : 0, queueFull: false };
    const queueFull = lane.queue.size >= lane.limits.maxQueue;
    if (lane.queue.size === 0 && this.#nodes.choose(lane, undefined, undefined) !== undefined) return { waitMs: 0, queueFull };
    return { waitMs: ((lane.queue.size + 1) / this.#nodes.capacityOf(lane)) * lane.serviceTime.averageMs, queueFull };
  }

  /** Slot (on some node), then resources, then the reservoir: a token is only taken when the request can use it. */
  #placeNow(lane: ModelLane<Waiter>, waiter: Waiter | undefined): string | undefined {
    const node = this.#nodes.choose(lane, waiter?.affinityKey, waiter?.avoidNodes);
    if (node === undefined) return undefined;
    const gate = this.#deps.resources;
    return (gate === undefined || gate.canAdmit(lane.limits.memoryCostBytes)) && lane.takeToken() ? node : undefined;
  }

  /** Starts queued requests while a node has a free slot: the head takes whichever node is free. */
  #dispatch(lane: ModelLane<Waiter>): void {
    // A node free for any waiter is free for the head: affinity and avoidance only choose among free nodes.
    while (lane.queue.size > 0 && this.#placeNow(lane, undefined) !== undefined) {
      const waiter = this.#waiting.takeNext(lane);
      if (waiter === undefined) break;
      this.#grants.start(waiter, this.#nodes.choose(lane, waiter.affinityKey, waiter.avoidNodes)!);
    }
  }

  /** Dispatches every lane (`first` before the others: the lane whose slot was just freed). */
  #dispatchAll(first?: ModelLane<Waiter>): void {
    if (first !== undefined) this.#dispatch(first);
    for (const lane of this.#lanes.values()) if (lane !== first) this.#dispatch(lane);
  }

  #isIdle(): boolean {
    return this.#grants.inFlight === 0 && this.#waiting.queued === 0;
  }

  #notifyIfIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
