import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';

const RPM = 'sk-rpm';
const TPM = 'sk-tpm';
const CONCURRENT = 'sk-concurrent';
const PRIORITY = 'sk-priority';

interface Answer {
  status: number;
  headers: Headers;
  body: { error?: { type: string; code: string; message: string }; usage?: { prompt_tokens: number; completion_tokens: number } };
}

describe('per-key limits', () => {
  let stack: TestStack;
  let now = Date.UTC(2026, 11, 1, 12);

  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      app: { now: () => now },
      config: {
        apiKeys: [
          { name: 'rpm-key', key: RPM, rpm: 2 },
          { name: 'tpm-key', key: TPM, tpm: 100 },
          { name: 'concurrent-key', key: CONCURRENT, maxConcurrent: 1 },
          { name: 'priority-key', key: PRIORITY, priority: 6, maxPriority: 3 },
        ],
      },
    });
  });
  after(() => stack.close());

  async function chat(key: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
      body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], ...extra }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
  }

  test('rpm: the request over the rate is 429 with Retry-After; every answer carries the request headers', async () => {
    const first = await chat(RPM);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-ratelimit-limit-requests'), '2');
    assert.equal(first.headers.get('x-ratelimit-remaining-requests'), '1');
    assert.equal(first.headers.get('x-ratelimit-reset-requests'), '30s');
    assert.equal(first.headers.get('x-ratelimit-limit-tokens'), null, 'no tpm, no token headers');
    assert.equal((await chat(RPM)).headers.get('x-ratelimit-remaining-requests'), '0');
    const refused = await chat(RPM);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error?.code, 'rate_limit_exceeded');
    assert.equal(refused.body.error?.type, 'rate_limit_error');
    assert.equal(refused.headers.get('retry-after'), '30');
    assert.equal(refused.headers.get('x-ratelimit-remaining-requests'), '0');
    assert.equal(refused.headers.get('x-ratelimit-reset-requests'), '1m0s');
    now += 30_000;
    assert.equal((await chat(RPM)).status, 200, 'one request refilled after 30 s');
  });

  test('tpm: max_tokens is reserved at admission and corrected by the real usage at the end', async () => {
    const first = await chat(TPM, { max_tokens: 60 });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-ratelimit-limit-tokens'), '100');
    assert.equal(first.headers.get('x-ratelimit-remaining-tokens'), '40', 'reserved 60 of 100');
    const used = first.body.usage!.prompt_tokens + first.body.usage!.completion_tokens;
    assert.ok(used < 60, `the simulator used ${used}`);
    // the answer has ended: the reservation is now the real count
    const second = await chat(TPM, { max_tokens: 30 });
    assert.equal(second.headers.get('x-ratelimit-remaining-tokens'), String(100 - used - 30));
    const secondUsed = second.body.usage!.prompt_tokens + second.body.usage!.completion_tokens;
    const refused = await chat(TPM, { max_tokens: 99 });
    assert.equal(refused.status, 429);
    assert.match(refused.body.error!.message, /100 tokens per minute/);
    const missing = 99 - (100 - used - secondUsed);
    assert.equal(refused.headers.get('retry-after'), String(Math.ceil((missing * 600) / 1000)));
    assert.equal(refused.headers.get('x-ratelimit-remaining-tokens'), String(100 - used - secondUsed));
    now += 60_000;
    const withoutBound = await chat(TPM);
    assert.equal(withoutBound.status, 200, 'a request without max_tokens reserves the default (1024), above tpm: a full bucket admits it');
    assert.equal(withoutBound.headers.get('x-ratelimit-remaining-tokens'), '0');
  });

  test('maxConcurrent: a second request while one runs is 429', async () => {
    stack.sim!.gate.hold();
    const running = chat(CONCURRENT, { stream: false });
    await stack.sim!.gate.whenWaiting(1);
    const refused = await chat(CONCURRENT);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.match(refused.body.error!.message, /1 requests at once/);
    stack.sim!.gate.release();
    assert.equal((await running).status, 200);
    assert.equal((await chat(CONCURRENT)).status, 200, 'the place came back when the request ended');
  });

  test('priority: less urgent freely, more urgent down to maxPriority, beyond that 403 naming the limit', async () => {
    assert.equal((await chat(PRIORITY, {}, { 'x-priority': '9' })).status, 200);
    assert.equal((await chat(PRIORITY, {}, { 'x-priority': '3' })).status, 200);
    const refused = await chat(PRIORITY, {}, { 'x-priority': '2' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error?.type, 'permission_error');
    assert.match(refused.body.error!.message, /maxPriority is 3/);
  });
});
