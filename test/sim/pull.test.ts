import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { get, openStream, parseLines, post, readLines, waitFor } from './sim-http.ts';

interface Progress {
  status?: string;
  digest?: string;
  total?: number;
  completed?: number;
  error?: string;
}

describe('/api/pull', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());

  async function listTagNames(): Promise<string[]> {
    return (JSON.parse((await get(sim.url, '/api/tags')).text) as { models: Array<{ name: string }> }).models.map((model) => model.name);
  }

  test('streams manifest, layer progress, verify, write, success; then the model is installed', async () => {
    assert.equal((await listTagNames()).includes('phi4:latest'), false);
    const response = await post(sim.url, '/api/pull', { model: 'phi4' });
    assert.equal(response.contentType, 'application/x-ndjson');
    const lines = parseLines(response.text) as Progress[];
    assert.equal(lines[0]?.status, 'pulling manifest');
    assert.deepEqual(lines.slice(-3).map((line) => line.status), ['verifying sha256 digest', 'writing manifest', 'success']);
    const layerLines = lines.filter((line) => line.digest !== undefined);
    assert.ok(layerLines.length > 3);
    for (const line of layerLines) {
      assert.match(line.status ?? '', /^pulling [0-9a-f]{12}$/);
      assert.match(line.digest ?? '', /^sha256:[0-9a-f]{64}$/);
      assert.equal(line.status, `pulling ${line.digest?.slice(7, 19)}`);
    }
    assert.equal(layerLines[0]?.completed, undefined, 'completed is missing until progress is made');
    const lastOfFirstLayer = layerLines.filter((line) => line.digest === layerLines[0]?.digest).at(-1);
    assert.equal(lastOfFirstLayer?.completed, lastOfFirstLayer?.total);
    assert.ok((await listTagNames()).includes('phi4:latest'));
  });

  test('an installed model reports its layers as already complete', async () => {
    const lines = parseLines((await post(sim.url, '/api/pull', { model: 'llama3.2' })).text) as Progress[];
    const layerLines = lines.filter((line) => line.digest !== undefined);
    assert.ok(layerLines.every((line) => line.completed === line.total));
  });

  test('stream:false answers only {"status":"success"}', async () => {
    const response = await post(sim.url, '/api/pull', { model: 'mistral', stream: false });
    assert.deepEqual([response.status, JSON.parse(response.text)], [200, { status: 'success' }]);
  });

  test('an unknown name: pulling manifest, then an error line with HTTP 200 (500 when not streamed)', async () => {
    const response = await post(sim.url, '/api/pull', { model: 'missing-model' });
    assert.equal(response.status, 200);
    assert.deepEqual(parseLines(response.text), [{ status: 'pulling manifest' }, { error: 'pull model manifest: file does not exist' }]);
    const whole = await post(sim.url, '/api/pull', { model: 'nonexistent', stream: false });
    assert.deepEqual([whole.status, JSON.parse(whole.text)], [500, { error: 'pull model manifest: file does not exist' }]);
    assert.equal((await post(sim.url, '/api/pull', { model: 'bad name' })).status, 400);
    assert.equal((await listTagNames()).includes('missing-model:latest'), false);
  });

  test('a paced pull that the client abandons is counted as aborted and installs nothing', async () => {
    sim.setOptions({ pullBytesPerSecond: 1_000_000 });
    try {
      const abortedBefore = sim.stats.aborted;
      const { response, abort } = openStream(sim.url, '/api/pull', { model: 'slowpull' });
      await readLines(await response, 3);
      abort();
      await waitFor(() => sim.stats.aborted === abortedBefore + 1);
      assert.equal((await listTagNames()).includes('slowpull:latest'), false);
    } finally {
      sim.setOptions({ pullBytesPerSecond: 0 });
    }
  });
});
