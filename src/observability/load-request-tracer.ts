import { NOOP_TRACER, type RequestTracer } from './request-tracer.ts';

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
