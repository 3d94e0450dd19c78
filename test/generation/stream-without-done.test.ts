import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readNdjson, readSse, postJson } from '../sidecar/read-stream.ts';
import { answerWithoutDone, startScriptedOllama, type ScriptedOllama } from '../support/scripted-ollama.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';

let upstream: ScriptedOllama;
let stack: TestStack;

before(async () => {
  upstream = await startScriptedOllama();
  upstream.script(answerWithoutDone);
  stack = await startStack({ upstreamUrl: upstream.url });
});
after(async () => {
  await stack.close();
  await upstream.close();
});

/** The stream carried the tokens, then one error event, and no `[DONE]`: a cut answer is never complete. */
function assertCutStream(data: unknown[]): void {
  assert.ok(!data.includes('[DONE]'), 'a cut stream must not end with [DONE]');
  const last = data.at(-1) as { error?: { code?: string; type?: string } };
  assert.equal(last.error?.code, 'upstream_incomplete');
  assert.equal(last.error?.type, 'api_error');
  const finishes = data.filter((item) => JSON.stringify(item).includes('"finish_reason":"stop"'));
  assert.deepEqual(finishes, [], 'a cut stream must not report a finish');
}

test('chat: a stream that ends without its done line ends with an SSE error, not a finish and [DONE]', async () => {
  const response = await postJson(`${stack.url}/v1/chat/completions`, { model: 'llama3.2', stream: true, messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(response.status, 200);
  const { data } = await readSse(response);
  assert.ok(data.some((item) => JSON.stringify(item).includes('Hello')));
  assertCutStream(data);
});

test('chat: the openai SDK raises the cut stream as an error', async () => {
  const stream = await stack.openai.chat.completions.create({ model: 'llama3.2', stream: true, messages: [{ role: 'user', content: 'hi' }] });
  await assert.rejects(async () => {
    for await (const chunk of stream) assert.ok(chunk);
  }, /without its final line/);
});

test('completions: a stream that ends without its done line ends with an SSE error', async () => {
  const response = await postJson(`${stack.url}/v1/completions`, { model: 'llama3.2', stream: true, prompt: 'hi' });
  assertCutStream((await readSse(response)).data);
});

test('/v1/llm SSE: a stream that ends without its done line ends with an SSE error', async () => {
  const response = await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'hi', stream: true });
  const { data } = await readSse(response);
  assert.ok(!data.some((item) => (item as { done?: boolean }).done === true), 'no final answer for a cut stream');
  assertCutStream(data);
});

test('/v1/llm NDJSON: a stream that ends without its done line ends with an error line', async () => {
  const response = await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'hi', stream: true }, { accept: 'application/x-ndjson' });
  const lines = await readNdjson(response);
  assert.ok(!lines.some((item) => (item as { done?: boolean }).done === true));
  assert.equal((lines.at(-1) as { error?: { code?: string } }).error?.code, 'upstream_incomplete');
});

test('/v1/llm without stream: a cut answer is a 502, not a short answer', async () => {
  const response = await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'hi' });
  assert.equal(response.status, 502);
  assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'upstream_incomplete');
});
