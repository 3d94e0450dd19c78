import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chatModel, startStack, type TestStack } from '../support/start-gateway.ts';
import { sendRaw, type RawResponse } from '../support/send-raw-request.ts';

const KEY = 'sk-server';

describe("Node's HTTP layer answers in the route's dialect (createGatewayServer)", () => {
  let stack: TestStack;
  let port: number;
  /** Sends raw bytes and expects a complete answer. */
  const exchange = async (text: string, endAfterSending = false): Promise<RawResponse> => {
    const outcome = await sendRaw(port, Buffer.from(text, 'latin1'), { timeoutMs: 10_000, endAfterSending });
    assert.equal(outcome.kind, 'response', text.slice(0, 60));
    return (outcome as { response: RawResponse }).response;
  };
  const json = (response: RawResponse): unknown => JSON.parse(response.body.toString('utf8'));
  const head = (method: string, path: string, extra = ''): string => `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${KEY}\r\nconnection: close\r\n${extra}`;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent', apiKeys: [KEY] } });
    port = (stack.server.address() as AddressInfo).port;
  });
  after(() => stack.close());

  test('headers over the limit: 431 in OpenAI shape on /v1, Ollama shape on /api, no body for HEAD', async () => {
    const oversized = `x-big: ${'b'.repeat(20_000)}\r\n\r\n`;
    const openai = await exchange(head('GET', '/v1/models', oversized));
    assert.equal(openai.status, 431);
    assert.deepEqual(json(openai), { error: { message: 'The request headers are larger than the gateway accepts.', type: 'invalid_request_error', param: null, code: 'invalid_http' } });
    const ollama = await exchange(head('GET', '/api/tags', oversized));
    assert.equal(ollama.status, 431);
    assert.deepEqual(json(ollama), { error: 'The request headers are larger than the gateway accepts.' });
    const headOnly = await exchange(head('HEAD', '/v1/models', oversized));
    assert.equal(headOnly.status, 431);
    assert.equal(headOnly.body.length, 0);
  });

  test('bad framing: 400 in the dialect of the route whose body broke', async () => {
    const badChunk = 'transfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n';
    const openai = await exchange(head('POST', '/v1/chat/completions', badChunk));
    assert.equal(openai.status, 400);
    assert.equal((json(openai) as { error: { code: string } }).error.code, 'invalid_http');
    const ollama = await exchange(head('POST', '/api/chat', badChunk));
    assert.equal(ollama.status, 400);
    assert.equal(typeof (json(ollama) as { error: unknown }).error, 'string');
    const garbage = await exchange('NOT HTTP AT ALL\r\n\r\n');
    assert.equal(garbage.status, 400);
    assert.equal((json(garbage) as { error: { type: string } }).error.type, 'invalid_request_error');
  });

  test('an Expect other than 100-continue: 417 in the route dialect, nothing reaches Ollama', async () => {
    const before = stack.sim!.stats.receivedCount;
    const openai = await exchange(head('POST', '/v1/chat/completions', 'expect: teapot\r\ncontent-length: 2\r\n\r\n{}'));
    assert.equal(openai.status, 417);
    assert.equal((json(openai) as { error: { code: string } }).error.code, 'expectation_failed');
    const ollama = await exchange(head('POST', '/api/chat', 'expect: teapot\r\ncontent-length: 2\r\n\r\n{}'));
    assert.equal(ollama.status, 417);
    assert.match((json(ollama) as { error: string }).error, /Expect: teapot is not supported/);
    assert.equal(stack.sim!.stats.received.filter((received) => received.sequence > before && received.path === '/api/chat').length, 0);
  });

  test("on /v1/messages* the same refusals are Anthropic's error body, with Anthropic's error types", async () => {
    const oversized = await exchange(head('POST', '/v1/messages', `x-big: ${'b'.repeat(20_000)}\r\n\r\n`));
    assert.equal(oversized.status, 431);
    assert.deepEqual(json(oversized), { type: 'error', error: { type: 'invalid_request_error', message: 'The request headers are larger than the gateway accepts.' } });
    const badChunk = await exchange(head('POST', '/v1/messages/count_tokens', 'transfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'));
    assert.equal(badChunk.status, 400);
    assert.equal((json(badChunk) as { type: string; error: { type: string } }).type, 'error');
    assert.equal((json(badChunk) as { error: { type: string } }).error.type, 'invalid_request_error');
    const expectation = await exchange(head('POST', '/v1/messages', 'expect: teapot\r\ncontent-length: 2\r\n\r\n{}'));
    assert.equal(expectation.status, 417);
    assert.deepEqual(json(expectation), { type: 'error', error: { type: 'invalid_request_error', message: 'Expect: teapot is not supported; only 100-continue is.' } });
  });

  test('Expect: 100-continue on a native generation route is answered, and neither it nor the key is passed on', async () => {
    const body = JSON.stringify({ model: chatModel, messages: [{ role: 'user', content: 'hi' }], stream: false });
    const before = stack.sim!.stats.receivedCount;
    const answer = await exchange(head('POST', '/api/chat', `expect: 100-continue\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`));
    assert.equal(answer.status, 200);
    assert.equal((json(answer) as { done: boolean }).done, true);
    const reached = stack.sim!.stats.received.filter((received) => received.sequence > before && received.path === '/api/chat');
    assert.equal(reached.length, 1);
    assert.equal(reached[0]!.headers['expect'], undefined);
    assert.equal(reached[0]!.headers['authorization'], undefined);
  });

  test('Connection: close is honoured on a streamed answer', async () => {
    const body = JSON.stringify({ model: chatModel, messages: [{ role: 'user', content: 'hi' }], stream: true });
    const answer = await exchange(head('POST', '/v1/chat/completions', `content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`));
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['connection'], 'close');
    assert.match(answer.body.toString('utf8'), /data: \[DONE\]/);
  });
});
