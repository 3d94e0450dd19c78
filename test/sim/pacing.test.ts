import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { writeChunk } from '../../src/sim/write-response.ts';
import { chatBody, collectUntilClosed, openStream, parseLines } from './sim-http.ts';

describe('latency knobs and backpressure', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());

  test('timeToFirstTokenMs delays the headers and the first line', async () => {
    sim.setOptions({ timeToFirstTokenMs: 120 });
    try {
      const started = performance.now();
      const { response } = openStream(sim.url, '/api/chat', chatBody('llama3.2', 'hi'));
      await response;
      assert.ok(performance.now() - started >= 110);
      await collectUntilClosed(await response);
    } finally {
      sim.setOptions({ timeToFirstTokenMs: 0 });
    }
  });

  test('tokensPerSecond spaces the lines; the done line reports the eval duration', async () => {
    sim.setOptions({ tokensPerSecond: 100, tokensPerAnswer: 6 });
    try {
      const started = performance.now();
      const { response } = openStream(sim.url, '/api/chat', chatBody('llama3.2', 'hi'));
      const { text } = await collectUntilClosed(await response);
      // Five 10 ms gaps, each a timer. Node starts a timer's count from the event loop's cached,
      // millisecond-truncated clock, so measured with performance.now() or hrtime a gap can come out a
      // little short (more so on a busy machine): 8 ms a gap leaves room for that.
      assert.ok(performance.now() - started >= 40, 'five 10 ms gaps');
      const done = parseLines(text).at(-1) as { eval_count: number; eval_duration: number };
      assert.equal(done.eval_count, 6);
      assert.ok(done.eval_duration >= 40e6, String(done.eval_duration));
    } finally {
      sim.setOptions({ tokensPerSecond: 0, tokensPerAnswer: 12 });
    }
  });

  test('a reader that pauses gets the whole long answer once it reads again', async () => {
    sim.setOptions({ tokensPerAnswer: 60_000 });
    try {
      const { response } = openStream(sim.url, '/api/chat', chatBody('llama3.2', 'very long'));
      const stream = await response;
      stream.pause();
      await new Promise((resolve) => setImmediate(resolve));
      const { text, ended } = await collectUntilClosed(stream);
      assert.equal(ended, true);
      const lines = parseLines(text);
      assert.equal(lines.length, 60_001);
      assert.equal(lines.at(-1)?.['eval_count'], 60_000);
    } finally {
      sim.setOptions({ tokensPerAnswer: 12 });
    }
  });

  test('writeChunk waits for drain when the socket buffer is full', async () => {
    const fake = Object.assign(new EventEmitter(), { destroyed: false, write: () => false }) as unknown as ServerResponse;
    let resolved = false;
    const written = writeChunk(fake, 'line\n').then((open) => {
      resolved = true;
      return open;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(resolved, false);
    fake.emit('drain');
    assert.equal(await written, true);
  });

  test('writeChunk stops waiting when the response closes', async () => {
    const fake = Object.assign(new EventEmitter(), { destroyed: false, write: () => false }) as unknown as ServerResponse & { destroyed: boolean };
    const written = writeChunk(fake, 'line\n');
    Object.assign(fake, { destroyed: true });
    fake.emit('close');
    assert.equal(await written, false);
  });
});
