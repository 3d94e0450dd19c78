import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { overloaded } from '../errors/gateway-error.ts';
import { createSystemClock, type Clock, type Timer } from './clock.ts';
import type { DistributedLease, DistributedLimiter, DistributedRequest } from './distributed-limiter.ts';
import { ACQUIRE_LEASE_SCRIPT, ADOPT_LEASE_SCRIPT, REFRESH_LEASE_SCRIPT, RELEASE_LEASE_SCRIPT, REPLICA_HEARTBEAT_SCRIPT, TAKE_TOKEN_SCRIPT } from './redis-scripts.ts';
import { redisUnavailable } from './scheduler-errors.ts';

const MIN_BACKOFF_MS = 10;
const MAX_BACKOFF_MS = 250;
/** Replicas that beat within this window count when a shared limit is split while Redis is away. */
const REPLICA_WINDOW_MS = 60_000;
const HEARTBEAT_MS = 10_000;

export interface RedisLimiterOptions {
  /** Command connection (see `connectRedis`). */
  redis: Redis;
  /** A second connection for release notifications; without it waiters only poll with backoff. */
  subscriber?: Redis;
  keyPrefix?: string;
  /** A lease not refreshed for this long expires: how fast a dead replica's slots come back. */
  leaseMs?: number;
  clock?: Clock;
}

/**
 * Concurrency slots and rate tokens shared by replicas through Redis: a lease-based semaphore per
 * model (sorted set of lease ids scored by expiry, refreshed while held) and a token bucket per
 * model. Waiters retry when a lease is released (pub/sub) or after a jittered backoff, within their
 * deadline and abort. Redis errors reject with 503 `redis_unavailable`.
 */
export class RedisDistributedLimiter implements DistributedLimiter {
  #redis: Redis;
  #subscriber: Redis | undefined;
  #prefix: string;
  #leaseMs: number;
  #clock: Clock;
  #replicaId = randomUUID();
  #nextLease = 0;
  #wakers = new Map<string, Set<() => void>>();
  #refreshers = new Set<() => void>();
  /** Replica counts of recent heartbeats: a restarted Redis knows only the replicas that beat since. */
  #replicaCounts: Array<{ at: number; count: number }> = [];
  #heartbeat: Timer | undefined;
  #closed = false;
  #onMessage = (_channel: string, modelKey: string): void => {
    for (const wake of this.#wakers.get(modelKey) ?? []) wake();
  };

  constructor(options: RedisLimiterOptions) {
    this.#redis = options.redis;
    this.#subscriber = options.subscriber;
    this.#prefix = options.keyPrefix ?? 'llm-sidecar:';
    this.#leaseMs = options.leaseMs ?? 10_000;
    this.#clock = options.clock ?? createSystemClock();
  }

