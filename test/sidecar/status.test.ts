import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { statusResponseSchema } from '../../src/openai/sidecar-status-response.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { postJson } from './read-stream.ts';

describe('GET /v1/status, /healthz, /readyz', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: {
        logLevel: 'silent',
        aliases: { fast: 'llama3.2', 'gpt-4o-mini': 'llama3.2' },
        models: { gemma3: { maxConcurrent: 3, rpm: 60 }, 'not-pulled-yet': { pullOnDemand: true } },
        runningModelsTtlMs: 60_000,
        modelListTtlMs: 60_000,
      },
    });
  });
  after(() => stack.close());

  test('reports the upstream, every known model with limits, counts, load state and aliases', async () => {
    assert.equal((await postJson(`${stack.url}/v1/llm/fast`, { prompt: 'hi' })).status, 200);
    const response = await fetch(`${stack.url}/v1/status`);
    assert.equal(response.status, 200);
    const status = statusResponseSchema.strict().parse(await response.json());
    assert.equal(status.version, '0.1.0');
    assert.deepEqual(status.errors, []);
    assert.equal(status.upstreams[0]?.reachable, true);
    assert.equal(status.upstreams[0]?.version, '0.33.0');
    const llama = status.models.find((model) => model.name === 'llama3.2:latest')!;
    assert.equal(llama.available, true);
    assert.equal(llama.configured, false);
    assert.deepEqual(llama.aliases.sort(), ['fast', 'gpt-4o-mini']);
    assert.equal(llama.served, 1);
    assert.ok(llama.average_latency_ms !== null);
    assert.ok(llama.loaded !== null && llama.loaded.size_bytes! > 0);
    const gemma = status.models.find((model) => model.name === 'gemma3:latest')!;
    assert.equal(gemma.configured, true);
    assert.equal(gemma.limits.max_concurrent, 3);
    assert.deepEqual(gemma.limits.reservoir, { amount: 60, refresh_interval_ms: 60_000 });
    assert.equal(gemma.loaded, null);
    const notPulled = status.models.find((model) => model.name === 'not-pulled-yet:latest')!;
    assert.equal(notPulled.available, false);
    assert.ok(status.resources.host_memory.total_bytes > 0);
    assert.equal(status.redis.configured, false);
  });

  test("is cheap: Ollama's lists are read once for many status requests", async () => {
    await fetch(`${stack.url}/v1/status`);
    const before = { ps: stack.sim!.stats.requests['/api/ps'] ?? 0, tags: stack.sim!.stats.requests['/api/tags'] ?? 0 };
    await Promise.all(Array.from({ length: 10 }, () => fetch(`${stack.url}/v1/status`).then((response) => response.json())));
    assert.equal(stack.sim!.stats.requests['/api/ps'] ?? 0, before.ps);
    assert.equal(stack.sim!.stats.requests['/api/tags'] ?? 0, before.tags);
  });

  test('/healthz is 200; /readyz is 200 while Ollama is reachable and 503 when it is not', async () => {
    assert.equal((await fetch(`${stack.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${stack.url}/readyz`)).status, 200);
    await stack.sim!.close();
    await stack.gateway.health.check();
    const notReady = await fetch(`${stack.url}/readyz`);
    assert.equal(notReady.status, 503);
    assert.equal((await fetch(`${stack.url}/healthz`)).status, 200);
    const status = statusResponseSchema.parse(await (await fetch(`${stack.url}/v1/status`)).json());
    assert.equal(status.upstreams[0]?.reachable, false);
    assert.ok(status.upstreams[0]?.last_error);
  });
});
