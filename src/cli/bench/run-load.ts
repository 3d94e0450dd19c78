import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestResult } from './send-bench-request.ts';

/** How much load to apply and when to stop. */
export interface LoadPlan {
  concurrency: number;
  /** Stop after this many requests (null: the duration alone bounds the run). */
  requests: number | null;
  /** Start no request after this long (null: the count alone bounds the run). */
  durationMs: number | null;
  /** Open loop at this many starts per second; null for closed loop. */
  ratePerSecond: number | null;
}

/** Sends request number `index`, measuring from `startedAt`; never rejects. */
export type SendRequest = (index: number, startedAt: number) => Promise<RequestResult>;

export interface LoadDependencies {
  now: () => number;
  signal: AbortSignal;
  onResult?: (result: RequestResult) => void;
}

/** What a load run measured. Requests cut off by an abort are counted, not measured. */
export interface LoadRun {
  results: RequestResult[];
  elapsedMs: number;
  abortedInFlight: number;
  interrupted: boolean;
}

/**
 * Applies the planned load. Closed loop: `concurrency` workers each send the next request as soon
 * as their previous one ends. Open loop: request `i` is due at `i / rate` seconds whatever is still
 * in flight, and is measured from that moment, so a server (or connection pool) that falls behind
 * shows up as latency instead of silently lowering the offered load. Both stop by themselves.
 */
export async function runLoad(plan: LoadPlan, send: SendRequest, dependencies: LoadDependencies): Promise<LoadRun> {
  const { now, signal } = dependencies;
  const startedAt = now();
  const run: LoadRun = { results: [], elapsedMs: 0, abortedInFlight: 0, interrupted: false };
  const record = (result: RequestResult): void => {
    if (result.outcome === 'aborted') {
      run.abortedInFlight += 1;
      return;
    }
    run.results.push(result);
    dependencies.onResult?.(result);
  };
  if (plan.ratePerSecond === null) {
    await runClosedLoop(plan, send, record, dependencies, startedAt);
  } else {
    await runOpenLoop(plan, plan.ratePerSecond, send, record, dependencies, startedAt);
  }
  run.elapsedMs = now() - startedAt;
  run.interrupted = signal.aborted;
  return run;
}

async function runClosedLoop(
  plan: LoadPlan,
  send: SendRequest,
  record: (result: RequestResult) => void,
  { now, signal }: LoadDependencies,
  startedAt: number,
): Promise<void> {
  let nextIndex = 0;
  const mayStart = (): boolean =>
    !signal.aborted &&
    (plan.requests === null || nextIndex < plan.requests) &&
    (plan.durationMs === null || now() - startedAt < plan.durationMs);
  const work = async (): Promise<void> => {
    while (mayStart()) {
      const index = nextIndex;
      nextIndex += 1;
      record(await send(index, now()));
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, work));
}

async function runOpenLoop(
  plan: LoadPlan,
  ratePerSecond: number,
  send: SendRequest,
  record: (result: RequestResult) => void,
  { now, signal }: LoadDependencies,
  startedAt: number,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const intervalMs = 1000 / ratePerSecond;
  for (let index = 0; plan.requests === null || index < plan.requests; index += 1) {
    const dueOffset = index * intervalMs;
    if (plan.durationMs !== null && dueOffset >= plan.durationMs) break;
    const wait = startedAt + dueOffset - now();
    if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) break;
    const pending = send(index, startedAt + dueOffset).then(record);
    inFlight.add(pending);
    void pending.finally(() => inFlight.delete(pending));
  }
  await Promise.all(inFlight);
}
