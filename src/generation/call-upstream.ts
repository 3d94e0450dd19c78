import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { isRetryableFailure } from '../errors/classify-upstream-failure.ts';
import type { GenerationTimeouts } from '../models/model-policies.ts';
import { readBounded } from '../ollama/ollama-client.ts';
import { RETRYABLE_STATUSES, waitBeforeRetry, type RetryPolicy } from '../ollama/retry-policy.ts';
import { UpstreamStatusFailure } from './classify-generation-failure.ts';
import type { Upstream, UpstreamChooser } from './upstream.ts';

export interface UpstreamCall {
  model: string;
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
 * Sends a generation upstream, choosing the node per attempt. Retries (backoff with jitter, never past
 * the signal) only before an answer: on failures that mean nothing ran, and on 502/503/504 answers
 * unless they are to be relayed. Failures are thrown raw; the pipeline classifies them.
 */
export async function callUpstream(chooser: UpstreamChooser, call: UpstreamCall): Promise<UpstreamReply> {
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
    const upstream = chooser.choose(call.model, attempt);
    const last = !retryable || attempt >= maxAttempts;
    let failed: unknown;
    try {
      const response = await upstream.send(exchange);
      if (response.statusCode < 300 || (call.relayAnyStatus && (last || !RETRYABLE_STATUSES.has(response.statusCode)))) return { upstream, response };
      failed = new UpstreamStatusFailure(response.statusCode, await readBounded(response.body));
      if (last || !RETRYABLE_STATUSES.has(response.statusCode) || call.signal.aborted) throw failed;
    } catch (failure) {
      if (failure instanceof UpstreamStatusFailure || last || call.signal.aborted || !isRetryableFailure(failure)) throw failure;
      failed = failure;
    }
    call.onRetry(upstream, failed);
    await waitBeforeRetry(call.retry, attempt, call.signal, call.random);
  }
}
