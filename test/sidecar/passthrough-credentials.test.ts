import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chatModel, startStack, type TestStack } from '../support/start-gateway.ts';

/** Every header a client's credentials travel in. */
const CREDENTIALS = {
  authorization: 'Bearer sk-pass',
  'x-api-key': 'sk-pass',
  'api-key': 'secret-azure-style',
  cookie: 'session=secret-cookie',
  'proxy-authorization': 'Basic c2VjcmV0',
};

describe('no client credential reaches Ollama through the passthrough', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent', apiKeys: ['sk-pass'] } });
  });
  after(() => stack.close());

  test('generation, read-only and forwarded routes strip authorization, x-api-key, api-key, cookie and proxy-authorization', async () => {
    const before = stack.sim!.stats.receivedCount;
    const requests: Array<[string, string, unknown]> = [
      ['POST', '/api/chat', { model: chatModel, messages: [{ role: 'user', content: 'hi' }], stream: false }],
      ['POST', '/api/generate', { model: chatModel, prompt: 'hi', stream: true }],
      ['POST', '/api/show', { model: chatModel }],
      ['GET', '/api/tags', undefined],
    ];
    for (const [method, path, body] of requests) {
      const response = await fetch(`${stack.url}${path}`, { method, headers: { ...CREDENTIALS, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      assert.equal(response.status, 200, path);
      await response.arrayBuffer();
    }
    const reached = stack.sim!.stats.received.filter((received) => received.sequence > before);
    for (const path of ['/api/chat', '/api/generate', '/api/show', '/api/tags']) assert.ok(reached.some((received) => received.path === path), path);
    for (const received of reached) {
      for (const header of Object.keys(CREDENTIALS)) assert.equal(received.headers[header], undefined, `${header} on ${received.path}`);
      assert.doesNotMatch(JSON.stringify(received.headers), /sk-pass|secret/);
    }
  });
});
