import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { after, before, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';

describe('key scopes on the Responses and Anthropic Messages routes', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: {
        apiKeys: [
          { name: 'claude-app', key: 'sk-claude', models: ['llama3.2'], routes: ['openai'] },
          { name: 'sidecar-only', key: 'sk-sidecar', routes: ['sidecar'] },
        ],
      },
    });
  });
  after(() => stack.close());

  const anthropic = (apiKey: string): Anthropic => new Anthropic({ baseURL: stack.url, apiKey, maxRetries: 0 });

  test('the Anthropic SDK authenticates with x-api-key; a model out of scope is not found; a route out of scope is 403', async () => {
    const message = await anthropic('sk-claude').messages.create({ model: 'llama3.2', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(message.type, 'message');
    await assert.rejects(anthropic('sk-claude').messages.create({ model: 'qwen3', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] }), (error: { status: number }) => error.status === 404);
    await assert.rejects(anthropic('sk-sidecar').messages.create({ model: 'llama3.2', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] }), (error: { status: number }) => error.status === 403);
    await assert.rejects(anthropic('sk-wrong').messages.create({ model: 'llama3.2', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] }), (error: { status: number }) => error.status === 401);
  });

  test('/v1/responses needs the openai scope', async () => {
    const post = (key: string) => fetch(`${stack.url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'llama3.2', input: 'hi' }) });
    assert.equal((await post('sk-sidecar')).status, 403);
    assert.equal((await post('sk-claude')).status, 200);
  });
});
