import type { Dispatcher } from 'undici';
import type { BenchApi } from './parse-bench-args.ts';
import type { BenchRequest } from './build-bench-request.ts';
import { inspectOllamaChunk, inspectOpenAiChunk, type ChunkFacts } from './inspect-response-chunk.ts';
import { parseRetryAfter } from './parse-retry-after.ts';
import { readSseData } from './read-sse-data.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { splitNdjsonLines } from '../../ollama/read-ndjson-lines.ts';

/** How one request ended. */
export type RequestOutcome = 'ok' | 'http-error' | 'response-error' | 'network-error' | 'timeout' | 'aborted';

/** The measurements of one request. Times are milliseconds from the request's start. */
export interface RequestResult {
  outcome: RequestOutcome;
  status: number | null;
  /** The answer was a 429 or 503 that carried a Retry-After header. */
  retryAfter: boolean;
  /** How long that header asked the client to wait, when it could be read. */
  retryAfterMs?: number;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  outputTokens: number;
  /** The token count came from the server's usage report rather than from counting content deltas. */
  tokensFromUsage: boolean;
  /** Network failure code (`ECONNREFUSED`, `UND_ERR_SOCKET`, …) or the error message of a failed answer. */
  errorDetail: string | null;
}

/** Everything a request needs that stays the same for a whole run. */
export interface RequestTarget {
  dispatcher: Dispatcher;
  origin: string;
  headers: Record<string, string>;
  api: BenchApi;
  stream: boolean;
  timeoutMs: number;
  now: () => number;
}

interface BodyMeasurement {
  timeToFirstTokenMs: number | null;
  outputTokens: number;
  tokensFromUsage: boolean;
  error: string | null;
}

/**
 * Sends one request and measures it. `startedAt` (from `target.now`) is when the request was due,
 * which for open-loop load may be earlier than now: time spent waiting counts. Never rejects; an
 * abort of `runSignal` yields the `aborted` outcome.
 */
export async function sendBenchRequest(
  target: RequestTarget,
  request: BenchRequest,
  startedAt: number,
  runSignal: AbortSignal,
): Promise<RequestResult> {
  const timeoutSignal = AbortSignal.timeout(target.timeoutMs);
  const signal = AbortSignal.any([runSignal, timeoutSignal]);
  try {
    const response = await target.dispatcher.request({
      origin: target.origin,
      path: request.path,
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: '*/*', ...target.headers },
      body: request.body,
      signal,
    });
    const status = response.statusCode;
    if (status < 200 || status >= 300) {
      await response.body.dump();
      const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers['retry-after'], Date.now()) : undefined;
      const retryAfter = (status === 429 || status === 503) && response.headers['retry-after'] !== undefined;
      return finish('http-error', status, target, startedAt, { retryAfter, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    }
    const measured = await measureBody(target, response.body, startedAt);
    return finish(measured.error === null ? 'ok' : 'response-error', status, target, startedAt, {
      timeToFirstTokenMs: measured.timeToFirstTokenMs,
      outputTokens: measured.outputTokens,
      tokensFromUsage: measured.tokensFromUsage,
      errorDetail: measured.error,
    });
  } catch (error) {
    if (runSignal.aborted) return finish('aborted', null, target, startedAt, {});
    if (timeoutSignal.aborted) return finish('timeout', null, target, startedAt, {});
    return finish('network-error', null, target, startedAt, { errorDetail: describeNetworkError(error) });
  }
}

function finish(
  outcome: RequestOutcome,
  status: number | null,
  target: RequestTarget,
  startedAt: number,
  details: Partial<RequestResult>,
): RequestResult {
  return {
    outcome,
    status,
    retryAfter: false,
    latencyMs: target.now() - startedAt,
    timeToFirstTokenMs: null,
    outputTokens: 0,
    tokensFromUsage: false,
    errorDetail: null,
    ...details,
  };
}

async function measureBody(
  target: RequestTarget,
  body: Dispatcher.ResponseData['body'],
  startedAt: number,
): Promise<BodyMeasurement> {
  const inspect = target.api.startsWith('ollama') ? inspectOllamaChunk : inspectOpenAiChunk;
  if (!target.stream) {
    const facts = parsePayload(await body.text(), inspect);
    return {
      timeToFirstTokenMs: null,
      outputTokens: facts.completionTokens ?? 0,
      tokensFromUsage: facts.completionTokens !== null,
      error: facts.error,
    };
  }
  const payloads = target.api.startsWith('ollama') ? splitNdjsonLines(body) : readSseData(body);
  let timeToFirstTokenMs: number | null = null;
  let contentDeltas = 0;
  let reportedTokens: number | null = null;
  const endWithError = (error: string): BodyMeasurement => ({
    timeToFirstTokenMs,
    outputTokens: contentDeltas,
    tokensFromUsage: false,
    error,
  });
  try {
    for await (const payload of payloads) {
      const facts = parsePayload(payload, inspect);
      if (facts.error !== null) return endWithError(facts.error);
      if (facts.hasContent) {
        timeToFirstTokenMs ??= target.now() - startedAt;
        contentDeltas += 1;
      }
      reportedTokens = facts.completionTokens ?? reportedTokens;
    }
  } catch (error) {
    // The line reader refuses an oversized line with a GatewayError: a bad answer, not a network failure.
    if (error instanceof GatewayError) return endWithError(error.message);
    throw error;
  }
  return {
    timeToFirstTokenMs,
    outputTokens: reportedTokens ?? contentDeltas,
    tokensFromUsage: reportedTokens !== null,
    error: null,
  };
}

function parsePayload(payload: string, inspect: (value: unknown) => ChunkFacts): ChunkFacts {
  try {
    return inspect(JSON.parse(payload));
  } catch {
    return { hasContent: false, completionTokens: null, error: `malformed JSON: ${payload.slice(0, 80)}` };
  }
}

/** Names a network failure by its code (undici's or the socket's), never by its message text. */
function describeNetworkError(error: unknown): string {
  const record = error as { code?: unknown; cause?: { code?: unknown }; name?: unknown } | null;
  const code = record?.code ?? record?.cause?.code ?? record?.name;
  return typeof code === 'string' ? code : 'UNKNOWN';
}
