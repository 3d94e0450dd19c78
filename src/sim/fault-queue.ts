import type { SimFault } from './sim-types.ts';

/** Routes a fault without `route` applies to. */
export const generationRoutes: ReadonlySet<string> = new Set([
  '/api/chat', '/api/generate', '/api/embed', '/api/embeddings',
  // the OpenAI-compatible mode's
  '/v1/chat/completions', '/v1/completions', '/v1/embeddings',
]);

/** Faults waiting for requests. */
export interface FaultQueue {
  inject(fault: SimFault): void;
  clear(): void;
  /** Consumes one use of the first fault that matches `route`. */
  take(route: string): SimFault | undefined;
}

/** Creates an empty fault queue. */
export function createFaultQueue(): FaultQueue {
  let pending: Array<{ fault: SimFault; remaining: number }> = [];
  return {
    inject(fault) {
      pending.push({ fault, remaining: fault.times ?? 1 });
    },
    clear() {
      pending = [];
    },
    take(route) {
      const entry = pending.find(({ fault }) => (fault.route === undefined ? generationRoutes.has(route) : fault.route === route));
      if (entry === undefined) return undefined;
      entry.remaining--;
      if (entry.remaining <= 0) pending = pending.filter((candidate) => candidate !== entry);
      return entry.fault;
    },
  };
}
