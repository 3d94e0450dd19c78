/** What kind of generation a request is, as OpenTelemetry's GenAI conventions name it (`gen_ai.operation.name`). */
export type GenAiOperation = 'chat' | 'text_completion' | 'embeddings' | 'generate_content';

/** The parts of a request a span is made of, besides the request as a whole. */
export type TracePhase = 'queue_wait' | 'model_load' | 'time_to_first_token' | 'generation';

export interface TraceStart {
  operation: GenAiOperation;
  /** The model asked for, after aliases: `gen_ai.request.model`. */
  model: string;
  route: string;
  requestId: string;
  stream: boolean;
  /** The client's own `traceparent`: the request's span becomes a child of it. */
  traceparent?: string | undefined;
  /** When the request arrived (epoch ms); now when omitted. The span is opened when the generation starts. */
  startTime?: number | undefined;
}

/** The GenAI operation of an Ollama route. */
export function operationOfPath(path: string): GenAiOperation {
  if (path === '/api/chat') return 'chat';
  if (path === '/api/embed' || path === '/api/embeddings') return 'embeddings';
  return 'text_completion';
}

export interface TraceEnd {
  status: number;
  /** The gateway's error type or code, when the request failed (`error.type`). */
  errorType?: string | undefined;
  errorMessage?: string | undefined;
}

/** The trace of one request. Every method is cheap and never throws, so the pipeline calls it unguarded. */
export interface RequestTrace {
  /** Starts a child span for `phase` at `startTime` (epoch ms; now when omitted); the returned function ends it. */
  startPhase(phase: TracePhase, startTime?: number): (endTime?: number) => void;
  /** The upstream that serves the request (`server.address`, `server.port`). */
  setUpstream(name: string, url: string): void;
  /** Headers that carry the trace to the upstream: `traceparent`. Empty when tracing is off. */
  propagationHeaders(): Record<string, string>;
  setUsage(usage: { inputTokens?: number | undefined; outputTokens?: number | undefined }): void;
  setResponse(response: { model?: string | undefined; id?: string | undefined; finishReasons?: string[] | undefined }): void;
  end(outcome: TraceEnd): void;
}

/** Starts request traces. `createApp` takes one; without it, nothing is traced and nothing is allocated. */
export interface RequestTracer {
  readonly enabled: boolean;
  startRequest(start: TraceStart): RequestTrace;
  /** Sends what is still buffered and stops. */
  shutdown(): Promise<void>;
}

const endNothing = (): void => {};
/** The trace of every request while tracing is off: all methods do nothing. */
export const NOOP_TRACE: RequestTrace = {
  startPhase: () => endNothing,
  setUpstream: () => {},
  propagationHeaders: () => ({}),
  setUsage: () => {},
  setResponse: () => {},
  end: () => {},
};

/** Tracing off: one shared trace object whose methods do nothing. */
export const NOOP_TRACER: RequestTracer = {
  enabled: false,
  startRequest: () => NOOP_TRACE,
  shutdown: () => Promise.resolve(),
};

/**
 * The tracer the environment asks for: OpenTelemetry over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set and `OTEL_SDK_DISABLED` is not `true`, else
 * {@link NOOP_TRACER}. The SDK is imported only then, so a gateway without tracing never loads it.
 */
export async function loadRequestTracer(env: NodeJS.ProcessEnv, serviceVersion: string): Promise<RequestTracer> {
  const url = tracesUrlOf(env);
  if (url === undefined || env['OTEL_SDK_DISABLED'] === 'true') return NOOP_TRACER;
  const { createOtelRequestTracer } = await import('./tracing-otel.ts');
  return createOtelRequestTracer({ url, serviceName: env['OTEL_SERVICE_NAME'] || 'llm-sidecar', serviceVersion });
}

/** Where spans go, by the OpenTelemetry variables: the traces endpoint as is, or the base endpoint plus `/v1/traces`. */
function tracesUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  const traces = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
  if (traces !== undefined && traces !== '') return traces;
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  return base === undefined || base === '' ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`;
}
