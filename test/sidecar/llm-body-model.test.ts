import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { postJson } from './read-stream.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';

let stack: TestStack;
before(async () => {
  stack = await startStack({ requireSimulator: true });
});
after(() => stack.close());

test('/v1/llm/{model} accepts a model in the body; the path wins', async () => {
  const response = await postJson(`${stack.url}/v1/llm/llama3.2`, { model: 'some-other-model', prompt: 'hi' });
  assert.equal(response.status, 200);
  assert.equal(((await response.json()) as { model: string }).model, 'llama3.2');
});
