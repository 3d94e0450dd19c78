import Bottleneck from 'bottleneck';
import type { ReservoirLimits } from './model-limits.ts';

/** Bottleneck checks its reservoir on a heartbeat; never slower than the refresh itself. */
const MAX_HEARTBEAT_MS = 250;

/**
 * A model's rate reservoir, refreshed by Bottleneck's timer (see docs/decisions/0001). The tokens of
 * the current window are counted here, so taking one and reading how many are left are synchronous.
 * Bottleneck is kept empty with one job of ours always pending in it: the job runs the moment
 * Bottleneck refreshes its reservoir, which tells us a new window has begun (with `amount` tokens,
 * whether or not anyone asked). We empty Bottleneck again and queue the next job; the waiting
 * requests stay in our own queue, so they keep their deadlines and abort.
 */
export class ReservoirTokens {
  readonly limits: ReservoirLimits;
  #limiter: Bottleneck;
  #onRefresh: () => void;
  /** Tokens of the current window not yet taken. */
  #left: number;
  /**
   * A fresh reservoir hands out its first window at once, until Bottleneck's first refresh is due;
   * tokens of it left unused then expire, so no window gives more than `amount`. Null once refreshed.
   */
  #firstWindowEndsAt: number | null;
  #stopped = false;

  /** `onRefresh` runs (asynchronously) each time a new window begins, whether or not anyone waits. */
  constructor(limits: ReservoirLimits, onRefresh: () => void) {
    this.limits = limits;
    this.#onRefresh = onRefresh;
    this.#left = limits.amount;
    this.#firstWindowEndsAt = Date.now() + limits.refreshIntervalMs;
    // Bottleneck starts empty and refreshes to `amount` one interval after it is created.
    this.#limiter = new Bottleneck({
      reservoir: 0,
      reservoirRefreshAmount: limits.amount,
      reservoirRefreshInterval: limits.refreshIntervalMs,
      heartbeatInterval: Math.min(MAX_HEARTBEAT_MS, limits.refreshIntervalMs),
    });
    this.#awaitRefresh();
  }

  /** The tokens left in the current window, now. */
  get left(): number {
    if (this.#firstWindowEndsAt !== null && Date.now() >= this.#firstWindowEndsAt) return 0;
    return this.#left;
  }

  /** Takes a token if the window has one left; otherwise the waiter waits for `onRefresh`. */
  take(): boolean {
    if (this.left === 0) return false;
    this.#left -= 1;
    return true;
  }

  /** Stops the refresh timer; the pending job is dropped. */
  stop(): void {
    this.#stopped = true;
    this.#limiter.stop({ dropWaitingJobs: true }).catch(() => undefined);
  }

  /** Queues the job that runs at Bottleneck's next refresh (only a stop() drops it). */
  #awaitRefresh(): void {
    if (this.#stopped) return;
    this.#limiter.schedule(() => Promise.resolve()).then(
      () => this.#refreshed(),
      () => undefined,
    );
  }

  #refreshed(): void {
    if (this.#stopped) return;
    this.#left = this.limits.amount;
    this.#firstWindowEndsAt = null;
    // Bottleneck refilled to `amount` and our job took one: emptying it before queueing the next job makes
    // that job wait for the next refresh, a whole interval away.
    this.#limiter.incrementReservoir(1 - this.limits.amount).then(
      () => this.#awaitRefresh(),
      () => undefined,
    );
    this.#onRefresh();
  }
}
