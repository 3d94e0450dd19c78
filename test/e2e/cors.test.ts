import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';

describe('CORS for browser clients', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { apiKeys: ['sk-browser'], corsOrigins: ['https://app.example'] } });
  });
  after(() => stack.close());

  test('a preflight from a local page is answered without a key, allowing the headers asked for', async () => {
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-stainless-os, x-model' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    assert.equal(response.headers.get('access-control-allow-headers'), 'authorization, content-type, x-stainless-os, x-model');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  test('a configured origin is allowed and sees the request id; others get no CORS headers', async () => {
    const allowed = await fetch(`${stack.url}/v1/models`, { headers: { origin: 'https://app.example', authorization: 'Bearer sk-browser' } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.match(allowed.headers.get('access-control-expose-headers') ?? '', /x-request-id/);
    const foreign = await fetch(`${stack.url}/v1/models`, { headers: { origin: 'https://evil.example', authorization: 'Bearer sk-browser' } });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });
});
