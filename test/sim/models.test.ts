import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { chatBody, get, post } from './sim-http.ts';

interface RunningModel {
  name: string;
  expires_at: string;
  size: number;
  size_vram: number;
  context_length: number;
}

describe('health, version, tags, show, ps, delete, copy', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());

  async function listRunning(): Promise<RunningModel[]> {
    return (JSON.parse((await get(sim.url, '/api/ps')).text) as { models: RunningModel[] }).models;
  }

  async function listTagNames(): Promise<string[]> {
    return (JSON.parse((await get(sim.url, '/api/tags')).text) as { models: Array<{ name: string }> }).models.map((model) => model.name);
  }

  test('GET and HEAD / answer "Ollama is running"', async () => {
    const root = await get(sim.url, '/');
    assert.deepEqual([root.status, root.text], [200, 'Ollama is running']);
    assert.match(root.contentType, /^text\/plain/);
    const head = await get(sim.url, '/', 'HEAD');
    assert.deepEqual([head.status, head.text], [200, '']);
  });

  test('version, and unknown routes and methods', async () => {
    assert.deepEqual(JSON.parse((await get(sim.url, '/api/version')).text), { version: '0.33.0' });
    const missing = await get(sim.url, '/api/nothing');
    assert.deepEqual([missing.status, missing.text], [404, '404 page not found']);
    assert.match(missing.contentType, /^text\/plain/);
    assert.equal((await get(sim.url, '/api/chat')).status, 405);
  });

  test('tags list the default models with details and capabilities; HEAD works', async () => {
    const tags = JSON.parse((await get(sim.url, '/api/tags')).text) as { models: Array<{ name: string; capabilities: string[]; details: { family: string } }> };
    assert.deepEqual(tags.models.map((model) => model.name), ['llama3.2:latest', 'qwen3:latest', 'llava:latest', 'nomic-embed-text:latest', 'gemma3:latest']);
    assert.deepEqual(tags.models.find((model) => model.name === 'qwen3:latest')?.capabilities, ['completion', 'tools', 'thinking']);
    assert.equal((await get(sim.url, '/api/tags', 'HEAD')).status, 200);
  });

  test('show: details, capabilities, model_info; 400 without model, 404 with the normalised name', async () => {
    const shown = JSON.parse((await post(sim.url, '/api/show', { model: 'nomic-embed-text' })).text) as { capabilities: string[]; model_info: Record<string, unknown>; modified_at: string };
    assert.deepEqual(shown.capabilities, ['embedding']);
    assert.equal(shown.model_info['nomicbert.embedding_length'], 768);
    assert.ok(shown.modified_at);
    assert.equal((await post(sim.url, '/api/show', { name: 'llama3.2' })).status, 200, 'the legacy name field works');
    const missing = await post(sim.url, '/api/show', {});
    assert.deepEqual([missing.status, JSON.parse(missing.text)], [400, { error: 'model is required' }]);
    const unknown = await post(sim.url, '/api/show', { model: 'nope' });
    assert.deepEqual([unknown.status, JSON.parse(unknown.text)], [404, { error: "model 'nope:latest' not found" }]);
  });

  test('a model is loaded on first use after loadMs, then listed by ps with its expiry', async () => {
    sim.addModel({ name: 'slow-loader', loadMs: 80, sizeBytes: 1234 });
    assert.equal((await listRunning()).some((model) => model.name === 'slow-loader:latest'), false);
    const first = JSON.parse((await post(sim.url, '/api/chat', chatBody('slow-loader', 'hi', { stream: false }))).text) as { load_duration: number };
    assert.ok(first.load_duration >= 80e6, String(first.load_duration));
    const second = JSON.parse((await post(sim.url, '/api/chat', chatBody('slow-loader', 'hi', { stream: false }))).text) as { load_duration: number };
    assert.ok(second.load_duration < 80e6);
    const running = (await listRunning()).find((model) => model.name === 'slow-loader:latest');
    assert.ok(running);
    assert.deepEqual([running.size, running.size_vram, running.context_length], [1234, 1234, 4096]);
    const remainingMs = Date.parse(running.expires_at) - Date.now();
    assert.ok(remainingMs > 4 * 60_000 && remainingMs <= 5 * 60_000, String(remainingMs));
  });

  test('keep_alive sets the expiry: forever first, 0 unloads', async () => {
    await post(sim.url, '/api/chat', chatBody('gemma3', 'hi', { stream: false, keep_alive: '10m' }));
    await post(sim.url, '/api/generate', { model: 'llava', prompt: 'hi', stream: false, keep_alive: -1 });
    const running = await listRunning();
    assert.equal(running[0]?.name, 'llava:latest');
    assert.ok(running[0]!.expires_at.startsWith('2318'));
    assert.equal(running[1]?.name, 'gemma3:latest');
    await post(sim.url, '/api/chat', chatBody('gemma3', 'bye', { stream: false, keep_alive: 0 }));
    assert.equal((await listRunning()).some((model) => model.name === 'gemma3:latest'), false);
  });

  test('copy adds a model, delete removes it; both 404 on unknown names', async () => {
    const copied = await post(sim.url, '/api/copy', { source: 'llama3.2', destination: 'my-llama' });
    assert.deepEqual([copied.status, copied.text], [200, '']);
    assert.ok((await listTagNames()).includes('my-llama:latest'));
    assert.equal((await post(sim.url, '/api/chat', chatBody('my-llama', 'hi', { stream: false }))).status, 200);
    const deleted = await post(sim.url, '/api/delete', { model: 'my-llama' }, 'DELETE');
    assert.deepEqual([deleted.status, deleted.text], [200, '']);
    assert.equal((await listTagNames()).includes('my-llama:latest'), false);
    assert.equal((await post(sim.url, '/api/delete', { model: 'my-llama' }, 'DELETE')).status, 404);
    assert.equal((await post(sim.url, '/api/copy', { source: 'nope', destination: 'x' })).status, 404);
  });

  test('addModel and removeModel change what the simulator knows at run time', async () => {
    sim.addModel({ name: 'extra:7b', capabilities: ['completion'] });
    assert.equal((await post(sim.url, '/api/chat', chatBody('extra:7b', 'hi', { stream: false }))).status, 200);
    sim.removeModel('extra:7b');
    assert.equal((await post(sim.url, '/api/chat', chatBody('extra:7b', 'hi', { stream: false }))).status, 404);
  });
});
