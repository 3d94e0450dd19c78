import { percentileOfSorted, sortAscending } from './percentile.ts';
import type { BenchApi } from './parse-bench-args.ts';
import type { LoadRun } from './run-load.ts';
import type { RequestResult } from './send-bench-request.ts';

/** What was measured against, and how. */
export interface BenchDescription {
  url: string;
  api: BenchApi;
  model: string;
  stream: boolean;
  concurrency: number;
  ratePerSecond: number | null;
  warmup: number;
}

/** Errors answered with a given status, and how many of them said when to retry. */
export interface RetryableErrors {
  count: number;
  withRetryAfter: number;
}

/** The end-of-run summary; `--json` prints exactly this object. Times in milliseconds unless named. */
export interface BenchSummary {
  target: { url: string; api: BenchApi; model: string; stream: boolean };
  load: { mode: 'closed-loop' | 'open-loop'; concurrency: number; ratePerSecond: number | null; warmup: number };
  /** The run was interrupted: the figures cover only what finished before. */
  partial: boolean;
  /** `rejected`: turned away with 429 or 503 (the server protecting itself); `failed`: every other failure. */
  requests: { completed: number; succeeded: number; rejected: number; failed: number; abortedInFlight: number };
  durationSeconds: number;
  /** Completed requests (successful or not) per second. */
  requestsPerSecond: number;
  /** Over successful requests only. */
  latencyMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  /** Over successful streamed requests that produced content; null figures when not streaming. */
  timeToFirstTokenMs: { p50: number | null; p99: number | null };
  outputTokens: {
    total: number;
    /** Aggregate output tokens per second of the whole run. */
    perSecond: number;
    /** Successful requests whose count came from counting content deltas, or is 0 (non-streamed, no usage). */
    requestsWithoutUsage: number;
  };
  errors: {
    /** Every non-2xx status, keyed by status code (429 and 503 included). */
    byStatus: Record<string, number>;
    rateLimited: RetryableErrors;
    overloaded: RetryableErrors;
    /** 2xx answers that carried an error object or a malformed stream payload. */
    responseErrors: number;
    timeouts: number;
    /** Network failures keyed by code (`ECONNREFUSED`, `UND_ERR_SOCKET`, …). */
    network: Record<string, number>;
  };
}

/** Reduces a load run to its summary. Pure. */
export function summariseResults(description: BenchDescription, run: LoadRun): BenchSummary {
  const succeeded = run.results.filter((result) => result.outcome === 'ok');
  const rejected = run.results.filter(isRejection).length;
  const durationSeconds = run.elapsedMs / 1000;
  const latencies = sortAscending(succeeded.map((result) => result.latencyMs));
  const firstTokens = sortAscending(
    succeeded.flatMap((result) => (result.timeToFirstTokenMs === null ? [] : [result.timeToFirstTokenMs])),
  );
  const totalTokens = succeeded.reduce((sum, result) => sum + result.outputTokens, 0);
  return {
    target: { url: description.url, api: description.api, model: description.model, stream: description.stream },
    load: {
      mode: description.ratePerSecond === null ? 'closed-loop' : 'open-loop',
      concurrency: description.concurrency,
      ratePerSecond: description.ratePerSecond,
      warmup: description.warmup,
    },
    partial: run.interrupted,
    requests: {
      completed: run.results.length,
      succeeded: succeeded.length,
      rejected,
      failed: run.results.length - succeeded.length - rejected,
      abortedInFlight: run.abortedInFlight,
    },
    durationSeconds,
    requestsPerSecond: perSecond(run.results.length, durationSeconds),
    latencyMs: {
      p50: percentileOfSorted(latencies, 50),
      p90: percentileOfSorted(latencies, 90),
      p99: percentileOfSorted(latencies, 99),
      max: latencies.at(-1) ?? null,
    },
    timeToFirstTokenMs: { p50: percentileOfSorted(firstTokens, 50), p99: percentileOfSorted(firstTokens, 99) },
    outputTokens: {
      total: totalTokens,
      perSecond: perSecond(totalTokens, durationSeconds),
      requestsWithoutUsage: succeeded.filter((result) => !result.tokensFromUsage).length,
    },
    errors: summariseErrors(run.results),
  };
}

function summariseErrors(results: readonly RequestResult[]): BenchSummary['errors'] {
  const errors: BenchSummary['errors'] = {
    byStatus: {},
    rateLimited: { count: 0, withRetryAfter: 0 },
    overloaded: { count: 0, withRetryAfter: 0 },
    responseErrors: 0,
    timeouts: 0,
    network: {},
  };
  for (const result of results) {
    if (result.outcome === 'http-error' && result.status !== null) {
      increment(errors.byStatus, String(result.status));
      const retryable = result.status === 429 ? errors.rateLimited : result.status === 503 ? errors.overloaded : null;
      if (retryable !== null) {
        retryable.count += 1;
        if (result.retryAfter) retryable.withRetryAfter += 1;
      }
    } else if (result.outcome === 'response-error') {
      errors.responseErrors += 1;
    } else if (result.outcome === 'timeout') {
      errors.timeouts += 1;
    } else if (result.outcome === 'network-error') {
      increment(errors.network, result.errorDetail ?? 'UNKNOWN');
    }
  }
  return errors;
}

/** A 429 or 503: load shedding by the server, which an overload test expects, not a fault. */
export function isRejection(result: RequestResult): boolean {
  return result.outcome === 'http-error' && (result.status === 429 || result.status === 503);
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function perSecond(count: number, seconds: number): number {
  return seconds > 0 ? count / seconds : 0;
}
