import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';

let stack: TestStack;

before(async () => {
  stack = await startStack({ requireSimulator: true });
});
after(() => stack.close());

interface WriteLog {
  /** Per `write` on the response: the listener counts at that moment and whether it met backpressure. */
  writes: Array<{ close: number; drain: number; full: boolean; frames: number }>;
}

/** Watches the next response the gateway writes, from inside the server. */
function watchNextResponse(): WriteLog {
  const log: WriteLog = { writes: [] };
  stack.server.once('request', (_req, res: ServerResponse) => {
    const write = res.write.bind(res) as (chunk: string | Uint8Array) => boolean;
    res.write = ((chunk: string | Uint8Array) => {
      const full = !write(chunk);
      const frames = String(chunk).split('\n\n').length - 1;
      log.writes.push({ close: res.listenerCount('close'), drain: res.listenerCount('drain'), full, frames });
      return !full;
    }) as typeof res.write;
  });
  return log;
}

/** POSTs a streaming chat request; `onData` sees each chunk as the client receives it. */
function streamChat(body: object, onData: (chunk: Buffer, response: IncomingMessage) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = httpRequest(`${stack.url}/v1/chat/completions`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } });
    request.on('error', reject);
    request.on('response', (response) => {
      response.on('data', (chunk: Buffer) => onData(chunk, response));
      response.on('end', resolve);
      response.on('error', reject);
    });
    request.end(payload);
  });
}

test('a slow reader over a long stream leaves at most one drain listener and no growing close listeners', async () => {
  stack.sim!.setOptions({ tokensPerSecond: 0, tokensPerAnswer: 20_000 });
  const log = watchNextResponse();
  // The reader takes one chunk per turn of the event loop: slower than the gateway writes.
  await streamChat({ model: 'llama3.2', stream: true, messages: [{ role: 'user', content: 'long' }] }, (_chunk, response) => {
    response.pause();
    setImmediate(() => response.resume());
  });
  stack.sim!.setOptions({ tokensPerAnswer: 12 });
  assert.ok(log.writes.some((write) => write.full), 'the stream met backpressure');
  const closeAtStart = log.writes[0]!.close;
  assert.ok(log.writes.every((write) => write.close <= closeAtStart), `close listeners grew: ${Math.max(...log.writes.map((write) => write.close))} > ${closeAtStart}`);
  assert.ok(log.writes.every((write) => write.drain <= 1), `drain listeners: ${Math.max(...log.writes.map((write) => write.drain))}`);
});

test('frames made in one turn leave in one write', async () => {
  stack.sim!.setOptions({ tokensPerSecond: 0, tokensPerAnswer: 50 });
  const log = watchNextResponse();
  await streamChat({ model: 'llama3.2', stream: true, messages: [{ role: 'user', content: 'batch' }] }, () => {});
  stack.sim!.setOptions({ tokensPerAnswer: 12 });
  const frames = log.writes.reduce((sum, write) => sum + write.frames, 0);
  assert.ok(frames >= 50, `frames: ${frames}`);
  assert.ok(log.writes.length < frames / 2, `${log.writes.length} writes for ${frames} frames`);
});

test('coalescing does not hold tokens back: paced tokens arrive one by one', async () => {
  stack.sim!.setOptions({ tokensPerSecond: 50, tokensPerAnswer: 5 });
  const arrivals: number[] = [];
  await streamChat({ model: 'llama3.2', stream: true, messages: [{ role: 'user', content: 'paced' }] }, (chunk) => {
    const contentFrames = chunk.toString('utf8').split('\n\n').filter((frame) => frame.includes('"content"'));
    if (contentFrames.length > 0) arrivals.push(contentFrames.length);
  });
  stack.sim!.setOptions({ tokensPerSecond: 0, tokensPerAnswer: 12 });
  // Each paced token is its own upstream chunk, so it reaches the client in its own chunk.
  assert.ok(arrivals.length >= 5, `content arrived in ${arrivals.length} chunks: ${JSON.stringify(arrivals)}`);
});
