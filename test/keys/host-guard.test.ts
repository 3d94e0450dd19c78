import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { hostnameOf, isLoopbackName } from '../../src/http/host-guard.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';

/** GET with a chosen `Host` header (fetch would not let a test set it). */
function getWithHost(url: string, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url);
    const outgoing = request({ agent: false, hostname: target.hostname, port: target.port, path: target.pathname, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    outgoing.once('error', reject);
    outgoing.end();
  });
}

describe('Host guard (DNS rebinding)', () => {
  let stack: TestStack;
  let open: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { allowedHosts: ['gateway.internal'] } });
    open = await startStack({ requireSimulator: true, config: { allowedHosts: ['*'] } });
  });
  after(async () => {
    await stack.close();
    await open.close();
  });

  test('on loopback, a foreign Host is 403; loopback names and allowedHosts pass', async () => {
    const port = new URL(stack.url).port;
    const refused = await getWithHost(stack.url, '/healthz', `evil.example:${port}`);
    assert.equal(refused.status, 403);
    assert.deepEqual(JSON.parse(refused.body).error.code, 'host_not_allowed');
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `app.localhost:${port}`, `[::1]:${port}`, 'gateway.internal', `GATEWAY.internal:${port}`]) {
      assert.equal((await getWithHost(stack.url, '/healthz', host)).status, 200, host);
    }
  });

  test('allowedHosts: * turns the guard off', async () => {
    assert.equal((await getWithHost(open.url, '/healthz', 'evil.example')).status, 200);
  });

  test('names', () => {
    assert.equal(hostnameOf('[::1]:4000'), '::1');
    assert.equal(hostnameOf('Example.COM:80'), 'example.com');
    assert.equal(isLoopbackName('127.8.9.10'), true);
    assert.equal(isLoopbackName('localhost.'), true);
    assert.equal(isLoopbackName('127.0.0.1.evil.example'), false);
    assert.equal(isLoopbackName('10.0.0.1'), false);
  });
});
