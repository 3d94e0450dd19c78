import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { postJson, readSse } from './read-stream.ts';

describe('pull on demand', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: {
        logLevel: 'silent',
        pullOnDemand: true,
        pullAllowed: ['ondemand-*', 'missing-*'],
        models: { 'per-model': { pullOnDemand: true }, 'ondemand-opted-out': { pullOnDemand: false } },
      },
    });
  });
  after(() => stack.close());

  test('a missing allowed model is pulled once, then the waiting requests are served', async () => {
    const pullsBefore = stack.sim!.stats.requests['/api/pull'] ?? 0;
    const [first, second] = await Promise.all([
      postJson(`${stack.url}/v1/llm/ondemand-a`, { prompt: 'hi' }),
      stack.openai.chat.completions.create({ model: 'ondemand-a', messages: [{ role: 'user', content: 'hi' }] }),
    ]);
    assert.equal(first.status, 200);
    assert.equal(((await first.json()) as { model: string }).model, 'ondemand-a');
    assert.ok(second.choices[0]?.message.content);
    assert.equal(stack.sim!.stats.requests['/api/pull'], pullsBefore + 1);
  });

  test('a streaming client gets SSE comments with pull progress while it waits', async () => {
    const { comments, data } = await readSse(await postJson(`${stack.url}/v1/llm/ondemand-b`, { prompt: 'hi', stream: true }));
    assert.equal(comments[0], 'pull pulling manifest');
    assert.ok(comments.some((comment) => /^pull pulling [0-9a-f]{12} \d+%$/.test(comment)));
    assert.ok(comments.includes('pull success'));
    assert.equal(data.at(-1), '[DONE]');
    assert.equal((data.at(-2) as { done: boolean }).done, true);
  });

  test('the OpenAI stream route gets the same progress comments', async () => {
    const response = await postJson(`${stack.url}/v1/chat/completions`, { model: 'ondemand-c', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const { comments, data } = await readSse(response);
    assert.ok(comments.includes('pull success'));
    assert.equal(data.at(-1), '[DONE]');
  });

  test('per-model pullOnDemand applies without the allow-list; false opts a model out', async () => {
    assert.equal((await postJson(`${stack.url}/v1/llm/per-model`, { prompt: 'hi' })).status, 200);
    const optedOut = await postJson(`${stack.url}/v1/llm/ondemand-opted-out`, { prompt: 'hi' });
    assert.equal(optedOut.status, 404);
  });

  test('the allow-list refuses a name: 404 saying it is not pulled, and no upstream pull', async () => {
    const pullsBefore = stack.sim!.stats.requests['/api/pull'] ?? 0;
    const response = await postJson(`${stack.url}/v1/llm/llama3.3-typo`, { prompt: 'hi' });
    assert.equal(response.status, 404);
    const error = ((await response.json()) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'model_not_found');
    assert.match(error.message, /not pulled on demand/);
    assert.equal(stack.sim!.stats.requests['/api/pull'] ?? 0, pullsBefore);
  });

  test('a failed pull reaches every waiting request as a clear error', async () => {
    const answers = await Promise.all([
      postJson(`${stack.url}/v1/llm/missing-thing`, { prompt: 'hi' }),
      postJson(`${stack.url}/v1/llm/missing-thing`, { prompt: 'hi' }),
    ]);
    for (const answer of answers) {
      assert.equal(answer.status, 404);
      assert.match(((await answer.json()) as { error: { message: string } }).error.message, /Pulling `missing-thing:latest` failed: pull model manifest: file does not exist/);
    }
    const streamed = await readSse(await postJson(`${stack.url}/v1/llm/missing-thing`, { prompt: 'hi', stream: true }));
    assert.match(JSON.stringify(streamed.data.at(-1)), /"error":\{"message":"Pulling `missing-thing:latest` failed/);
  });
});

describe('without pull on demand', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent', pullAllowed: ['*'] } });
  });
  after(() => stack.close());

  test('a missing model is a 404 and nothing is pulled', async () => {
    const response = await postJson(`${stack.url}/v1/llm/ondemand-x`, { prompt: 'hi' });
    assert.equal(response.status, 404);
    assert.equal(stack.sim!.stats.requests['/api/pull'] ?? 0, 0);
  });
});
