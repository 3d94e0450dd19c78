import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { RequestTrace, RequestTracer, TraceEnd, TracePhase, TraceStart } from './request-tracer.ts';

export interface OtelTracerOptions {
  /** The OTLP/HTTP traces endpoint, e.g. `http://collector:4318/v1/traces`. */
  url: string;
  serviceName: string;
  serviceVersion: string;
}

/** `00-<trace id>-<parent id>-<flags>`: W3C Trace Context, version 00. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The client's `traceparent` as a parent context; a malformed or all-zero one starts a new trace. */
function parentContextOf(traceparent: string | undefined): Context {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent.trim());
  if (match === null || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: match[1]!, spanId: match[2]!, traceFlags: Number.parseInt(match[3]!, 16), isRemote: true });
}

/** Span names of the phases, under the request's span. */
const PHASE_NAMES: Record<TracePhase, string> = {
  queue_wait: 'queue wait',
  model_load: 'model load',
  time_to_first_token: 'time to first token',
  generation: 'generation',
};

class OtelRequestTrace implements RequestTrace {
  readonly #tracer: Tracer;
  readonly #span: Span;
  readonly #context: Context;
  #ended = false;

  constructor(tracer: Tracer, start: TraceStart) {
    this.#tracer = tracer;
    const attributes: Attributes = {
      'gen_ai.operation.name': start.operation,
      'gen_ai.provider.name': 'ollama',
      'gen_ai.request.model': start.model,
      'http.route': start.route,
      'llm_sidecar.request_id': start.requestId,
      'llm_sidecar.stream': start.stream,
    };
    // GenAI conventions name a span "<operation> <model>".
    this.#span = tracer.startSpan(`${start.operation} ${start.model}`, { kind: SpanKind.SERVER, attributes, ...(start.startTime === undefined ? {} : { startTime: start.startTime }) }, parentContextOf(start.traceparent));
    this.#context = trace.setSpan(ROOT_CONTEXT, this.#span);
  }

  startPhase(phase: TracePhase, startTime?: number): (endTime?: number) => void {
    const span = this.#tracer.startSpan(PHASE_NAMES[phase], { kind: phase === 'generation' || phase === 'time_to_first_token' ? SpanKind.CLIENT : SpanKind.INTERNAL, ...(startTime === undefined ? {} : { startTime }) }, this.#context);
    let ended = false;
    return (endTime) => {
      if (ended) return;
      ended = true;
      span.end(endTime);
    };
  }

  setUpstream(name: string, url: string): void {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    this.#span.setAttribute('llm_sidecar.upstream', name);
    if (parsed !== undefined) {
      this.#span.setAttribute('server.address', parsed.hostname);
      this.#span.setAttribute('server.port', Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)));
    }
  }

  propagationHeaders(): Record<string, string> {
    const { traceId, spanId, traceFlags } = this.#span.spanContext();
    return { traceparent: `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}` };
  }

  setUsage(usage: { inputTokens?: number | undefined; outputTokens?: number | undefined }): void {
    if (usage.inputTokens !== undefined) this.#span.setAttribute('gen_ai.usage.input_tokens', usage.inputTokens);
    if (usage.outputTokens !== undefined) this.#span.setAttribute('gen_ai.usage.output_tokens', usage.outputTokens);
  }

  setResponse(response: { model?: string | undefined; id?: string | undefined; finishReasons?: string[] | undefined }): void {
    if (response.model !== undefined) this.#span.setAttribute('gen_ai.response.model', response.model);
    if (response.id !== undefined) this.#span.setAttribute('gen_ai.response.id', response.id);
    if (response.finishReasons !== undefined) this.#span.setAttribute('gen_ai.response.finish_reasons', response.finishReasons);
  }

  end(outcome: TraceEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#span.setAttribute('http.response.status_code', outcome.status);
    if (outcome.errorType !== undefined || outcome.status >= 500) {
      this.#span.setAttribute('error.type', outcome.errorType ?? String(outcome.status));
      this.#span.setStatus({ code: SpanStatusCode.ERROR, ...(outcome.errorMessage === undefined ? {} : { message: outcome.errorMessage }) });
    }
    this.#span.end();
  }
}

/**
 * OpenTelemetry tracing of requests, exported in batches over OTLP/HTTP (JSON). Its own provider,
 * not the global one: the gateway's spans do not depend on what else in the process registers.
 */
export function createOtelRequestTracer(options: OtelTracerOptions): RequestTracer {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, 'service.version': options.serviceVersion }),
    // The exporter reads the other OTEL_EXPORTER_OTLP_* variables (headers, timeout) itself.
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: options.url }) })],
  });
  const tracer = provider.getTracer('llm-sidecar', options.serviceVersion);
  return {
    enabled: true,
    startRequest: (start) => new OtelRequestTrace(tracer, start),
    shutdown: () => provider.shutdown(),
  };
}
