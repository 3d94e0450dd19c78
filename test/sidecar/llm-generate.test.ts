import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { llmGenerateChunkSchema, llmGenerateResponseSchema } from '../../src/openai/sidecar-llm-response.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { postJson, readNdjson, readSse } from './read-stream.ts';

describe('POST /v1/llm/{model}', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: {
        logLevel: 'silent',
        aliases: { fast: 'llama3.2' },
        models: { 'qwen3': { options: { num_ctx: 8192, temperature: 0.1 }, keepAlive: '30m' } },
        retries: { attempts: 0, baseDelayMs: 1, maxDelayMs: 1 },
      },
    });
  });
  after(() => stack.close());

  test('answers JSON with usage and timings, and reports the name the client used', async () => {
    const response = await postJson(`${stack.url}/v1/llm/fast`, { prompt: 'Say hi', system: 'Be brief' });
    assert.equal(response.status, 200);
    const body = llmGenerateResponseSchema.strict().parse(await response.json());
    assert.equal(body.model, 'fast');
    assert.ok(body.response.length > 0);
    assert.equal(body.done_reason, 'stop');
    assert.equal(body.usage.total_tokens, body.usage.prompt_tokens + body.usage.completion_tokens);
    assert.ok(body.usage.completion_tokens > 0);
    assert.ok(body.timings.first_token_ms !== null && body.timings.first_token_ms <= body.timings.total_ms);
    const sent = stack.sim!.stats.lastBody['/api/generate'] as Record<string, unknown>;
    assert.equal(sent['model'], 'llama3.2:latest');
    assert.equal(sent['system'], 'Be brief');
  });

  test('streams SSE by default: deltas, then the whole answer with done, then [DONE]', async () => {
    const whole = (await (await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'Tell me', options: { seed: 4 } })).json()) as { response: string };
    const response = await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'Tell me', options: { seed: 4 }, stream: true });
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const { data } = await readSse(response);
    assert.equal(data.at(-1), '[DONE]');
    const events = data.slice(0, -1).map((event) => llmGenerateChunkSchema.parse(event));
    const last = events.at(-1)!;
    assert.equal(last.done, true);
    assert.ok(last.done && last.usage.completion_tokens > 0 && last.timings.first_token_ms !== null);
    assert.equal(events.slice(0, -1).map((event) => event.response).join(''), whole.response);
    assert.ok(events.slice(0, -1).every((event) => event.done === false));
  });

  test('streams NDJSON when the client accepts application/x-ndjson', async () => {
    const response = await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'Tell me', stream: true }, { accept: 'application/x-ndjson' });
    assert.match(response.headers.get('content-type') ?? '', /^application\/x-ndjson/);
    const lines = (await readNdjson(response)).map((line) => llmGenerateChunkSchema.parse(line));
    assert.ok(lines.length > 2);
    assert.equal(lines.at(-1)!.done, true);
  });

  test('model choice: X-Model header, then ?model=, then the path', async () => {
    const modelOf = async (path: string, headers: Record<string, string> = {}): Promise<string> => {
      const response = await postJson(`${stack.url}${path}`, { prompt: 'x' }, headers);
      assert.equal(response.status, 200);
      return ((await response.json()) as { model: string }).model;
    };
    assert.equal(await modelOf('/v1/llm/llama3.2?model=qwen3', { 'x-model': 'gemma3' }), 'gemma3');
    assert.equal((stack.sim!.stats.lastBody['/api/generate'] as { model: string }).model, 'gemma3:latest');
    assert.equal(await modelOf('/v1/llm/llama3.2?model=qwen3'), 'qwen3');
    assert.equal((stack.sim!.stats.lastBody['/api/generate'] as { model: string }).model, 'qwen3:latest');
    assert.equal(await modelOf('/v1/llm/llama3.2'), 'llama3.2');
  });

  test("the model's configured options and keepAlive go under what the client sets", async () => {
    await postJson(`${stack.url}/v1/llm/qwen3`, { prompt: 'x', options: { temperature: 0.9 } });
    const sent = stack.sim!.stats.lastBody['/api/generate'] as { options: Record<string, unknown>; keep_alive: unknown };
    assert.deepEqual(sent.options, { num_ctx: 8192, temperature: 0.9 });
    assert.equal(sent.keep_alive, '30m');
    await postJson(`${stack.url}/v1/llm/qwen3`, { prompt: 'x', keep_alive: 0 });
    assert.equal((stack.sim!.stats.lastBody['/api/generate'] as { keep_alive: unknown }).keep_alive, 0);
  });

  test('a model Ollama lacks is a 404 naming it; an unknown field is a 400 naming it (temperature belongs in options)', async () => {
    const missing = await postJson(`${stack.url}/v1/llm/no-such-model`, { prompt: 'x' });
    assert.equal(missing.status, 404);
    const error = ((await missing.json()) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'model_not_found');
    assert.match(error.message, /no-such-model/);
    const unknown = await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'x', temperature: 1 });
    assert.equal(unknown.status, 400);
    const refused = ((await unknown.json()) as { error: { message: string; param: string | null } }).error;
    assert.match(refused.message, /Unrecognized request argument supplied: temperature/);
    assert.equal(refused.param, 'temperature');
  });

  test("an option of the wrong type is a 400 in Ollama's words, not Ollama's 500", async () => {
    const response = await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'x', options: { num_predict: 'x' } });
    assert.equal(response.status, 400);
    assert.deepEqual(((await response.json()) as { error: { message: string; param: string | null } }).error, {
      message: 'option "num_predict" must be of type integer',
      type: 'invalid_request_error',
      param: 'options',
      code: null,
    });
  });

  test('an error mid-stream ends SSE with an error event and NDJSON with an error line', async () => {
    stack.sim!.injectFault({ kind: 'errorLine', route: '/api/generate', afterTokens: 2 });
    const sse = await readSse(await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'x', stream: true }));
    assert.equal(sse.data.length, 3);
    assert.match(JSON.stringify(sse.data.at(-1)), /"error":\{"message":"Ollama failed while generating/);
    stack.sim!.injectFault({ kind: 'errorLine', route: '/api/generate', afterTokens: 1 });
    const lines = await readNdjson(await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'x', stream: true }, { accept: 'application/x-ndjson' }));
    assert.equal(lines.length, 2);
    assert.equal((lines.at(-1) as { error: { type: string } }).error.type, 'api_error');
  });

  test('requests are counted under the canonical model and the route', async () => {
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    assert.match(metrics, /llm_sidecar_requests_total\{model="llama3.2:latest",route="\/v1\/llm\/\*model",status="200"\} \d+/);
    assert.match(metrics, /llm_sidecar_tokens_total\{model="llama3.2:latest",kind="completion"\} \d+/);
  });
});
