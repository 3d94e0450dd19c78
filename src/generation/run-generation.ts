import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { GatewayError, upstreamTimeout } from '../errors/gateway-error.ts';
import type { ModelPolicy } from '../models/model-policies.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import type { RetryPolicy } from '../ollama/retry-policy.ts';
import type { Lease, QueueTicket, Scheduler } from '../scheduler/scheduler.ts';
import { HIGHEST_PRIORITY } from '../scheduler/wait-queue.ts';
import { callUpstream } from './call-upstream.ts';
import { classifyGenerationFailure } from './classify-generation-failure.ts';
import type { GenerationContext } from './generation-context.ts';
import type { ModelMemoryStage } from './model-memory-stage.ts';
import { readOllamaAnswer, readOllamaLines, type OllamaLine } from './read-ollama-lines.ts';
import type { HeldSlot, UpstreamChooser } from './upstream.ts';
import type { RequestTracer } from '../observability/request-tracer.ts';
import { loadMsOf, observeLines, traceOf, traceUpstreamPhases } from './trace-generation.ts';

/** What every generation runs through; one per app instance. */
export interface GenerationPipeline {
  scheduler: Scheduler;
  memory: ModelMemoryStage;
  upstreams: UpstreamChooser;
  metrics: GatewayMetrics;
  now: () => number;
  retryPolicy: () => RetryPolicy;
  random?: () => number;
  /** Spans of each request when tracing is on; nothing is traced without it. */
  tracer?: RequestTracer;
  /** Told when a request starts waiting in the model's queue; the returned function when it leaves (for the status). */
  noteQueued?: (model: string) => () => void;
}

/** One native request to run. */
export interface GenerationRequest {
  /** Ollama's route: `/api/chat`, `/api/generate`, `/api/embed`, `/api/embeddings`. */
  path: string;
  /** The serialised body (or, unbuffered, the client's own). */
  body: string | Buffer | Readable;
  /** From `outboundHeaders`. */
  headers: Record<string, string>;
  /** Whether the answer is streamed (it gets the first-byte and idle deadlines). */
  stream: boolean;
  /** Ollama's non-2xx answers are handed to the reader as they are (native passthrough). */
  relayAnyStatus?: boolean;
}

export interface GenerationOptions {
  /** Canonical model name: keys the queue, the slots and the model memory. */
  model: string;
  policy: ModelPolicy;
  priority: number;
  context: GenerationContext;
  /** Size of the client's body, for the queued-bytes budget. */
  bodyBytes: number;
  onQueued?: ((ticket: QueueTicket) => void) | undefined;
  /** With the `affinity` strategy: the conversation's key, so it returns to the same node. */
  affinityKey?: string | undefined;
  /** Told when the upstream has answered (a stream's headers may go out now). */
  onAnswered?: (() => void) | undefined;
}

/** A generation holding its slot, the upstream's answer ready to read. */
export interface OpenGeneration {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  /** The raw body, for a verbatim relay. */
  body: Dispatcher.ResponseData['body'];
  /** The streamed answer as batches of lines, checked for error lines and completeness. */
  lines(): AsyncGenerator<OllamaLine[]>;
  /** The whole answer, checked for an `{"error"}` body. */
  answer(): Promise<OllamaLine>;
  /** Takes a whole chat or generate answer's time to first token from its load and prompt timings. */
  noteAnswerTimings(answer: OllamaLine): void;
}

/**
 * Runs one generation: acquire a slot of the model (queue, priority, reservoir) → make room in model
 * memory → call the upstream with the model's deadlines and retries → `read` the answer → release.
 * Every failure on the way (queue, deadline, client gone, Ollama's errors, cut streams, network) is
 * classified here, once, into the GatewayError `read`'s caller gets.
 */
