import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { ServerResponse } from 'node:http';
import { readOllamaLines } from '../../src/generation/read-ollama-lines.ts';
import { pipeToResponse } from '../../src/http/pipe-to-response.ts';
import { encodeSseData } from '../../src/http/sse-writer.ts';

/** A response whose socket buffer is "full" until the test emits 'drain'. */
function createSlowResponse() {
  const emitter = new EventEmitter();
  const written: string[] = [];
  const res = Object.assign(emitter, {
    headersSent: false,
    destroyed: false,
    writableEnded: false,
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

/** An upstream body of `lines` NDJSON lines, one per chunk, that counts how many the relay has pulled. */
function createCountingBody(lines: number): { body: AsyncGenerator<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  async function* body(): AsyncGenerator<Uint8Array> {
    for (let index = 0; index < lines; index++) {
      pulled++;
      yield Buffer.from(`${JSON.stringify({ index })}\n`);
    }
  }
  return { body: body(), pulled: () => pulled };
}

/** The relay loop of the streaming routes: one write per upstream chunk, waiting for 'drain' when told to. */
async function relay(res: ServerResponse, body: AsyncIterable<Uint8Array>): Promise<void> {
  const pipe = pipeToResponse(res);
  for await (const batch of readOllamaLines(body)) {
    if (!pipe.write(encodeSseData(batch)) && !(await pipe.drained())) return;
  }
}

test('a reader that stops reading stops the upstream read: nothing piles up in the gateway', async () => {
  const { res, written } = createSlowResponse();
  const { body, pulled } = createCountingBody(10_000);
  const relaying = relay(res as unknown as ServerResponse, body);
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
  await relaying;
  assert.ok(pulled() < 10);
});
