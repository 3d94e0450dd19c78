/** An opaque timer handle, as returned by {@link Clock.setTimeout}. */
export type Timer = object;

/**
 * Time and timers, injected so tests can drive deadlines and Retry-After estimates with a fake clock.
 */
export interface Clock {
  /** Milliseconds, monotonic enough for durations. */
  now(): number;
  setTimeout(callback: () => void, ms: number): Timer;
  clearTimeout(timer: Timer): void;
}

/** The real clock: `performance.now()` and Node's timers (unref'd: a queue deadline never keeps the process alive). */
export function createSystemClock(): Clock {
  return {
    now: () => performance.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
    clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
  };
}
