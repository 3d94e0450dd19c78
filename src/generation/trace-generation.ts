import { NOOP_TRACE, operationOfPath, type RequestTrace, type RequestTracer } from '../observability/request-tracer.ts';
import type { GenerationContext } from './generation-context.ts';
import type { OllamaLine } from './read-ollama-lines.ts';

/**
 * The request's trace, opened by its first generation (a request with `n` choices runs several) and
 * back-dated to the request's arrival; the HTTP edge ends it. Without tracing: the shared no-op trace.
 */
export function traceOf(tracer: RequestTracer | undefined, context: GenerationContext, path: string, model: string, stream: boolean): RequestTrace {
  if (tracer === undefined || !tracer.enabled) return NOOP_TRACE;
  context.trace ??= tracer.startRequest({ operation: operationOfPath(path), model, route: context.route, requestId: context.id, stream, traceparent: context.traceparent, startTime: context.startedAt });
  return context.trace;
}

/** What one generation measured, for the spans drawn after it: all times in epoch ms. */
export interface GenerationTimings {
  sentAt: number;
  /** Ollama's own `load_duration` of the model for this request, in ms. */
  loadMs: number;
  /** The first token sent to the client (absent for embeddings). */
  firstTokenAt: number | undefined;
  doneAt: number;
}

/**
 * The upstream part of a generation as child spans: Ollama loading the model (when it had to), the
 * time to the first token, and the generation until the answer was read.
 */
export function traceUpstreamPhases(trace: RequestTrace, timings: GenerationTimings): void {
  if (timings.loadMs > 0) trace.startPhase('model_load', timings.sentAt)(timings.sentAt + timings.loadMs);
  if (timings.firstTokenAt !== undefined) trace.startPhase('time_to_first_token', timings.sentAt)(timings.firstTokenAt);
  trace.startPhase('generation', timings.firstTokenAt ?? timings.sentAt)(timings.doneAt);
}

/** Ollama's `load_duration` (ns) of a final line, in ms; 0 for any other line. */
export function loadMsOf(line: OllamaLine): number {
  const load = line['load_duration'];
  return line['done'] === true && typeof load === 'number' ? load / 1e6 : 0;
}

/** Passes the batches through, telling `onLine` about each line (only used while tracing). */
export async function* observeLines(batches: AsyncGenerator<OllamaLine[]>, onLine: (line: OllamaLine) => void): AsyncGenerator<OllamaLine[]> {
  for await (const batch of batches) {
    for (const line of batch) onLine(line);
    yield batch;
  }
}
