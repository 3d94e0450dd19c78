import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ConfigInput } from '../../src/config/config-schema.ts';
import { buildConfig } from '../../src/config/load-config.ts';
import { overloaded, upstreamUnavailable } from '../../src/errors/gateway-error.ts';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { UpstreamPool } from '../../src/upstreams/upstream-pool.ts';

const simulators: Simulator[] = [];
after(async () => {
  for (const sim of simulators) await sim.close();
});

async function sim(models: string[]): Promise<Simulator> {
  const started = await startSimulator({ models: models.map((name) => ({ name })) });
  simulators.push(started);
  return started;
}

function poolOf(input: ConfigInput, now?: () => number): { pool: UpstreamPool; changes: string[] } {
  const config = buildConfig({ healthCheckIntervalMs: 60_000, ...input });
  const changes: string[] = [];
  const pool = new UpstreamPool({ getConfig: () => config, ...(now ? { now } : {}), onHealthChange: (node) => changes.push(`${node.name}:${String(node.health.snapshot.healthy)}`) });
  return { pool, changes };
}

test('a model is eligible on the nodes that list it; the listing is the union, each model once', async () => {
  const a = await sim(['llama3.2', 'qwen3']);
  const b = await sim(['qwen3', 'gemma3']);
  const { pool } = poolOf({ upstreams: [{ name: 'a', url: a.url }, { name: 'b', url: b.url, models: ['gemma3'] }] });
  await pool.start();
  assert.deepEqual(pool.eligible('llama3.2:latest').map((node) => node.name), ['a']);
  // b has qwen3 but is restricted to gemma3
  assert.deepEqual(pool.eligible('qwen3:latest').map((node) => node.name), ['a']);
  assert.deepEqual(pool.eligible('gemma3:latest').map((node) => node.name), ['b']);
  assert.deepEqual((await pool.listModels()).map((tag) => tag.name).sort(), ['gemma3:latest', 'llama3.2:latest', 'qwen3:latest']);
  assert.equal(pool.isReady(), true);
  await pool.close();
});

test('a node that cannot be reached leaves at once and rejoins when a check reaches it', async () => {
  const a = await sim(['llama3.2']);
  const b = await sim(['llama3.2']);
  const { pool, changes } = poolOf({ upstreams: [{ name: 'a', url: a.url }, { name: 'b', url: b.url }] });
  await pool.start();
  pool.reportFailure('b', upstreamUnavailable('refused'));
  assert.deepEqual(pool.eligible('llama3.2:latest').map((node) => node.name), ['a']);
  assert.equal(pool.node('b')?.health.snapshot.healthy, false);
  await pool.check(pool.node('b')!);
  assert.deepEqual(pool.eligible('llama3.2:latest').map((node) => node.name), ['a', 'b']);
  assert.deepEqual(changes, ['a:true', 'b:true', 'b:false', 'b:true']);
  await pool.close();
});

test('with every node down, the nodes that have the model stay eligible so requests fail with the real error', async () => {
  const a = await sim(['llama3.2']);
  const { pool } = poolOf({ upstreams: [{ name: 'a', url: a.url }] });
  await pool.start();
  pool.reportFailure('a', upstreamUnavailable('refused'));
  assert.equal(pool.hasUsableNode('llama3.2:latest'), false);
  assert.deepEqual(pool.eligible('llama3.2:latest').map((node) => node.name), ['a']);
  await pool.close();
});

test('a busy node is skipped for the cool-down, then comes back', async () => {
  const a = await sim(['llama3.2']);
  const b = await sim(['llama3.2']);
  let now = 1_000;
  const { pool } = poolOf({ busyCooldownMs: 500, upstreams: [{ name: 'a', url: a.url }, { name: 'b', url: b.url }] }, () => now);
  await pool.start();
  pool.reportFailure('a', overloaded('Ollama is busy', 1, 'upstream_busy'));
  assert.deepEqual(pool.eligible('llama3.2:latest').map((node) => node.name), ['b']);
  now += 500;
  assert.deepEqual(pool.eligible('llama3.2:latest').map((node) => node.name), ['a', 'b']);
  await pool.close();
});

test('a request the gateway sends marks its model loaded (warm) on that node', async () => {
  const a = await sim(['llama3.2']);
  const { pool } = poolOf({ upstreams: [{ name: 'a', url: a.url }] });
  await pool.start();
  assert.equal(pool.eligible('llama3.2:latest')[0]?.loaded, false);
  pool.reportServed('a', 'llama3.2:latest');
  assert.equal(pool.eligible('llama3.2:latest')[0]?.loaded, true);
  await pool.close();
});

test('a reload adds new nodes and removes dropped ones', async () => {
  const a = await sim(['llama3.2']);
  const b = await sim(['llama3.2']);
  const { pool } = poolOf({ upstreams: [{ name: 'a', url: a.url }] });
  await pool.start();
  let notified = 0;
  pool.onChange(() => (notified += 1));
  await pool.apply(buildConfig({ upstreams: [{ name: 'b', url: b.url }] }));
  assert.deepEqual(pool.nodes.map((node) => node.name), ['b']);
  assert.deepEqual(pool.eligible('llama3.2:latest').map((node) => node.name), ['b']);
  assert.ok(notified > 0);
  await pool.close();
});
