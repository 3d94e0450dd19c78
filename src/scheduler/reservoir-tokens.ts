import Bottleneck from 'bottleneck';
import type { ReservoirLimits } from './model-limits.ts';

/** Bottleneck checks its reservoir on a heartbeat; never slower than the refresh itself. */
const MAX_HEARTBEAT_MS = 250;

/**
 * A model's rate reservoir, kept by Bottleneck (see docs/decisions/0001). Bottleneck only counts
 * and refreshes tokens: the waiting requests stay in our own queue, so they keep their deadlines and
 * abort. At most one token request is outstanding inside Bottleneck; a token that arrives after the
 * waiter it was fetched for has gone is kept for the next one rather than lost.
 */
export class ReservoirTokens {
  readonly limits: ReservoirLimits;
  #limiter: Bottleneck;
  #onToken: () => void;
  #held = 0;
  #fetching = false;
  #stopped = false;
  /** The first window's tokens, handed out synchronously until Bottleneck's first refresh is due. */
  #firstWindowTokens: number;
  readonly #firstWindowEndsAt: number;

  /** `onToken` runs (asynchronously) each time a token becomes available after `take()` said no. */
  constructor(limits: ReservoirLimits, onToken: () => void) {
    this.limits = limits;
    this.#onToken = onToken;
    // A burst into a fresh reservoir starts at once instead of queueing behind Bottleneck's timer hops
    // (and being 429'd by a small maxQueue). Bottleneck starts empty and refreshes to `amount` one
    // interval after it is created; first-window tokens left unused then expire, so no window gives more.
    this.#firstWindowTokens = limits.amount;
    this.#firstWindowEndsAt = Date.now() + limits.refreshIntervalMs;
    this.#limiter = new Bottleneck({
      reservoir: 0,
      reservoirRefreshAmount: limits.amount,
      reservoirRefreshInterval: limits.refreshIntervalMs,
      heartbeatInterval: Math.min(MAX_HEARTBEAT_MS, limits.refreshIntervalMs),
    });
  }

  /** Takes a token if one is held; otherwise starts fetching one and returns false. */
  take(): boolean {
    if (this.#firstWindowTokens > 0 && Date.now() < this.#firstWindowEndsAt) {
      this.#firstWindowTokens -= 1;
      return true;
    }
    if (this.#held > 0) {
      this.#held -= 1;
      return true;
    }
    this.#fetchToken();
    return false;
  }

  /** Stops the refresh timer; an outstanding fetch is dropped. */
  stop(): void {
    this.#stopped = true;
    this.#limiter.stop({ dropWaitingJobs: true }).catch(() => undefined);
  }

  #fetchToken(): void {
    if (this.#fetching || this.#stopped) return;
    this.#fetching = true;
    this.#limiter.schedule(() => Promise.resolve()).then(
      () => {
        this.#fetching = false;
        if (this.#stopped) return;
        this.#held += 1;
        this.#onToken();
      },
      // only a stop() drops the job; the model's new reservoir takes over
      () => {
        this.#fetching = false;
      },
    );
  }
}
