import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { chatBody, collectUntilClosed, openStream, parseLines, post } from './sim-http.ts';

describe('injected faults', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());
  beforeEach(() => sim.clearFaults());

  test('refuse drops the connection without a response, once by default', async () => {
    sim.injectFault({ kind: 'refuse' });
    const abortedBefore = sim.stats.aborted;
    await assert.rejects(post(sim.url, '/api/chat', chatBody('llama3.2', 'hi')), (error: unknown) => {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
    });
    assert.equal((await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi'))).status, 200);
    assert.equal(sim.stats.aborted, abortedBefore, 'the simulator closing a socket is not a client abort');
  });

  test('status500 and status503busy answer with Ollama error bodies', async () => {
    sim.injectFault({ kind: 'status500' });
    const failed = await post(sim.url, '/api/generate', { model: 'llama3.2', prompt: 'hi' });
    assert.equal(failed.status, 500);
    assert.equal(typeof (JSON.parse(failed.text) as { error: unknown }).error, 'string');
    sim.injectFault({ kind: 'status503busy' });
    const busy = await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi'));
    assert.equal(busy.status, 503);
    assert.deepEqual(JSON.parse(busy.text), { error: 'server busy, please try again.  maximum pending requests exceeded' });
  });

  test('stall sends headers and then nothing until the client aborts', async () => {
    sim.injectFault({ kind: 'stall' });
    const abortedBefore = sim.stats.aborted;
    const { response, abort } = openStream(sim.url, '/api/chat', chatBody('llama3.2', 'hi'));
    const headers = await response;
    assert.equal(headers.statusCode, 200);
    assert.equal(headers.headers['content-type'], 'application/x-ndjson');
    assert.equal(sim.stats.openRequests, 1);
    abort();
    await sim.stats.whenIdle();
    assert.equal(sim.stats.aborted, abortedBefore + 1);
  });

  test('cut streams afterTokens lines, then the connection dies without a done line', async () => {
    sim.injectFault({ kind: 'cut', afterTokens: 2 });
    const abortedBefore = sim.stats.aborted;
    const { response } = openStream(sim.url, '/api/chat', chatBody('llama3.2', 'hi'));
    const { text, ended } = await collectUntilClosed(await response);
    assert.equal(ended, false, 'the body never ends cleanly');
    const lines = parseLines(text);
    assert.equal(lines.length, 2);
    assert.ok(lines.every((line) => line['done'] === false));
    await sim.stats.whenIdle();
    assert.equal(sim.stats.aborted, abortedBefore);
  });

  test('malformed puts a non-JSON line mid-stream and carries on', async () => {
    sim.injectFault({ kind: 'malformed', afterTokens: 1 });
    const lines = (await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi'))).text.split('\n').filter(Boolean);
    assert.equal(lines.length, 14);
    assert.throws(() => JSON.parse(lines[1]!));
    assert.equal((JSON.parse(lines.at(-1)!) as { done: boolean }).done, true);
  });

  test('errorLine ends a 200 stream with an error line and no done line; a 500 when not streamed', async () => {
    sim.injectFault({ kind: 'errorLine', afterTokens: 3, times: 2 });
    const streamed = await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi'));
    assert.equal(streamed.status, 200);
    const lines = parseLines(streamed.text);
    assert.equal(lines.length, 4);
    assert.deepEqual(lines[3], { error: 'an error was encountered while running the model' });
    const whole = await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi', { stream: false }));
    assert.deepEqual([whole.status, JSON.parse(whole.text)], [500, { error: 'an error was encountered while running the model' }]);
  });

  test('a fault with a route spares other routes; without one it hits embed too', async () => {
    sim.injectFault({ kind: 'status500', route: '/api/generate' });
    assert.equal((await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi'))).status, 200);
    assert.equal((await post(sim.url, '/api/generate', { model: 'llama3.2', prompt: 'hi' })).status, 500);
    sim.injectFault({ kind: 'status500' });
    assert.equal((await post(sim.url, '/api/embed', { model: 'nomic-embed-text', input: 'hi' })).status, 500);
    sim.injectFault({ kind: 'status500' });
    assert.equal((await post(sim.url, '/api/show', { model: 'llama3.2' })).status, 200, 'model admin routes are not generation routes');
    assert.equal((await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi'))).status, 500);
  });

  test('times counts uses; Infinity lasts until clearFaults', async () => {
    sim.injectFault({ kind: 'status503busy', times: 2 });
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi'))).status);
    assert.deepEqual(statuses, [503, 503, 200]);
    sim.injectFault({ kind: 'status503busy', times: Infinity });
    for (let index = 0; index < 3; index++) assert.equal((await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi'))).status, 503);
    sim.clearFaults();
    assert.equal((await post(sim.url, '/api/chat', chatBody('llama3.2', 'hi'))).status, 200);
  });

  test('cut on a non-streamed embed sends half a body and dies', async () => {
    sim.injectFault({ kind: 'cut', route: '/api/embed' });
    const { response } = openStream(sim.url, '/api/embed', { model: 'nomic-embed-text', input: 'hi' });
    const { text, ended } = await collectUntilClosed(await response);
    assert.equal(ended, false);
    assert.ok(text.startsWith('{"model":"nomic-embed-text","embeddings":[['));
  });
});
