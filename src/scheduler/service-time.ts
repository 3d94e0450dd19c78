/** Assumed service time before any lease of a model has been released. */
export const PRIOR_SERVICE_MS = 5_000;
const SMOOTHING = 0.2;
const WINDOW_SIZE = 128;

/**
 * Observed service times of one model: an exponentially weighted average (what Retry-After uses) and
 * a window of recent durations (for the p95 in status).
 */
export class ServiceTimeTracker {
  #average = PRIOR_SERVICE_MS;
  #observed = 0;
  #window: number[] = [];
  #next = 0;

  /** Records one lease's duration in milliseconds. */
  record(durationMs: number): void {
    this.#average = this.#observed === 0 ? durationMs : this.#average + SMOOTHING * (durationMs - this.#average);
    this.#observed += 1;
    if (this.#window.length < WINDOW_SIZE) this.#window.push(durationMs);
    else this.#window[this.#next] = durationMs;
    this.#next = (this.#next + 1) % WINDOW_SIZE;
  }

  /** The smoothed average, or the prior when nothing has been observed. */
  get averageMs(): number {
    return this.#average;
  }

  /** The 95th percentile of recent durations, or null when nothing has been observed. */
  get p95Ms(): number | null {
    if (this.#window.length === 0) return null;
    const sorted = [...this.#window].sort((left, right) => left - right);
    return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? null;
  }
}

/**
 * Seconds until a request arriving behind `waitingAhead` others is likely to start: each of the
 * `maxConcurrent` slots serves one request per `averageServiceMs`. At least 1, at most `capSeconds`.
 */
export function estimateRetryAfterSeconds(waitingAhead: number, maxConcurrent: number, averageServiceMs: number, capSeconds: number): number {
  const rounds = (waitingAhead + 1) / Math.max(1, maxConcurrent);
  const seconds = Math.ceil((rounds * averageServiceMs) / 1000);
  return Math.min(capSeconds, Math.max(1, seconds));
}
