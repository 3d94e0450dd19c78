import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadRequestTracer } from '../../src/observability/load-request-tracer.ts';
import type { RequestTracer } from '../../src/observability/request-tracer.ts';
import { startScriptedOllama, type ScriptedOllama } from '../support/scripted-ollama.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.ts';

const CLIENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_PARENT = '00f067aa0ba902b7';

describe('traces of requests through the gateway (OTLP/HTTP receiver on loopback)', () => {
  let receiver: OtlpReceiver;
  let upstream: ScriptedOllama;
  let tracer: RequestTracer;
  let stack: TestStack;
  let spans: ReceivedSpan[];

  before(async () => {
    receiver = await startOtlpReceiver();
    upstream = await startScriptedOllama();
    // Ollama reports it loaded the model for this request: 40 ms.
    upstream.script([
      { model: 'llama3.2:latest', message: { role: 'assistant', content: 'Hello' }, done: false },
      { model: 'llama3.2:latest', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 7, eval_count: 1, load_duration: 40_000_000 },
    ]);
    tracer = await loadRequestTracer({ ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'gateway-under-test' }, '0.1.0');
    stack = await startStack({ upstreamUrl: upstream.url, app: { tracer }, config: { logLevel: 'silent' } });

    const stream = await stack.openai.chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    for await (const _chunk of stream);
    const continued = await fetch(`${stack.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json', traceparent: `00-${CLIENT_TRACE}-${CLIENT_PARENT}-01` }, body: JSON.stringify({ model: 'nomic-embed-text', input: 'hi' }) });
    assert.equal(continued.status, 200);
    await continued.arrayBuffer();
    assert.equal((await fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }) })).status, 404);
    assert.equal((await fetch(`${stack.url}/v1/models`)).status, 200);
    await stack.close();
    // Shutting down sends what the batch processor still holds.
    await tracer.shutdown();
    spans = receiver.spans;
  });
  after(async () => {
    await upstream.close();
    await receiver.close();
  });

  test('a streamed chat: one request span with GenAI attributes and usage, child spans for each phase', () => {
    const root = spans.find((span) => span.name === 'chat llama3.2:latest');
    assert.ok(root, `spans: ${spans.map((span) => span.name).join(', ')}`);
    assert.equal(root.parentSpanId, undefined);
    assert.equal(root.resource['service.name'], 'gateway-under-test');
    assert.deepEqual(
      Object.fromEntries(['gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.request.model', 'gen_ai.response.model', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'http.route', 'http.response.status_code', 'llm_sidecar.stream', 'llm_sidecar.upstream', 'server.address'].map((key) => [key, root.attributes[key]])),
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'ollama',
        'gen_ai.request.model': 'llama3.2:latest',
        'gen_ai.response.model': 'llama3.2:latest',
        'gen_ai.usage.input_tokens': 7,
        'gen_ai.usage.output_tokens': 1,
        'http.route': '/v1/chat/completions',
        'http.response.status_code': 200,
        'llm_sidecar.stream': true,
        'llm_sidecar.upstream': 'local',
        'server.address': '127.0.0.1',
      },
    );
    const children = spans.filter((span) => span.parentSpanId === root.spanId);
    assert.deepEqual(children.map((span) => span.name).sort(), ['generation', 'model load', 'queue wait', 'time to first token']);
    const load = children.find((span) => span.name === 'model load')!;
    assert.equal((BigInt(load.endTimeUnixNano) - BigInt(load.startTimeUnixNano)) / 1_000_000n, 40n, "Ollama's load_duration");
    const firstToken = children.find((span) => span.name === 'time to first token')!;
    const generation = children.find((span) => span.name === 'generation')!;
    assert.equal(generation.startTimeUnixNano, firstToken.endTimeUnixNano, 'generation starts at the first token');
    assert.ok(BigInt(root.startTimeUnixNano) <= BigInt(children.find((span) => span.name === 'queue wait')!.startTimeUnixNano));
  });

  test('traceparent of the request span reaches the upstream', () => {
    const root = spans.find((span) => span.name === 'chat llama3.2:latest')!;
    const chat = upstream.requests.find((request) => request.url === '/api/chat')!;
    assert.equal(chat.headers['traceparent'], `00-${root.traceId}-${root.spanId}-01`);
  });

  test("a client's traceparent is continued: the request span is its child, and the upstream sees the gateway's span", () => {
    const embedding = spans.find((span) => span.name === 'embeddings nomic-embed-text:latest');
    assert.ok(embedding);
    assert.equal(embedding.traceId, CLIENT_TRACE);
    assert.equal(embedding.parentSpanId, CLIENT_PARENT);
    const embed = upstream.requests.find((request) => request.url === '/api/embed')!;
    assert.equal(embed.headers['traceparent'], `00-${CLIENT_TRACE}-${embedding.spanId}-01`);
  });

  test('only generations are traced: no span for a listing, nor for a model that does not exist', () => {
    assert.deepEqual(spans.filter((span) => span.parentSpanId === undefined || span.parentSpanId === CLIENT_PARENT).map((span) => span.name).sort(), ['chat llama3.2:latest', 'embeddings nomic-embed-text:latest']);
  });
});
