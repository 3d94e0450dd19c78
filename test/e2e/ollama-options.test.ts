import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chatModel, embedModel, startStack, type TestStack } from '../support/start-gateway.ts';

describe('Ollama options and extras through the openai SDK', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'debug', models: { [chatModel]: { options: { num_ctx: 1024, seed: 1 } } } } });
  });
  after(() => stack.close());

  test('chat: options and extras reach /api/chat over the configured options', async () => {
    await stack.openai.chat.completions.create({
      model: chatModel,
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 3,
      // @ts-expect-error -- our extensions are not in the SDK's types
      options: { num_ctx: 4096, num_gpu: 0 },
      top_k: 7,
      repetition_penalty: 1.2,
    });
    const sent = stack.sim!.stats.lastBody['/api/chat'] as { options: Record<string, unknown> };
    assert.deepEqual(sent.options, { num_ctx: 4096, seed: 1, num_gpu: 0, top_k: 7, repeat_penalty: 1.2, num_predict: 3 });
  });

  test('embeddings: options reach /api/embed', async () => {
    // @ts-expect-error -- our extension
    await stack.openai.embeddings.create({ model: embedModel, input: 'x', options: { num_ctx: 256 } });
    const sent = stack.sim!.stats.lastBody['/api/embed'] as { options: Record<string, unknown> };
    assert.deepEqual(sent.options, { num_ctx: 256 });
  });

  test('fields nobody knows are logged at debug level with the request id', async () => {
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-unknown-fields' },
      body: JSON.stringify({ model: chatModel, messages: [{ role: 'user', content: 'hi' }], max_tokens: 2, mirostat: 2 }),
    });
    assert.equal(response.status, 200);
    const line = stack.logs.find((entry) => entry['requestId'] === 'req-unknown-fields' && Array.isArray(entry['fields']));
    assert.deepEqual(line?.['fields'], ['mirostat']);
    assert.equal(line?.['level'], 20);
  });
});
