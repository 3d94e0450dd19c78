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
