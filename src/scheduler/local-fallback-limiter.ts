import { GatewayError, overloaded } from '../errors/gateway-error.ts';
import { createSystemClock, type Clock, type Timer } from './clock.ts';
import type { DistributedLease, DistributedLimiter, DistributedRequest } from './distributed-limiter.ts';

/** What the fallback needs of the shared limiter besides `acquire`. */
export interface SharedLimiter extends DistributedLimiter {
  /** Whether the store answers now. */
  ping(): Promise<boolean>;
  /** Registers a request already running as a lease, whether or not the limit is reached. */
  adopt(modelKey: string): Promise<DistributedLease>;
  /** Replicas seen in the last minute, this one included; at least 1. */
  replicasSeen(): number;
}

export interface LocalFallbackOptions {
  shared: SharedLimiter;
  clock?: Clock;
  /** How often Redis is tried while it is away. */
  probeMs?: number;
  /**
   * After Redis answers again, how long new work keeps to local limits: long enough for every replica
   * to reconnect (the Redis client's reconnect delay is at most 2 s) and register its running requests.
   */
  settleMs?: number;
  /** Told when the replica starts or stops serving under local limits. */
  onDegradedChange?: (degraded: boolean) => void;
}

interface HeldLease {
  readonly key: string;
  /** The lease that counts this request in Redis, if it has one. */
  shared: DistributedLease | null;
}

/**
 * `redisFailure: local`: shared limits through Redis while it answers; while it does not, each
 * replica serves under its share of every shared limit (the limit divided by the replicas seen in the
 * last minute, at least 1). When Redis answers again, the requests still running are registered there
 * first, and only after a settling time (every replica has noticed by then) does new work take
 * shared leases again, so no limit is exceeded on the way back.
 */
export class LocalFallbackLimiter implements DistributedLimiter {
  readonly #shared: SharedLimiter;
  readonly #clock: Clock;
  readonly #probeMs: number;
  readonly #settleMs: number;
  /** The replica count when Redis went away: a restarted Redis knows no replicas at first. */
  #replicas = 1;
  readonly #onDegradedChange: (degraded: boolean) => void;
  #mode: 'shared' | 'local' | 'settling' = 'shared';
  #held = new Set<HeldLease>();
  #wakers = new Set<() => void>();
  /** The probe while Redis is away, or the end of settling. */
  #timer: Timer | undefined;

  constructor(options: LocalFallbackOptions) {
    this.#shared = options.shared;
    this.#clock = options.clock ?? createSystemClock();
    this.#probeMs = options.probeMs ?? 1_000;
    this.#settleMs = options.settleMs ?? 3_000;
    this.#onDegradedChange = options.onDegradedChange ?? (() => undefined);
  }

  /** True while the replica serves under local limits (Redis away, or just back and settling). */
  get degraded(): boolean {
    return this.#mode !== 'shared';
  }

  async acquire(modelKey: string, request: DistributedRequest): Promise<DistributedLease> {
    if (this.#mode === 'shared') {
      try {
        const shared = await this.#shared.acquire(modelKey, request);
        if (this.#mode === 'shared') return this.#hold({ key: modelKey, shared });
        // Redis answered this waiter after the replica fell back: its running requests are not counted
        // there yet, so the request keeps to local limits like the others
        shared.release();
      } catch (error) {
        if (!(error instanceof GatewayError && error.code === 'redis_unavailable')) throw error;
        this.#fallBack();
      }
    }
    return this.#acquireLocal(modelKey, request);
  }

  close(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #hold(held: HeldLease): DistributedLease {
    this.#held.add(held);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#held.delete(held);
        held.shared?.release();
        for (const wake of this.#wakers) wake();
      },
    };
  }

  async #acquireLocal(key: string, request: DistributedRequest): Promise<DistributedLease> {
    const deadline = this.#clock.now() + request.timeoutMs;
    for (;;) {
      request.signal.throwIfAborted();
      // back on shared leases while this request waited: it waits for a shared one now
      if (this.#mode === 'shared') return this.acquire(key, { ...request, timeoutMs: Math.max(0, deadline - this.#clock.now()) });
      const share = Math.max(1, Math.floor(request.maxConcurrent / this.#replicas));
      if (this.#countHeld(key) < share) {
        const held: HeldLease = { key, shared: null };
        const lease = this.#hold(held);
        // while settling, replicas already back on shared leases must count this request
        if (this.#mode === 'settling') await this.#register(held).catch(() => this.#fallBack());
        return lease;
      }
      const remainingMs = deadline - this.#clock.now();
      if (remainingMs <= 0) throw overloaded(`No slot for model \`${key}\` became free in time (serving under local limits: Redis is unavailable).`, 1, 'queue_timeout');
      await this.#waitForRelease(remainingMs, request.signal);
    }
  }

  /** Registers a running request in Redis (besides any lease it holds there already); rejects when Redis is away. */
  async #register(held: HeldLease): Promise<void> {
    const adopted = await this.#shared.adopt(held.key);
    // the request may have ended while Redis answered
    if (!this.#held.has(held)) return adopted.release();
    const previous = held.shared;
    held.shared = {
      release: () => {
        previous?.release();
        adopted.release();
      },
    };
  }

  #countHeld(key: string): number {
    let count = 0;
    for (const held of this.#held) if (held.key === key) count += 1;
    return count;
  }

  #waitForRelease(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.#clock.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#wakers.delete(done);
        resolve();
      };
      const onAbort = (): void => {
        done();
        reject(signal.reason);
      };
      const timer = this.#clock.setTimeout(done, ms);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#wakers.add(done);
    });
  }

  /** Serves under local limits from now on, and tries Redis again every `probeMs`. */
  #fallBack(): void {
    if (this.#mode === 'local') return;
    if (this.#mode === 'shared') {
      this.#replicas = this.#shared.replicasSeen();
      this.#onDegradedChange(true);
    }
    this.#mode = 'local';
    this.close();
    this.#scheduleProbe();
  }

  #scheduleProbe(): void {
    this.#timer = this.#clock.setTimeout(() => void this.#tryRecover(), this.#probeMs);
  }

  /** Registers every running request in Redis, then settles before new work takes shared leases. */
  async #tryRecover(): Promise<void> {
    if (!(await this.#shared.ping())) return this.#scheduleProbe();
    try {
      // conservative: a lease Redis may still hold from before the outage is counted twice until it ends
      await Promise.all([...this.#held].map((held) => this.#register(held)));
    } catch {
      return this.#scheduleProbe();
    }
    this.#mode = 'settling';
    this.#timer = this.#clock.setTimeout(() => {
      this.#mode = 'shared';
      this.#onDegradedChange(false);
    }, this.#settleMs);
  }
}