export async function runGeneration<T>(
  pipeline: GenerationPipeline,
  request: GenerationRequest,
  options: GenerationOptions,
  read: (generation: OpenGeneration) => Promise<T>,
): Promise<T> {
  const { context, model, policy } = options;
  const signal = context.abort.signal;
  const timeouts = policy.timeouts;
  let release: (() => void) | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let upstreamName = 'unknown';
  const trace = traceOf(pipeline.tracer, context, request.path, model, request.stream);
  const tracing = pipeline.tracer?.enabled === true;
  const endQueueWait = trace.startPhase('queue_wait');
  let sentAt: number | undefined;
  let loadMs = 0;
  let leaveQueue: (() => void) | undefined;
  const noteQueued = pipeline.noteQueued;
  const onQueued =
    noteQueued === undefined
      ? options.onQueued
      : (ticket: QueueTicket): void => {
          leaveQueue = noteQueued(model);
          options.onQueued?.(ticket);
        };
  try {
    const lease = await pipeline.scheduler.acquire(model, {
      priority: options.priority,
      signal,
      bodyBytes: options.bodyBytes,
      ...(context.tenant === undefined ? {} : { tenant: context.tenant }),
      ...(onQueued === undefined ? {} : { onQueued }),
      ...(options.affinityKey === undefined ? {} : { affinityKey: options.affinityKey }),
    });
    leaveQueue?.();
    const slot = holdSlot(pipeline, model, lease, signal);
    release = () => {
      slot.lease.release();
      pipeline.memory.noteReleased(model, slot.lease.node);
    };
    upstreamName = lease.node;
    context.upstream = lease.node;
    endQueueWait();
    context.queueWaitMs = (context.queueWaitMs ?? 0) + lease.queueWaitMs;
    context.slotAcquiredAt ??= pipeline.now();
    pipeline.metrics.queueWait.observe({ model }, lease.queueWaitMs / 1000);
    await pipeline.memory.makeRoomFor(model, lease.node, signal);
    signal.throwIfAborted();
    // One timer aborting the request's own controller, cleared at the end: cheaper than a composite
    // signal per call, and no ten-minute timer outlives the request.
    deadline = setTimeout(() => context.abort.abort(upstreamTimeout(`The request took longer than ${timeouts.requestTimeoutMs} ms.`)), timeouts.requestTimeoutMs);
    const askedAt = pipeline.now();
    sentAt = askedAt;
    const route = pipeline.upstreams.route(model, slot, signal);
    upstreamName = route.upstream.name;
    const { upstream, response } = await callUpstream(route, {
      path: request.path,
      // The upstream's work joins the request's trace (W3C Trace Context).
      headers: tracing ? { ...request.headers, ...trace.propagationHeaders() } : request.headers,
      body: request.body,
      signal,
      timeouts,
      stream: request.stream,
      relayAnyStatus: request.relayAnyStatus === true,
      retry: pipeline.retryPolicy(),
      random: pipeline.random ?? Math.random,
      onRetry: (failed, failure) => {
        context.retries = (context.retries ?? 0) + 1;
        countUpstreamFailure(pipeline, failed.name, classifyGenerationFailure(failure, signal, failed.baseUrl));
        // the attempt after this one may go to another node
        upstreamName = route.upstream.name;
      },
    });
    upstreamName = upstream.name;
    context.upstream = upstream.name;
    if (tracing) trace.setUpstream(upstream.name, upstream.baseUrl);
    options.onAnswered?.();
    return await read({
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
      lines: () => {
        const lines = countLines(readOllamaLines(response.body), context);
        return tracing
          ? observeLines(lines, (line) => {
              loadMs += loadMsOf(line);
            })
          : lines;
      },
      answer: tracing
        ? async () => {
            const answer = await readOllamaAnswer(response.body);
            loadMs += loadMsOf(answer);
            return answer;
          }
        : () => readOllamaAnswer(response.body),
      noteAnswerTimings: (answer) => {
        // A whole answer's first token is not observable: the time until Ollama was asked plus its
        // own load and prompt-evaluation durations stands in for it.
        const upstreamMs = (numberOr0(answer['load_duration']) + numberOr0(answer['prompt_eval_duration'])) / 1e6;
        context.firstTokenMs = Math.min(context.firstTokenMs ?? Infinity, askedAt - context.startedAt + upstreamMs);
      },
    });
  } catch (error) {
    // Turned away or gone while waiting: no longer in the queue either.
    leaveQueue?.();
    const failure = classifyGenerationFailure(error, signal, upstreamName);
    // A failure once the slot is held is the upstream's (or a deadline's), unless the client left.
    if (release !== undefined && failure.code !== 'client_closed') countUpstreamFailure(pipeline, upstreamName, failure);
    throw failure;
  } finally {
    clearTimeout(deadline);
    release?.();
    endQueueWait();
    if (tracing && sentAt !== undefined) {
      traceUpstreamPhases(trace, { sentAt, loadMs, firstTokenAt: context.firstTokenMs === undefined ? undefined : context.startedAt + context.firstTokenMs, doneAt: pipeline.now() });
    }
  }
}

/**
 * The generation's slot, which failover moves to another node (first in the queue: it was admitted
 * already); the model memory of each node sees the model leave one and arrive on the other.
 */
function holdSlot(pipeline: GenerationPipeline, model: string, first: Lease, signal: AbortSignal): HeldSlot {
  let lease = first;
  return {
    get lease() {
      return lease;
    },
    async move(avoid) {
      lease.release();
      pipeline.memory.noteReleased(model, lease.node);
      lease = await pipeline.scheduler.acquire(model, { priority: HIGHEST_PRIORITY, signal, avoidNodes: avoid });
      await pipeline.memory.makeRoomFor(model, lease.node, signal);
    },
  };
}

/** Failures of the upstream (5xx, broken or timed-out connections) by code; 4xx are the request's own. */
function countUpstreamFailure(pipeline: GenerationPipeline, upstream: string, failure: GatewayError): void {
  if (failure.status < 500) return;
  pipeline.metrics.upstreamErrors.inc({ upstream, reason: failure.code ?? String(failure.status) });
}

/** Counts the lines read into the context as they pass. */
async function* countLines(batches: AsyncGenerator<OllamaLine[]>, context: GenerationContext): AsyncGenerator<OllamaLine[]> {
  for await (const batch of batches) {
    context.streamedLines = (context.streamedLines ?? 0) + batch.length;
    yield batch;
  }
}

const numberOr0 = (value: unknown): number => (typeof value === 'number' ? value : 0);
