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
  /** Start no request before a 429/503's `Retry-After` has passed (default true). */
  honourRetryAfter?: boolean;
  /** Waits `ms` or until `signal` aborts (tests pass one that moves a fake clock). */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const waitOrAbort = (ms: number, signal: AbortSignal): Promise<void> => sleep(ms, undefined, { signal }).catch(() => undefined);

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
  const backoff = createRetryAfterGate(plan, dependencies, startedAt);
  const record = (result: RequestResult): void => {
    if (result.outcome === 'aborted') {
      run.abortedInFlight += 1;
      return;
    }
    run.results.push(result);
    backoff.observe(result);
    dependencies.onResult?.(result);
  };
  if (plan.ratePerSecond === null) {
    await runClosedLoop(plan, send, record, dependencies, startedAt, backoff);
  } else {
    await runOpenLoop(plan, plan.ratePerSecond, send, record, dependencies, startedAt, backoff);
  }
  run.elapsedMs = now() - startedAt;
  run.interrupted = signal.aborted;
  return run;
}

/** Holds back new requests until a server's `Retry-After` has passed, as a polite client would. */
interface RetryAfterGate {
  observe(result: RequestResult): void;
  /** Resolves once requests may start again (at once when none is held back): true when it waited. */
  passed(): Promise<boolean>;
  /** Until when requests were last held back (0 when never). */
  heldUntil(): number;
}

function createRetryAfterGate(plan: LoadPlan, dependencies: LoadDependencies, startedAt: number): RetryAfterGate {
  const { now, signal } = dependencies;
  const wait = dependencies.wait ?? waitOrAbort;
  let notBefore = 0;
  // Never wait past the end of a timed run: that would only delay the summary.
  const endsAt = plan.durationMs === null ? Infinity : startedAt + plan.durationMs;
  return {
    observe(result) {
      if (dependencies.honourRetryAfter === false || result.retryAfterMs === undefined) return;
      notBefore = Math.max(notBefore, Math.min(now() + result.retryAfterMs, endsAt));
    },
    async passed() {
      let waited = false;
      while (!signal.aborted && now() < notBefore) {
        waited = true;
        await wait(notBefore - now(), signal);
      }
      return waited;
    },
    heldUntil: () => notBefore,
  };
}

async function runClosedLoop(
  plan: LoadPlan,
  send: SendRequest,
  record: (result: RequestResult) => void,
  { now, signal }: LoadDependencies,
  startedAt: number,
  backoff: RetryAfterGate,
): Promise<void> {
  let nextIndex = 0;
  const mayStart = (): boolean =>
    !signal.aborted &&
    (plan.requests === null || nextIndex < plan.requests) &&
    (plan.durationMs === null || now() - startedAt < plan.durationMs);
  const work = async (): Promise<void> => {
    while (mayStart()) {
      await backoff.passed();
      if (!mayStart()) break;
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
  { now, signal, wait: waitFor = waitOrAbort }: LoadDependencies,
  startedAt: number,
  backoff: RetryAfterGate,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const intervalMs = 1000 / ratePerSecond;
  for (let index = 0; plan.requests === null || index < plan.requests; index += 1) {
    const dueOffset = index * intervalMs;
    if (plan.durationMs !== null && dueOffset >= plan.durationMs) break;
    const wait = startedAt + dueOffset - now();
    if (wait > 0) await waitFor(wait, signal);
    const waited = await backoff.passed();
    if (signal.aborted || (waited && plan.durationMs !== null && now() - startedAt >= plan.durationMs)) break;
    // A request held back by Retry-After is measured from when it was let go, not from when it was due.
    const start = Math.max(startedAt + dueOffset, Math.min(backoff.heldUntil(), now()));
    const pending = send(index, start).then(record);
    inFlight.add(pending);
    void pending.finally(() => inFlight.delete(pending));
  }
  await Promise.all(inFlight);
}
