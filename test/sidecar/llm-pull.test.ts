import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { llmPullProgressSchema, llmPullResponseSchema } from '../../src/openai/sidecar-llm-response.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { iterateSse, postJson, readNdjson, readSse, type SseItem } from './read-stream.ts';

/** Reads SSE items until `predicate` holds; the iterator stays usable for the rest. */
async function readUntil(items: AsyncGenerator<SseItem>, predicate: (item: SseItem) => boolean): Promise<SseItem[]> {
  const seen: SseItem[] = [];
  for (;;) {
    const next = await items.next();
    if (next.done) return seen;
    seen.push(next.value);
    if (predicate(next.value)) return seen;
  }
}

async function drain(items: AsyncGenerator<SseItem>): Promise<unknown[]> {
  const data: unknown[] = [];
  for await (const item of items) if (item.kind === 'data') data.push(item.data);
  return data;
}

describe('POST /v1/llm/{model}/pull', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: { logLevel: 'silent', pullAllowed: ['fresh-*', 'missing-model'], models: { 'configured-model': {} }, aliases: { 'my-alias': 'fresh-aliased' } },
    });
  });
  beforeEach(() => stack.sim!.setOptions({ pullBytesPerSecond: 0 }));
  after(() => stack.close());

  test('without stream it answers once the pull is done, and the model is then served', async () => {
    const response = await postJson(`${stack.url}/v1/llm/fresh-one/pull`, {});
    assert.equal(response.status, 200);
    const body = llmPullResponseSchema.strict().parse(await response.json());
    assert.deepEqual({ model: body.model, status: body.status, shared: body.shared }, { model: 'fresh-one', status: 'success', shared: false });
    assert.equal((await postJson(`${stack.url}/v1/llm/fresh-one`, { prompt: 'hi' })).status, 200);
  });

  test('with stream it relays progress (status, digest, completed/total, percent) as SSE', async () => {
    const { data } = await readSse(await postJson(`${stack.url}/v1/llm/fresh-two/pull`, { stream: true }));
    assert.equal(data.at(-1), '[DONE]');
    const progress = data.slice(0, -2).map((event) => llmPullProgressSchema.strict().parse(event));
    assert.equal(progress[0]?.status, 'pulling manifest');
    const layer = progress.filter((event) => event.digest !== undefined);
    assert.ok(layer.length > 2);
    assert.ok(layer.some((event) => event.percent === 100 && event.completed === event.total));
    assert.ok(layer.some((event) => event.percent !== undefined && event.percent > 0 && event.percent < 100));
    assert.equal(llmPullResponseSchema.parse(data.at(-2)).status, 'success');
  });

  test('Accept: text/event-stream asks for the stream too; NDJSON on request', async () => {
    const sse = await fetch(`${stack.url}/v1/llm/fresh-three/pull`, { method: 'POST', headers: { accept: 'text/event-stream' } });
    assert.match(sse.headers.get('content-type') ?? '', /^text\/event-stream/);
    await sse.text();
    const ndjson = await fetch(`${stack.url}/v1/llm/fresh-three/pull`, { method: 'POST', headers: { accept: 'application/x-ndjson' } });
    const lines = await readNdjson(ndjson);
    assert.equal((lines.at(-1) as { status: string }).status, 'success');
  });

  test('concurrent pulls of one model share one upstream pull and see the same progress', async () => {
    // 1 byte per tick: the pull stays in its first layer until the test speeds it up.
    stack.sim!.setOptions({ pullBytesPerSecond: 1 });
    const pullsBefore = stack.sim!.stats.requests['/api/pull'] ?? 0;
    const first = iterateSse(await postJson(`${stack.url}/v1/llm/fresh-shared/pull`, { stream: true }));
    await readUntil(first, (item) => item.kind === 'data' && (item.data as { digest?: string }).digest !== undefined);
    const second = iterateSse(await postJson(`${stack.url}/v1/llm/fresh-shared:latest/pull`, { stream: true }));
    const joined = await readUntil(second, (item) => item.kind === 'data');
    assert.ok((joined.at(-1) as { data: { digest?: string } }).data.digest, 'a late caller first sees the latest progress');
    stack.sim!.setOptions({ pullBytesPerSecond: 0 });
    const [firstRest, secondRest] = await Promise.all([drain(first), drain(second)]);
    assert.equal(stack.sim!.stats.requests['/api/pull'], pullsBefore + 1);
    assert.equal(llmPullResponseSchema.parse(firstRest.at(-2)).shared, false);
    assert.equal(llmPullResponseSchema.parse(secondRest.at(-2)).shared, true);
    const statuses = (events: unknown[]): string[] => events.slice(0, -2).map((event) => (event as { status: string }).status);
    assert.deepEqual(statuses(secondRest).slice(-3), statuses(firstRest).slice(-3));
  });

  test('a name neither configured nor allowed is refused with 403 before any upstream call', async () => {
    const pullsBefore = stack.sim!.stats.requests['/api/pull'] ?? 0;
    const response = await postJson(`${stack.url}/v1/llm/llama3.3:70b/pull`, {});
    assert.equal(response.status, 403);
    const error = ((await response.json()) as { error: { type: string; code: string; message: string } }).error;
    assert.deepEqual([error.type, error.code], ['permission_error', 'pull_not_allowed']);
    assert.match(error.message, /llama3\.3:70b/);
    assert.equal(stack.sim!.stats.requests['/api/pull'] ?? 0, pullsBefore);
    assert.equal((await postJson(`${stack.url}/v1/llm/configured-model/pull`, {})).status, 200);
    assert.equal((await postJson(`${stack.url}/v1/llm/my-alias/pull`, {})).status, 200);
  });

  test("a failed pull says why, in the answer or as the stream's last event", async () => {
    const response = await postJson(`${stack.url}/v1/llm/missing-model/pull`, {});
    assert.equal(response.status, 404);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /Pulling `missing-model:latest` failed: pull model manifest: file does not exist/);
    const { data } = await readSse(await postJson(`${stack.url}/v1/llm/missing-model/pull`, { stream: true }));
    assert.match(JSON.stringify(data.at(-1)), /"error":\{"message":"Pulling `missing-model:latest` failed/);
  });

  test('pulls are counted in model_pulls_total by result', async () => {
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    assert.match(metrics, /llm_sidecar_model_pulls_total\{model="fresh-one:latest",result="success"\} 1/);
    assert.match(metrics, /llm_sidecar_model_pulls_total\{model="missing-model:latest",result="failure"\} 2/);
  });
});
