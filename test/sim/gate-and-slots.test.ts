import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { chatBody, collectUntilClosed, get, openStream, parseLines, post, readLines, waitFor } from './sim-http.ts';

describe('gate, per-model parallelism and stats', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.clearFaults();
    sim.setOptions({ parallelPerModel: 0, tokensPerSecond: 0, tokensPerAnswer: 12 });
    sim.stats.reset();
  });

  test('a held gate parks generation requests before any byte; release lets them all finish', async () => {
    sim.gate.hold();
    assert.equal(sim.gate.held, true);
    let answered = 0;
    const pending = [1, 2, 3].map((index) => openStream(sim.url, '/api/chat', chatBody('llama3.2', `parked ${index}`)).response.then((response) => {
      answered++;
      return collectUntilClosed(response);
    }));
    await sim.gate.whenWaiting(3);
    assert.equal(sim.gate.waiting, 3);
    assert.equal(sim.stats.openRequests, 3);
    assert.equal(answered, 0, 'no headers were sent while parked');
    assert.equal(sim.stats.maxConcurrency['llama3.2:latest'], 3);
    sim.gate.release();
    assert.equal(sim.gate.held, false);
    for (const result of await Promise.all(pending)) assert.equal(parseLines(result.text).at(-1)?.['done'], true);
    await sim.stats.whenIdle();
    assert.equal(sim.gate.waiting, 0);
  });

  test('requests that fail validation are not parked', async () => {
    sim.gate.hold();
    try {
      assert.equal((await post(sim.url, '/api/chat', chatBody('nope', 'hi'))).status, 404);
      assert.equal((await get(sim.url, '/api/tags')).status, 200);
    } finally {
      sim.gate.release();
    }
  });

  test('a client leaving while parked is counted as aborted and leaves the gate', async () => {
    sim.gate.hold();
    try {
      const { response, abort } = openStream(sim.url, '/api/chat', chatBody('llama3.2', 'leave'));
      response.catch(() => undefined);
      await sim.gate.whenWaiting(1);
      abort();
      await sim.stats.whenIdle();
      assert.equal(sim.gate.waiting, 0);
      assert.equal(sim.stats.aborted, 1);
    } finally {
      sim.gate.release();
    }
  });

  test('parallelPerModel queues generations beyond N per model inside the simulator', async () => {
    sim.setOptions({ parallelPerModel: 1 });
    sim.injectFault({ kind: 'stall', route: '/api/chat' });
    const first = openStream(sim.url, '/api/chat', chatBody('llama3.2', 'holds the slot'));
    await first.response;
    let secondAnswered = false;
    const second = openStream(sim.url, '/api/chat', chatBody('llama3.2', 'waits for it'));
    const secondBody = second.response.then((response) => {
      secondAnswered = true;
      return collectUntilClosed(response);
    });
    await waitFor(() => sim.stats.openRequests === 2);
    const otherModel = await post(sim.url, '/api/chat', chatBody('gemma3', 'another model has its own slot', { stream: false }));
    assert.equal(otherModel.status, 200);
    assert.equal(secondAnswered, false);
    assert.equal(sim.stats.maxRunning['llama3.2:latest'], 1);
    assert.equal(sim.stats.maxConcurrency['llama3.2:latest'], 2);
    first.abort();
    const { text } = await secondBody;
    assert.equal(parseLines(text).at(-1)?.['done'], true);
    assert.equal(sim.stats.aborted, 1);
  });

  test('raising parallelPerModel at run time starts queued requests', async () => {
    sim.setOptions({ parallelPerModel: 1 });
    sim.injectFault({ kind: 'stall', route: '/api/chat' });
    const first = openStream(sim.url, '/api/chat', chatBody('llama3.2', 'holds the slot'));
    await first.response;
    const second = post(sim.url, '/api/chat', chatBody('llama3.2', 'queued', { stream: false }));
    await waitFor(() => sim.stats.openRequests === 2);
    sim.setOptions({ parallelPerModel: 2 });
    assert.equal((await second).status, 200);
    assert.equal(sim.stats.maxRunning['llama3.2:latest'], 2);
    first.abort();
    await sim.stats.whenIdle();
  });

  test('a client that aborts mid-stream is counted once, and its generation stops and frees the slot', async () => {
    sim.setOptions({ tokensPerSecond: 200, tokensPerAnswer: 10_000, parallelPerModel: 1 });
    const { response, abort } = openStream(sim.url, '/api/chat', chatBody('llama3.2', 'a long story'));
    await readLines(await response, 2);
    assert.equal(sim.stats.openRequests, 1);
    abort();
    await sim.stats.whenIdle();
    assert.equal(sim.stats.openRequests, 0);
    assert.equal(sim.stats.aborted, 1);
    sim.setOptions({ tokensPerSecond: 0, tokensPerAnswer: 3 });
    assert.equal((await post(sim.url, '/api/chat', chatBody('llama3.2', 'next', { stream: false }))).status, 200);
  });

  test('completed requests are not counted as aborted; reset clears the counters', async () => {
    await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi'));
    await post(sim.url, '/api/embed', { model: 'nomic-embed-text', input: 'hi' });
    assert.equal(sim.stats.aborted, 0);
    assert.equal(sim.stats.requests['/api/embed'], 1);
    assert.equal(sim.stats.maxConcurrency['nomic-embed-text:latest'], 1);
    sim.stats.reset();
    assert.deepEqual([sim.stats.requests, sim.stats.maxConcurrency, sim.stats.lastBody, sim.stats.aborted], [{}, {}, {}, 0]);
  });
});
