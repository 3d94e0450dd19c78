/** Shortest and longest pause between probes of a node that is down. */
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30_000;

export interface NodeHealthSnapshot {
  /** Unknown until the first check or request; unknown counts as usable. */
  healthy: boolean | null;
  /** A 503 "server busy" answer makes the node skip new work until then (epoch ms). */
  busyUntil: number | null;
  lastCheckAt: number | null;
  roundTripMs: number | null;
  lastError: string | null;
  version: string | null;
  /** Failures in a row since the node last answered. */
  failures: number;
}

/**
 * The health of one node from active checks and passive observations: a connection failure or
 * timeout marks it down at once, a down node is probed with a growing backoff, and a busy answer
 * sets it aside for a cool-down. Time comes from the caller, so it is deterministic in tests.
 */
export class NodeHealth {
  #state: NodeHealthSnapshot = { healthy: null, busyUntil: null, lastCheckAt: null, roundTripMs: null, lastError: null, version: null, failures: 0 };

  get snapshot(): NodeHealthSnapshot {
    return { ...this.#state };
  }

  /** Whether new work may go to the node at `now`. */
  isUsable(now: number): boolean {
    return this.#state.healthy !== false && (this.#state.busyUntil === null || now >= this.#state.busyUntil);
  }

  /** Records an answer; returns whether the node was down or unknown before (it joins). */
  recordSuccess(now: number, details: { roundTripMs?: number; version?: string } = {}): boolean {
    const rejoined = this.#state.healthy !== true;
    this.#state = {
      ...this.#state,
      healthy: true,
      lastCheckAt: details.roundTripMs === undefined ? this.#state.lastCheckAt : now,
      roundTripMs: details.roundTripMs ?? this.#state.roundTripMs,
      version: details.version ?? this.#state.version,
      lastError: null,
      failures: 0,
    };
    return rejoined;
  }

  /** Records a connection failure or timeout; returns whether the node was usable before (it leaves). */
  recordFailure(now: number, error: string, fromCheck: boolean): boolean {
    const left = this.#state.healthy !== false;
    this.#state = { ...this.#state, healthy: false, lastError: error, failures: this.#state.failures + 1, ...(fromCheck ? { lastCheckAt: now } : {}) };
    return left;
  }

  /** Ollama's "server busy": no new work for `cooldownMs`, the node stays healthy. */
  recordBusy(now: number, cooldownMs: number): void {
    this.#state = { ...this.#state, busyUntil: now + cooldownMs };
  }

  /** When to check next: the interval while up; while down, soon at first, then doubling up to a cap. */
  nextCheckDelayMs(intervalMs: number): number {
    if (this.#state.healthy !== false) return intervalMs;
    return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.max(0, this.#state.failures - 1));
  }
}
