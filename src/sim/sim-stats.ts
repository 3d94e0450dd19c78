import type { IncomingHttpHeaders } from 'node:http';
import type { ReceivedRequest, SimStats } from './sim-types.ts';

/** How many recent requests `received` keeps. */
const RECEIVED_KEPT = 256;

/** The simulator's own view of its stats: the public `SimStats` plus the calls that feed it. */
export interface StatsRecorder extends SimStats {
  countRequest(path: string): void;
  /** Keeps the request's method, path and headers in `received`. */
  recordRequest(method: string, path: string, headers: IncomingHttpHeaders): void;
  rememberBody(path: string, body: unknown): void;
  /** Marks a generation request open; the returned function closes it (idempotent). */
  openRequest(): () => void;
  /** Marks a request in flight for `model`; the returned function ends it (idempotent). */
  enterModel(model: string): () => void;
  observeRunning: (model: string, running: number) => void;
  countAborted(): void;
}

/** Creates empty stats. */
export function createStats(): StatsRecorder {
  let openRequests = 0;
  let aborted = 0;
  const inFlightPerModel = new Map<string, number>();
  let idleWaiters: Array<() => void> = [];
  let received: ReceivedRequest[] = [];
  let receivedCount = 0;

  const stats: StatsRecorder = {
    get openRequests() {
      return openRequests;
    },
    get aborted() {
      return aborted;
    },
    get received() {
      return received;
    },
    get receivedCount() {
      return receivedCount;
    },
    maxConcurrency: {},
    maxRunning: {},
    requests: {},
    lastBody: {},
    whenIdle() {
      if (openRequests === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    reset() {
      aborted = 0;
      stats.maxConcurrency = {};
      stats.maxRunning = {};
      stats.requests = {};
      stats.lastBody = {};
      received = [];
      receivedCount = 0;
    },
    recordRequest(method, path, headers) {
      receivedCount++;
      received.push({ sequence: receivedCount, method, path, headers: { ...headers } });
      if (received.length > RECEIVED_KEPT) received = received.slice(-RECEIVED_KEPT);
    },
    countRequest(path) {
      stats.requests[path] = (stats.requests[path] ?? 0) + 1;
    },
    rememberBody(path, body) {
      stats.lastBody[path] = body;
    },
    openRequest() {
      openRequests++;
      let closed = false;
      return () => {
        if (closed) return;
        closed = true;
        openRequests--;
        if (openRequests > 0) return;
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      };
    },
    enterModel(model) {
      const count = (inFlightPerModel.get(model) ?? 0) + 1;
      inFlightPerModel.set(model, count);
      stats.maxConcurrency[model] = Math.max(stats.maxConcurrency[model] ?? 0, count);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        inFlightPerModel.set(model, (inFlightPerModel.get(model) ?? 1) - 1);
      };
    },
    observeRunning(model, running) {
      stats.maxRunning[model] = Math.max(stats.maxRunning[model] ?? 0, running);
    },
    countAborted() {
      aborted++;
    },
  };
  return stats;
}
