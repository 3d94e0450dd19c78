import type { GatewayError } from '../errors/gateway-error.ts';
import type { RequestTrace } from '../observability/request-tracer.ts';
import type { QueueTenant } from '../scheduler/wait-queue.ts';

/** Token counts of a finished generation, as the request's usage. */
export interface GenerationUsage {
  promptTokens: number;
  completionTokens: number;
}

/**
 * What the gateway knows about one request while it runs: made once at the HTTP edge, passed
 * explicitly to the pipeline, and read at the end for the request's log line and metrics. A keys
 * layer fills `keyName` before the queue and reads `usage` after the end.
 */
export interface GenerationContext {
  readonly id: string;
  readonly startedAt: number;
  /** Aborted when the client goes away before the response is finished, by a deadline, or by a drain. */
  readonly abort: AbortController;
  readonly route: string;
  /** The calling key's configured name (never its secret), when keys are configured. */
  keyName?: string;
  /** Whose request this is in the model's queue (fair share between keys). */
  tenant?: QueueTenant;
  /** The canonical model name, once resolved. */
  model?: string;
  /** The model name the client used (an alias, or a spelling of `model`), for the log line. */
  requestedModel?: string;
  /** The upstream node that answered. */
  upstream?: string;
  queueWaitMs?: number;
  /** When the request got its first slot (the gateway's clock); time to first token counts from here. */
  slotAcquiredAt?: number;
  /** From the request's start, queue included (the log line and `/v1/llm` report this one). */
  firstTokenMs?: number;
  usage?: GenerationUsage;
  /**
   * Lines of streamed answers read so far. Ollama sends about one token per line, so for an answer
   * cut short before its `done` line (which carries the real counts) this is what was generated.
   */
  streamedLines?: number;
  retries?: number;
  stream?: boolean;
  error?: GatewayError;
  clientClosed?: boolean;
  /** The client's W3C `traceparent`, continued by the request's trace. */
  traceparent?: string;
  /** The request's trace, while tracing is on: opened by the pipeline, ended at the HTTP edge. */
  trace?: RequestTrace;
}
