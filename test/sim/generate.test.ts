import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { parseLines, post } from './sim-http.ts';

interface GenerateLine {
  model: string;
  response: string;
  thinking?: string;
  done: boolean;
  done_reason?: string;
  context?: number[];
  prompt_eval_count?: number;
  eval_count?: number;
}

describe('/api/generate', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ models: [{ name: 'coder', capabilities: ['completion', 'insert'] }, { name: 'llama3.2', capabilities: ['completion'] }, { name: 'qwen3', capabilities: ['completion', 'thinking'] }, { name: 'embedder', capabilities: ['embedding'] }] });
  });
  after(() => sim.close());

  test('streams response lines by default; the done line carries context and counts', async () => {
    const response = await post(sim.url, '/api/generate', { model: 'llama3.2', prompt: 'why is the sky blue' });
    assert.equal(response.contentType, 'application/x-ndjson');
    const lines = parseLines(response.text) as unknown as GenerateLine[];
    assert.equal(lines.length, 13);
    assert.ok(lines.slice(0, -1).every((line) => !line.done && line.response !== '' && line.context === undefined));
    const done = lines.at(-1)!;
    assert.equal(done.done_reason, 'stop');
    assert.equal(done.response, '');
    assert.equal(done.prompt_eval_count, 5);
    assert.equal(done.eval_count, 12);
    assert.ok(Array.isArray(done.context) && done.context.length === 5 + 12);
    assert.deepEqual(Object.keys(done).slice(0, 6), ['model', 'created_at', 'response', 'done', 'done_reason', 'context']);
  });

  test('stream:false returns one object with the same text', async () => {
    const streamed = parseLines((await post(sim.url, '/api/generate', { model: 'llama3.2', prompt: 'same text' })).text) as unknown as GenerateLine[];
    const whole = JSON.parse((await post(sim.url, '/api/generate', { model: 'llama3.2', prompt: 'same text', stream: false })).text) as GenerateLine;
    assert.equal(whole.response, streamed.map((line) => line.response).join(''));
    assert.equal(whole.done, true);
  });

  test('raw mode leaves context out; raw with system is a 400', async () => {
    const whole = JSON.parse((await post(sim.url, '/api/generate', { model: 'llama3.2', prompt: 'raw', raw: true, stream: false })).text) as GenerateLine;
    assert.equal(whole.context, undefined);
    const refused = await post(sim.url, '/api/generate', { model: 'llama3.2', prompt: 'raw', raw: true, system: 'x' });
    assert.equal(refused.status, 400);
  });

  test('thinking models put thinking first on generate too', async () => {
    const lines = parseLines((await post(sim.url, '/api/generate', { model: 'qwen3', prompt: 'think' })).text) as unknown as GenerateLine[];
    assert.ok((lines[0]!.thinking ?? '') !== '');
    assert.equal(lines[0]!.response, '');
  });

  test('num_predict gives done_reason length', async () => {
    const lines = parseLines((await post(sim.url, '/api/generate', { model: 'llama3.2', prompt: 'x', options: { num_predict: 2 } })).text) as unknown as GenerateLine[];
    assert.equal(lines.length, 3);
    assert.equal(lines.at(-1)!.done_reason, 'length');
  });

  test('an empty prompt loads the model', async () => {
    const whole = JSON.parse((await post(sim.url, '/api/generate', { model: 'llama3.2' })).text) as GenerateLine;
    assert.deepEqual([whole.done, whole.done_reason, whole.response], [true, 'load', '']);
  });

  test('errors: empty model, unknown model, embedding model, suffix without insert', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ prompt: 'x' }, 404, "model '' not found"],
      [{ model: 'nope', prompt: 'x' }, 404, "model 'nope' not found"],
      [{ model: 'embedder', prompt: 'x' }, 400, '"embedder" does not support generate'],
      [{ model: 'llama3.2', prompt: 'x', suffix: 'y' }, 400, 'registry.ollama.ai/library/llama3.2:latest does not support insert'],
    ];
    for (const [body, status, message] of cases) {
      const response = await post(sim.url, '/api/generate', body);
      assert.equal(response.status, status);
      assert.deepEqual(JSON.parse(response.text), { error: message });
    }
    assert.equal((await post(sim.url, '/api/generate', { model: 'coder', prompt: 'x', suffix: 'y', stream: false })).status, 200);
  });
});
