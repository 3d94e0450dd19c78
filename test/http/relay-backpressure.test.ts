import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { Response } from 'express';
import type { ModelCall } from '../../src/http/model-call.ts';
import { relayAsSse } from '../../src/http/relay-sse.ts';
import type { RequestContext } from '../../src/http/request-context.ts';

/** A response whose socket buffer is "full" until the test emits 'drain'. */
function createSlowResponse() {
  const emitter = new EventEmitter();
  const written: string[] = [];
  const context: Partial<RequestContext> = { abort: new AbortController(), startedAt: 0 };
  const res = Object.assign(emitter, {
    headersSent: false,
    destroyed: false,
    writableEnded: false,
    locals: { context },
    req: { headers: {} },
    writeHead() {
      res.headersSent = true;
      return res;
    },
    flushHeaders() {},
    write(text: string) {
      written.push(text);
      return false;
    },
    end(text?: string) {
      if (text !== undefined) written.push(text);
      res.writableEnded = true;
    },
  });
  return { res, written };
}

/** An upstream body of `lines` NDJSON lines that counts how many the relay has pulled. */
function createCountingCall(lines: number): { call: ModelCall; pulled: () => number } {
  let pulled = 0;
  async function* body(): AsyncGenerator<Uint8Array> {
    for (let index = 0; index < lines; index++) {
      pulled++;
      yield Buffer.from(`${JSON.stringify({ index })}\n`);
    }
  }
  const call = {
    response: { status: 200, headers: {}, body: body(), retries: 0 },
    signal: new AbortController().signal,
    release() {},
    recordFailure() {},
    recordAnswerTimings() {},
  } as unknown as ModelCall;
  return { call, pulled: () => pulled };
}

test('a reader that stops reading stops the upstream read: nothing piles up in the gateway', async () => {
  const { res, written } = createSlowResponse();
  const { call, pulled } = createCountingCall(10_000);
  const relay = relayAsSse(res as unknown as Response, {
    count: 1,
    start: async () => call,
    mappers: [(line) => [line]],
    finish: () => [],
  });
  // Let the relay run until it blocks on the full socket buffer.
  for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
  const pulledWhileBlocked = pulled();
  assert.ok(pulledWhileBlocked <= 2, `read ${pulledWhileBlocked} lines ahead of a reader that reads nothing`);
  assert.equal(written.length, 1);
  // Each 'drain' lets exactly one more frame through.
  res.emit('drain');
  for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(written.length, 2);
  assert.ok(pulled() <= pulledWhileBlocked + 1);
  // The client goes away: the relay stops without reading the rest.
  res.destroyed = true;
  res.emit('close');
  await relay;
  assert.ok(pulled() < 10);
});
