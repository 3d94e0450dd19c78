import type { Response } from 'express';
import { GatewayError, upstreamTimeout } from '../errors/gateway-error.ts';
import type { ResolvedModel } from '../models/model-catalog.ts';
import type { UpstreamResponse } from '../ollama/ollama-client.ts';
import { HIGHEST_PRIORITY } from '../scheduler/wait-queue.ts';
import type { QueueTicket } from '../scheduler/scheduler.ts';
import { sendWithFailover } from '../upstreams/send-with-failover.ts';
import { resolveTimeouts } from './resolve-timeouts.ts';
import type { GatewayServices } from './gateway-services.ts';
import { contextOf } from './request-context.ts';

export interface ModelCallOptions {
  priority: number;
  /** Whether the client asked for a stream (sets the upstream timeouts that apply). */
  stream: boolean;
  onQueued?: (ticket: QueueTicket) => void;
}

/** One generation holding a slot of its model, with Ollama's answer ready to read. */
export interface ModelCall {
  response: UpstreamResponse;
  /** Aborts on client disconnect and on the request's total deadline; reading the body honours it. */
  signal: AbortSignal;
  /** Gives the slot back; idempotent. Call when the body has been read or abandoned. */
  release(): void;
  /** Counts a failure while reading the answer in `upstream_errors_total` (not a client leaving). */
  recordFailure(error: unknown): void;
  /**
   * For an answer that arrives whole: its time to first token is not observable, so it is taken as
   * the time until Ollama was asked plus Ollama's own load and prompt-evaluation durations.
   */
  recordAnswerTimings(answer: { load_duration?: number | undefined; prompt_eval_duration?: number | undefined }): void;
}

/**
 * Waits for a slot of the model (queue, priority, reservoir), then sends the request to Ollama with
 * the model's deadlines and retries. The slot is given back if anything fails before the answer.
 */
export async function startModelCall(
  services: GatewayServices,
  res: Response,
  model: ResolvedModel,
  path: string,
  body: unknown,
  options: ModelCallOptions,
): Promise<ModelCall> {
  const context = contextOf(res);
  context.model = model.canonical;
  const acquireOptions = {
    priority: options.priority,
    signal: context.abort.signal,
    bodyBytes: Number(res.req.headers['content-length'] ?? 0),
    ...(options.onQueued === undefined ? {} : { onQueued: options.onQueued }),
  };
  let lease = await services.scheduler.acquire(model.canonical, acquireOptions);
  context.upstream = lease.node;
  context.queueWaitMs = (context.queueWaitMs ?? 0) + lease.queueWaitMs;
  services.metrics.queueWait.observe({ model: model.canonical }, lease.queueWaitMs / 1000);
  const timeouts = resolveTimeouts(services.getConfig(), model.canonical);
  // One timer aborting the request's own controller, cleared on release: cheaper than a composite
  // signal per call, and no ten-minute timer outlives the request.
  const deadline = setTimeout(() => context.abort.abort(upstreamTimeout(`The request took longer than ${timeouts.requestTimeoutMs} ms.`)), timeouts.requestTimeoutMs);
  const signal = context.abort.signal;
  const release = (): void => {
    clearTimeout(deadline);
    lease.release();
  };
  const sentAt = services.now();
  const countRetry = (upstream: string, error: GatewayError): void => {
    context.retries = (context.retries ?? 0) + 1;
    services.metrics.upstreamErrors.inc({ upstream, reason: error.code ?? String(error.status) });
  };
  try {
    const sent = await sendWithFailover(lease, {
      pool: services.pool,
      model: model.canonical,
      signal,
      attempts: services.getConfig().retries.attempts,
      reacquire: (avoid) => services.scheduler.acquire(model.canonical, { priority: HIGHEST_PRIORITY, signal, avoidNodes: avoid }),
      // With one node the client retries in place; with several, each retry goes to another node.
      send: (node, alone) =>
        node.client.post(path, body, {
          signal,
          retry: alone,
          // A non-streamed answer arrives whole at the end, so only the total deadline applies to it.
          firstByteTimeoutMs: options.stream ? timeouts.firstByteTimeoutMs : timeouts.requestTimeoutMs,
          idleTimeoutMs: options.stream ? timeouts.idleTimeoutMs : timeouts.requestTimeoutMs,
          onRetry: (_attempt, error) => countRetry(node.name, error),
        }),
      onFailover: (from, error) => {
        if (error instanceof GatewayError) countRetry(from, error);
        services.metrics.upstreamFailovers.inc({ upstream: from });
      },
    }).catch((error: unknown) => {
      // sendWithFailover gave the slot back already
      clearTimeout(deadline);
      throw error;
    });
    lease = sent.lease;
    context.upstream = lease.node;
    const response = sent.result;
    services.metrics.upstreamRequests.inc({ upstream: lease.node, outcome: 'ok' });
    return {
      response,
      signal,
      release,
      recordFailure: (failure) => countUpstreamFailure(services, context.abort.signal, failure, lease.node),
      recordAnswerTimings: (answer) => {
        const estimate = sentAt - context.startedAt + ((answer.load_duration ?? 0) + (answer.prompt_eval_duration ?? 0)) / 1e6;
        context.firstTokenMs = Math.min(context.firstTokenMs ?? Infinity, estimate);
      },
    };
  } catch (error) {
    countUpstreamFailure(services, context.abort.signal, error, context.upstream ?? lease.node);
    throw error;
  }
}

/** Failures of Ollama (5xx, broken or timed-out connections) by code; a client that left is not one. */
function countUpstreamFailure(services: GatewayServices, clientSignal: AbortSignal, error: unknown, upstream: string): void {
  if (clientSignal.aborted && !(clientSignal.reason instanceof GatewayError)) return;
  if (error instanceof GatewayError && error.status < 500) return;
  const reason = error instanceof GatewayError ? (error.code ?? String(error.status)) : 'unknown';
  services.metrics.upstreamErrors.inc({ upstream, reason });
  services.metrics.upstreamRequests.inc({ upstream, outcome: reason });
}
