import type { SimGate } from './sim-types.ts';

/** The gate plus the call a request makes to pass it. */
export interface RequestGate extends SimGate {
  /** Resolves at once when the gate is open; otherwise when released, or when `signal` aborts. */
  pass(signal: AbortSignal): Promise<void>;
}

/** Creates an open gate. */
export function createRequestGate(): RequestGate {
  let held = false;
  const parked = new Set<() => void>();
  let countWaiters: Array<{ count: number; resolve: () => void }> = [];

  function notifyCountWaiters(): void {
    const ready = countWaiters.filter((waiter) => parked.size >= waiter.count);
    if (ready.length === 0) return;
    countWaiters = countWaiters.filter((waiter) => parked.size < waiter.count);
    for (const waiter of ready) waiter.resolve();
  }

  return {
    get held() {
      return held;
    },
    get waiting() {
      return parked.size;
    },
    hold() {
      held = true;
    },
    release() {
      held = false;
      const waiting = [...parked];
      parked.clear();
      for (const resume of waiting) resume();
    },
    whenWaiting(count) {
      if (parked.size >= count) return Promise.resolve();
      return new Promise((resolve) => countWaiters.push({ count, resolve }));
    },
    pass(signal) {
      if (!held || signal.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        const resume = (): void => {
          parked.delete(resume);
          signal.removeEventListener('abort', resume);
          resolve();
        };
        parked.add(resume);
        signal.addEventListener('abort', resume, { once: true });
        notifyCountWaiters();
      });
    },
  };
}