  /** Subscribes to release notifications (when a subscriber connection was given) and starts the replica heartbeat. */
  async listen(): Promise<void> {
    await this.#beat();
    if (this.#subscriber === undefined) return;
    this.#subscriber.on('message', this.#onMessage);
    await this.#subscriber.subscribe(this.#channel());
  }

  async acquire(modelKey: string, request: DistributedRequest): Promise<DistributedLease> {
    const deadline = this.#clock.now() + request.timeoutMs;
    const leaseKey = `${this.#prefix}leases:${modelKey}`;
    const leaseId = `${this.#replicaId}:${(this.#nextLease += 1)}`;
    await this.#retryUntil(modelKey, request.signal, deadline, async () => {
      const acquired = await this.#evaluate(ACQUIRE_LEASE_SCRIPT, [leaseKey], [leaseId, request.maxConcurrent, this.#leaseMs]);
      return acquired === 1 ? 0 : null;
    });
    const stopRefreshing = this.#keepAlive(leaseKey, leaseId);
    const release = (): void => {
      stopRefreshing();
      // a failed release is harmless: the lease expires within leaseMs
      this.#evaluate(RELEASE_LEASE_SCRIPT, [leaseKey, this.#channel()], [leaseId, modelKey]).catch(() => undefined);
    };
    const reservoir = request.reservoir;
    if (reservoir === null) return { release: once(release) };
    try {
      const bucketKey = `${this.#prefix}tokens:${modelKey}`;
      await this.#retryUntil(modelKey, request.signal, deadline, async () =>
        Number(await this.#evaluate(TAKE_TOKEN_SCRIPT, [bucketKey], [reservoir.amount, reservoir.refreshIntervalMs])),
      );
    } catch (error) {
      release();
      throw error;
    }
    return { release: once(release) };
  }

  /** Replicas seen in the last minute, this one included (at least 1): the most any heartbeat in that minute counted. */
  replicasSeen(): number {
    const since = this.#clock.now() - REPLICA_WINDOW_MS;
    this.#replicaCounts = this.#replicaCounts.filter((sample) => sample.at >= since);
    return Math.max(1, ...this.#replicaCounts.map((sample) => sample.count));
  }

  /** Whether Redis answers now (a heartbeat, which also refreshes the replica count). */
  async ping(): Promise<boolean> {
    try {
      const count = Number(await this.#redis.eval(REPLICA_HEARTBEAT_SCRIPT, 1, this.#replicaKey(), this.#replicaId, REPLICA_WINDOW_MS));
      this.#replicaCounts.push({ at: this.#clock.now(), count });
      return true;
    } catch {
      return false;
    }
  }

  /** Registers a request already running (started while Redis was away) as a lease, full or not. */
  async adopt(modelKey: string): Promise<DistributedLease> {
    const leaseKey = `${this.#prefix}leases:${modelKey}`;
    const leaseId = `${this.#replicaId}:${(this.#nextLease += 1)}`;
    await this.#evaluate(ADOPT_LEASE_SCRIPT, [leaseKey], [leaseId, this.#leaseMs]);
    const stopRefreshing = this.#keepAlive(leaseKey, leaseId);
    return {
      release: once(() => {
        stopRefreshing();
        this.#evaluate(RELEASE_LEASE_SCRIPT, [leaseKey, this.#channel()], [leaseId, modelKey]).catch(() => undefined);
      }),
    };
  }

  /** Stops refreshing every held lease and stops listening (what a replica's death looks like). */
  close(): void {
    this.#closed = true;
    if (this.#heartbeat !== undefined) this.#clock.clearTimeout(this.#heartbeat);
    this.#heartbeat = undefined;
    for (const stop of this.#refreshers) stop();
    this.#subscriber?.off('message', this.#onMessage);
  }

  async #beat(): Promise<void> {
    await this.ping();
    if (this.#closed) return;
    this.#heartbeat = this.#clock.setTimeout(() => void this.#beat(), HEARTBEAT_MS);
  }

  #replicaKey(): string {
    return `${this.#prefix}replicas`;
  }

  #channel(): string {
    return `${this.#prefix}released`;
  }

  /**
   * Runs `attempt` until it returns 0. A positive result is how long to wait; null means wait for a
   * release notification or a jittered exponential backoff.
   */
  async #retryUntil(modelKey: string, signal: AbortSignal, deadline: number, attempt: () => Promise<number | null>): Promise<void> {
    for (let round = 0; ; round += 1) {
      signal.throwIfAborted();
      const suggestedWaitMs = await attempt();
      if (suggestedWaitMs === 0) return;
      const remainingMs = deadline - this.#clock.now();
      if (remainingMs <= 0) throw overloaded(`No shared slot for model \`${modelKey}\` became free in time.`, 1, 'queue_timeout');
      const backoffMs = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** round) * (0.5 + Math.random() / 2);
      await this.#pause(modelKey, Math.min(suggestedWaitMs ?? backoffMs, remainingMs), signal);
    }
  }

  #pause(modelKey: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const wakers = this.#wakers.get(modelKey) ?? new Set<() => void>();
      this.#wakers.set(modelKey, wakers);
      const cleanUp = (): void => {
        this.#clock.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        wakers.delete(wake);
        if (wakers.size === 0) this.#wakers.delete(modelKey);
      };
      const wake = (): void => {
        cleanUp();
        resolve();
      };
      const onAbort = (): void => {
        cleanUp();
        reject(signal.reason);
      };
      const timer: Timer = this.#clock.setTimeout(wake, ms);
      signal.addEventListener('abort', onAbort, { once: true });
      wakers.add(wake);
    });
  }

  /** Refreshes the lease every third of its lifetime until the returned function is called. */
  #keepAlive(leaseKey: string, leaseId: string): () => void {
    let timer: Timer | undefined;
    let stopped = false;
    const schedule = (): void => {
      timer = this.#clock.setTimeout(() => {
        this.#evaluate(REFRESH_LEASE_SCRIPT, [leaseKey], [leaseId, this.#leaseMs])
          .catch(() => undefined)
          .finally(() => {
            if (!stopped) schedule();
          });
      }, this.#leaseMs / 3);
    };
    const stop = (): void => {
      stopped = true;
      if (timer !== undefined) this.#clock.clearTimeout(timer);
      this.#refreshers.delete(stop);
    };
    this.#refreshers.add(stop);
    schedule();
    return stop;
  }

  async #evaluate(script: string, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await this.#redis.eval(script, keys.length, ...keys, ...args);
    } catch (error) {
      throw redisUnavailable(error);
    }
  }
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}
