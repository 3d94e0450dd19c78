import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { post } from './sim-http.ts';

interface EmbedResponse {
  model: string;
  embeddings: number[][];
  prompt_eval_count?: number;
  total_duration?: number;
  load_duration?: number;
}

function norm(vector: number[]): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

describe('/api/embed and /api/embeddings', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());

  async function embed(body: Record<string, unknown>): Promise<EmbedResponse> {
    const response = await post(sim.url, '/api/embed', body);
    assert.equal(response.status, 200, response.text);
    return JSON.parse(response.text) as EmbedResponse;
  }

  test('one L2-normalised vector per input, of the model dimension, deterministic per text', async () => {
    const first = await embed({ model: 'nomic-embed-text', input: ['hello world', 'good bye now'] });
    assert.equal(first.model, 'nomic-embed-text');
    assert.equal(first.embeddings.length, 2);
    for (const vector of first.embeddings) {
      assert.equal(vector.length, 768);
      assert.ok(Math.abs(norm(vector) - 1) < 1e-5);
    }
    assert.notDeepEqual(first.embeddings[0], first.embeddings[1]);
    const again = await embed({ model: 'nomic-embed-text', input: 'hello world' });
    assert.deepEqual(again.embeddings[0], first.embeddings[0]);
    assert.equal(first.prompt_eval_count, 5);
    assert.ok((first.total_duration ?? 0) > 0 && (first.load_duration ?? 0) > 0);
  });

  test('dimensions truncates and re-normalises', async () => {
    const full = await embed({ model: 'nomic-embed-text', input: 'truncate me' });
    const short = await embed({ model: 'nomic-embed-text', input: 'truncate me', dimensions: 4 });
    const vector = short.embeddings[0]!;
    assert.equal(vector.length, 4);
    assert.ok(Math.abs(norm(vector) - 1) < 1e-5);
    const head = full.embeddings[0]!.slice(0, 4);
    const ratio = vector[0]! / head[0]!;
    vector.forEach((value, index) => assert.ok(Math.abs(value / head[index]! - ratio) < 1e-4));
  });

  test('an empty input gives no embeddings', async () => {
    assert.deepEqual(await embed({ model: 'nomic-embed-text', input: [] }), { model: 'nomic-embed-text', embeddings: [] });
  });

  test('errors: unknown model, bad input type, input over the context with truncate false', async () => {
    const unknown = await post(sim.url, '/api/embed', { model: 'nope', input: 'x' });
    assert.equal(unknown.status, 404);
    assert.deepEqual(JSON.parse(unknown.text), { error: 'model "nope" not found, try pulling it first' });
    const badInput = await post(sim.url, '/api/embed', { model: 'nomic-embed-text', input: [[1, 2]] });
    assert.equal(badInput.status, 400);
    assert.deepEqual(JSON.parse(badInput.text), { error: 'invalid input type' });
    const long = 'word '.repeat(3000);
    const tooLong = await post(sim.url, '/api/embed', { model: 'nomic-embed-text', input: long, truncate: false });
    assert.equal(tooLong.status, 400);
    assert.deepEqual(JSON.parse(tooLong.text), { error: 'the input length exceeds the context length' });
    assert.equal((await post(sim.url, '/api/embed', { model: 'nomic-embed-text', input: long })).status, 200);
  });

  test('the deprecated /api/embeddings returns {embedding} from the same vectors', async () => {
    const legacy = JSON.parse((await post(sim.url, '/api/embeddings', { model: 'nomic-embed-text', prompt: 'hello world' })).text) as { embedding: number[] };
    const modern = await embed({ model: 'nomic-embed-text', input: 'hello world' });
    assert.deepEqual(legacy.embedding, modern.embeddings[0]);
  });
});
