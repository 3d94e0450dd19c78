import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { isRetryableFailure } from '../errors/classify-upstream-failure.ts';
import type { GenerationTimeouts } from '../models/model-policies.ts';
import { readBounded } from '../ollama/ollama-client.ts';
import { RETRYABLE_STATUSES, waitBeforeRetry, type RetryPolicy } from '../ollama/retry-policy.ts';
import { UpstreamStatusFailure } from './classify-generation-failure.ts';
import type { Upstream, UpstreamRoute } from './upstream.ts';

export interface UpstreamCall {
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | Readable;
  signal: AbortSignal;
  timeouts: GenerationTimeouts;
  /** A streamed answer gets the first-byte and idle deadlines; a whole one only the total deadline. */
  stream: boolean;
  /** Hand back any status as the answer (the native passthrough relays Ollama's errors verbatim). */
  relayAnyStatus: boolean;
  retry: RetryPolicy;
  random: () => number;
  /** Told about each failed attempt that is retried. */
  onRetry: (upstream: Upstream, failure: unknown) => void;
}

export interface UpstreamReply {
  upstream: Upstream;
  response: Dispatcher.ResponseData;
}

/**
 * Sends a generation upstream, node by node along its route. Retries only before an answer: on
 * failures that mean nothing ran, and on 502/503/504 answers unless they are to be relayed. A retry
 * goes to another node when the route can move (at once), else to the same one after a backoff with
 * jitter, never past the signal. Failures are thrown raw; the pipeline classifies them.
 */
export async function callUpstream(route: UpstreamRoute, call: UpstreamCall): Promise<UpstreamReply> {
  const maxAttempts = call.retry.attempts + 1;
  // A body stream can be sent once; a buffered body may be sent again.
  const retryable = typeof call.body === 'string' || Buffer.isBuffer(call.body);
  const exchange = {
    method: 'POST',
    path: call.path,
    headers: call.headers,
    body: call.body,
    signal: call.signal,
    headersTimeout: call.stream ? call.timeouts.firstByteTimeoutMs : call.timeouts.requestTimeoutMs,
    bodyTimeout: call.stream ? call.timeouts.idleTimeoutMs : call.timeouts.requestTimeoutMs,
  };
  for (let attempt = 1; ; attempt++) {
    const upstream = route.upstream;
    const last = !retryable || attempt >= maxAttempts;
    let failed: unknown;
    try {
      const response = await upstream.send(exchange);
      if (response.statusCode < 300 || (call.relayAnyStatus && (last || !RETRYABLE_STATUSES.has(response.statusCode)))) {
        route.noteAnswered();
        return { upstream, response };
      }
      failed = new UpstreamStatusFailure(response.statusCode, await readBounded(response.body));
      route.noteFailure(failed);
      if (last || !RETRYABLE_STATUSES.has(response.statusCode) || call.signal.aborted) throw failed;
    } catch (failure) {
      if (failure !== failed) route.noteFailure(failure);
      if (failure instanceof UpstreamStatusFailure || last || call.signal.aborted || !isRetryableFailure(failure)) throw failure;
      failed = failure;
    }
    call.onRetry(upstream, failed);
    if (!(await route.moveOn())) await waitBeforeRetry(call.retry, attempt, call.signal, call.random);
  }
}
