import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { chatModel, startStack, type TestStack } from '../support/start-gateway.ts';

interface Answer {
  status: number;
  body: { error?: { message: string; type: string; param: string | null; code: string | null } } & Record<string, unknown>;
}

/** Model names that are members of `Object.prototype`. */
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

describe('hostile input is a 4xx in OpenAI shape, never a 500', () => {
  let stack: TestStack;
  const send = async (path: string, init: RequestInit = {}): Promise<Answer> => {
    const response = await fetch(`${stack.url}${path}`, { method: init.body === undefined ? 'GET' : 'POST', ...init, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
  const chat = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: {
        logLevel: 'info',
        // An alias named like a prototype member works as configured; the other names stay unknown.
        aliases: { valueOf: chatModel },
        models: { toString: { maxQueue: 0 }, hasOwnProperty: { maxConcurrent: 1 } },
      },
    });
  });
  after(() => stack.close());

  test('prototype names as the model, in every position, are a 404 model_not_found', async () => {
    for (const name of PROTOTYPE_NAMES.filter((candidate) => candidate !== 'valueOf')) {
      const answers = [
        await send('/v1/chat/completions', { body: chat(name) }),
        await send('/v1/chat/completions', { body: chat(chatModel), headers: { 'x-model': name } }),
        await send(`/v1/chat/completions?model=${name}`, { body: chat(chatModel) }),
        await send('/v1/completions', { body: JSON.stringify({ model: name, prompt: 'hi' }) }),
        await send('/v1/embeddings', { body: JSON.stringify({ model: name, input: 'hi' }) }),
        await send(`/v1/llm/${name}`, { body: JSON.stringify({ prompt: 'hi' }) }),
        await send(`/v1/models/${name}`),
      ];
      for (const [position, answer] of answers.entries()) {
        assert.equal(answer.status, 404, `${name} in position ${position}`);
        assert.equal(answer.body.error?.code, 'model_not_found', `${name} in position ${position}`);
      }
    }
    // Unknown names create no state (`hasOwnProperty` is configured, so it has an idle entry).
    assert.equal(JSON.stringify(stack.gateway.services.scheduler.snapshot()).includes('isPrototypeOf'), false);
  });

  test('an alias named like a prototype member resolves as configured', async () => {
    const answer = await send('/v1/chat/completions', { body: chat('valueOf') });
    assert.equal(answer.status, 200);
    assert.equal(answer.body['model'], 'valueOf');
    assert.equal((await send('/v1/models/valueOf')).status, 200);
  });

  test('JSON nested deeper than maxJsonDepth is a 400 before it is parsed; 60 levels pass', async () => {
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    for (const levels of [65, 5_000, 100_000]) {
      const answer = await send(`/v1/llm/${chatModel}`, { body: `{"prompt":"hi","options":{"stop":${deep(levels)}}}` });
      assert.equal(answer.status, 400, String(levels));
      assert.equal(answer.body.error?.code, 'json_too_deep');
    }
    // Brackets inside strings are text, not nesting.
    const text = await send(`/v1/llm/${chatModel}`, { body: JSON.stringify({ prompt: `${'['.repeat(500)} \\" {{{` }) });
    assert.equal(text.status, 200);
    const shallow = await send('/v1/chat/completions', { body: JSON.stringify({ model: chatModel, messages: [{ role: 'user', content: 'hi' }], metadata: JSON.parse(`{"a":${deep(60)}}`) as unknown }) });
    assert.notEqual(shallow.body.error?.code, 'json_too_deep');
  });

  test('a body that fails to decompress is a 400; an unknown encoding a 415', async () => {
    const notGzip = await send('/v1/chat/completions', { body: chat(chatModel), headers: { 'content-encoding': 'gzip' } });
    assert.equal(notGzip.status, 400);
    assert.equal(notGzip.body.error?.type, 'invalid_request_error');
    const truncatedGzip = await send('/v1/chat/completions', { body: gzipSync(chat(chatModel)).subarray(0, 20), headers: { 'content-encoding': 'gzip' } });
    assert.equal(truncatedGzip.status, 400);
    const gzip = await send('/v1/chat/completions', { body: gzipSync(chat(chatModel)), headers: { 'content-encoding': 'gzip' } });
    assert.equal(gzip.status, 200);
    const unknown = await send('/v1/chat/completions', { body: chat(chatModel), headers: { 'content-encoding': 'zstd-nope' } });
    assert.equal(unknown.status, 415);
    assert.equal(unknown.body.error?.code, 'unsupported_encoding');
  });

  test('malformed percent-encoding in a path is a 400 invalid_path', async () => {
    for (const [path, body] of [['/v1/models/%E0%A4%A', undefined], ['/v1/llm/%FF', '{"prompt":"hi"}'], ['/v1/llm/%E0%A4%A/pull', '{}'], ['/docs/assets/%FF', undefined]] as const) {
      const answer = await send(path, body === undefined ? {} : { body });
      assert.equal(answer.status, 400, path);
      assert.equal(answer.body.error?.code, 'invalid_path', path);
    }
  });

  test('an unknown key a route refuses is a 400 naming it as the param', async () => {
    const answer = await send(`/v1/llm/${chatModel}`, { body: JSON.stringify({ prompt: 'hi', temprature: 0.2 }) });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error?.param, 'temprature');
    assert.equal(answer.body.error?.code, 'unknown_parameter');
  });

  test('the log line of a 5xx names its cause', async () => {
    stack.sim!.injectFault({ kind: 'refuse', times: Infinity });
    try {
      const answer = await send('/v1/chat/completions', { body: chat(chatModel), headers: { 'x-request-id': 'cause-check-1' } });
      assert.ok(answer.status >= 500, String(answer.status));
    } finally {
      stack.sim!.clearFaults();
    }
    const line = stack.logs.find((entry) => entry['requestId'] === 'cause-check-1') as { error?: { cause?: { message?: string; type?: string } } } | undefined;
    assert.ok(line?.error?.cause, JSON.stringify(line));
    // The refused connection as the upstream client saw it: its error type and message.
    assert.equal(typeof line.error.cause.type, 'string');
    assert.match(line.error.cause.message ?? '', /closed|refused|ECONNREFUSED/);
  });
});
