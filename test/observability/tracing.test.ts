import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { loadRequestTracer } from '../../src/observability/load-request-tracer.ts';
import { NOOP_TRACER, type RequestTracer } from '../../src/observability/request-tracer.ts';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.ts';

const run = promisify(execFile);
const SPAN_KIND_SERVER = 2;
const SPAN_STATUS_ERROR = 2;

describe('RequestTracer over OTLP/HTTP', () => {
  let receiver: OtlpReceiver;
  let tracer: RequestTracer;
  const saved = { ...process.env };
  before(async () => {
    receiver = await startOtlpReceiver();
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = receiver.url;
    process.env['OTEL_SERVICE_NAME'] = 'sidecar-under-test';
    tracer = await loadRequestTracer(process.env, '0.1.0');
  });
  after(async () => {
    process.env = saved;
    await receiver.close();
  });

  test('one span per request with GenAI attributes, child spans per phase, traceparent of the request span', async () => {
    const startedAt = Date.now() - 50;
    const trace = tracer.startRequest({ operation: 'chat', model: 'llama3.2:latest', route: '/v1/chat/completions', requestId: 'req-1', stream: true, startTime: startedAt });
    trace.startPhase('queue_wait', startedAt + 1)(startedAt + 5);
    trace.startPhase('model_load', startedAt + 6)(startedAt + 20);
    trace.startPhase('time_to_first_token', startedAt + 6)(startedAt + 30);
    trace.startPhase('generation', startedAt + 30)(startedAt + 45);
    trace.setUpstream('local', 'http://127.0.0.1:11434');
    trace.setUsage({ inputTokens: 26, outputTokens: 12 });
    trace.setResponse({ model: 'llama3.2:latest', id: 'chatcmpl-1', finishReasons: ['stop'] });
    const headers = trace.propagationHeaders();
    trace.end({ status: 200 });

    const failed = tracer.startRequest({ operation: 'embeddings', model: 'nomic-embed-text:latest', route: '/v1/embeddings', requestId: 'req-2', stream: false, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    failed.end({ status: 502, errorType: 'upstream_error', errorMessage: 'Ollama broke the connection.' });
    await tracer.shutdown();

    assert.ok(receiver.contentTypes.every((type) => type.startsWith('application/json')));
    const root = receiver.spans.find((span) => span.name === 'chat llama3.2:latest');
    assert.ok(root, `spans: ${receiver.spans.map((span) => span.name).join(', ')}`);
    assert.equal(root.kind, SPAN_KIND_SERVER);
    assert.equal(root.parentSpanId, undefined);
    assert.equal(BigInt(root.startTimeUnixNano) / 1_000_000n, BigInt(startedAt));
    assert.deepEqual(
      { ...root.attributes },
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'ollama',
        'gen_ai.request.model': 'llama3.2:latest',
        'gen_ai.response.model': 'llama3.2:latest',
        'gen_ai.response.id': 'chatcmpl-1',
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.usage.input_tokens': 26,
        'gen_ai.usage.output_tokens': 12,
        'http.route': '/v1/chat/completions',
        'http.response.status_code': 200,
        'llm_sidecar.request_id': 'req-1',
        'llm_sidecar.stream': true,
        'llm_sidecar.upstream': 'local',
        'server.address': '127.0.0.1',
        'server.port': 11434,
      },
    );
    assert.equal(root.resource['service.name'], 'sidecar-under-test');
    assert.equal(root.resource['service.version'], '0.1.0');
    const children = receiver.spans.filter((span) => span.parentSpanId === root.spanId);
    assert.deepEqual(children.map((span) => span.name).sort(), ['generation', 'model load', 'queue wait', 'time to first token']);
    assert.ok(children.every((span) => span.traceId === root.traceId));
    const queue = children.find((span) => span.name === 'queue wait')!;
    assert.equal((BigInt(queue.endTimeUnixNano) - BigInt(queue.startTimeUnixNano)) / 1_000_000n, 4n);
    assert.deepEqual(headers, { traceparent: `00-${root.traceId}-${root.spanId}-01` });

    const embedding = receiver.spans.find((span) => span.name === 'embeddings nomic-embed-text:latest')!;
    assert.equal(embedding.traceId, '0af7651916cd43dd8448eb211c80319c', "the client's trace continues");
    assert.equal(embedding.parentSpanId, 'b7ad6b7169203331');
    assert.equal(embedding.status.code, SPAN_STATUS_ERROR);
    assert.equal(embedding.attributes['error.type'], 'upstream_error');
  });
});

describe('tracing off', () => {
  test('without OTEL_EXPORTER_OTLP_ENDPOINT the tracer is the no-op one', async () => {
    assert.equal(await loadRequestTracer({}, '0.1.0'), NOOP_TRACER);
    assert.equal(await loadRequestTracer({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }, '0.1.0'), NOOP_TRACER);
    const trace = NOOP_TRACER.startRequest({ operation: 'chat', model: 'm', route: '/', requestId: 'r', stream: false });
    assert.deepEqual(trace.propagationHeaders(), {});
    assert.equal(NOOP_TRACER.startRequest({ operation: 'chat', model: 'n', route: '/', requestId: 's', stream: false }), trace, 'one shared object: nothing allocated per request');
  });

  test('the gateway without tracing never loads the OpenTelemetry SDK', async () => {
    // A child process records every module it resolves while it builds an app and loads the tracer.
    const script = `
      import { registerHooks } from 'node:module';
      const resolved = [];
      registerHooks({ resolve(specifier, context, next) { resolved.push(specifier); return next(specifier, context); } });
      const { createApp } = await import('./src/app.ts');
      const { buildConfig } = await import('./src/config/load-config.ts');
      const { loadRequestTracer } = await import('./src/observability/load-request-tracer.ts');
      const tracer = await loadRequestTracer({}, '0.1.0');
      const gateway = createApp({ config: buildConfig({ logLevel: 'silent', upstreams: [{ name: 'local', url: 'http://127.0.0.1:9' }] }) });
      await gateway.close();
      // Only the SDK counts: prom-client itself loads @opentelemetry/api (for exemplars on its CPU metric).
      const sdk = /@opentelemetry\\/(sdk-trace|exporter-trace-otlp-http|resources|otlp-)|tracing-otel/;
      console.log(JSON.stringify({ enabled: tracer.enabled, sdk: resolved.filter((specifier) => sdk.test(specifier)) }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('../..', import.meta.url).pathname, env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '' } });
    assert.deepEqual(JSON.parse(stdout.trim().split('\n').at(-1)!), { enabled: false, sdk: [] });
  });
});
