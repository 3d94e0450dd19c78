import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildConfig } from '../../src/config/load-config.ts';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { chat, startPoolStack, type PoolStack } from './pool-stack.ts';

/** What one simulator has loaded, from its own `/api/ps`. */
async function loadedOn(sim: Simulator): Promise<string[]> {
  const body = (await (await fetch(`${sim.url}/api/ps`)).json()) as { models: Array<{ name: string }> };
  return body.models.map((model) => model.name).sort();
}

/**
 * The unloads a simulator received: chat requests go to `/api/chat`, so every `/api/generate` is the
 * gateway's `keep_alive: 0` unload; the last one's body says which model.
 */
function unloadsOn(sim: Simulator): { count: number; last: unknown } {
  return { count: sim.stats.requests['/api/generate'] ?? 0, last: sim.stats.lastBody['/api/generate'] };
}

const sim = (stack: PoolStack, name: string): Simulator => stack.sims.get(name)!;

describe('model memory per node (maxLoadedModels 1)', () => {
  test('each node unloads only its own least recently used model', async () => {
    const stack = await startPoolStack(
      [
        { name: 'a', upstream: { models: ['llama3.2'] } },
        { name: 'b', upstream: { models: ['gemma3', 'qwen3'] } },
      ],
      { maxLoadedModels: 1, runningModelsTtlMs: 1 },
    );
    try {
      await chat(stack, 'llama3.2');
      await chat(stack, 'gemma3');
      // one model on each node: within each node's budget, nothing unloaded
      assert.deepEqual(unloadsOn(sim(stack, 'a')).count + unloadsOn(sim(stack, 'b')).count, 0);
      await chat(stack, 'qwen3');
      assert.deepEqual(unloadsOn(sim(stack, 'b')), { count: 1, last: { model: 'gemma3:latest', keep_alive: 0 } });
      assert.equal(unloadsOn(sim(stack, 'a')).count, 0);
      assert.deepEqual(await loadedOn(sim(stack, 'a')), ['llama3.2:latest']);
      assert.deepEqual(await loadedOn(sim(stack, 'b')), ['qwen3:latest']);
      // a model loaded on its node costs no unload
      await chat(stack, 'llama3.2');
      assert.equal(unloadsOn(sim(stack, 'a')).count, 0);
    } finally {
      await stack.close();
    }
  });

  test('a model busy on one node is idle on another, and unloaded there when room is needed', async () => {
    const stack = await startPoolStack(
      [
        { name: 'a', upstream: { models: ['qwen3', 'llama3.2'] } },
        { name: 'b', upstream: { models: ['qwen3', 'gemma3'] } },
      ],
      // a wait of 1 ms: a node that wrongly thought its qwen3 busy would load gemma3 beside it, unloading nothing
      { maxLoadedModels: 1, runningModelsTtlMs: 1, modelLoadWaitMs: 1, models: { qwen3: { maxConcurrent: 1 } } },
    );
    const a = sim(stack, 'a');
    const b = sim(stack, 'b');
    try {
      a.gate.hold();
      const held = chat(stack, 'qwen3', 'held on a');
      await a.gate.whenWaiting(1);
      // a's only qwen3 slot is taken: the next one runs on b and loads qwen3 there
      await chat(stack, 'qwen3', 'on b');
      assert.equal(b.stats.requests['/api/chat'], 1);
      await chat(stack, 'gemma3');
      assert.deepEqual(unloadsOn(b), { count: 1, last: { model: 'qwen3:latest', keep_alive: 0 } });
      assert.deepEqual(await loadedOn(b), ['gemma3:latest']);
      a.gate.release();
      assert.ok((await held).choices[0]?.message.content);
      assert.equal(unloadsOn(a).count, 0);
      assert.deepEqual(await loadedOn(a), ['qwen3:latest']);
    } finally {
      a.gate.release();
      await stack.close();
    }
  });

  test('an OpenAI-compatible node has no model memory: its requests unload nothing anywhere', async () => {
    const stack = await startPoolStack(
      [
        { name: 'a', sim: { models: [{ name: 'llama3.2' }, { name: 'qwen3' }] } },
        { name: 'vllm', sim: { dialect: 'openai', models: [{ name: 'qwen3-32b' }] }, upstream: { kind: 'openai' } },
      ],
      { maxLoadedModels: 1, runningModelsTtlMs: 1 },
    );
    try {
      await chat(stack, 'llama3.2');
      await chat(stack, 'qwen3-32b');
      assert.equal(sim(stack, 'vllm').stats.requests['/v1/chat/completions'], 1);
      assert.equal(unloadsOn(sim(stack, 'a')).count, 0);
      assert.deepEqual(await loadedOn(sim(stack, 'a')), ['llama3.2:latest']);
      // the Ollama node keeps its own budget all the same
      await chat(stack, 'qwen3');
      assert.deepEqual(unloadsOn(sim(stack, 'a')), { count: 1, last: { model: 'llama3.2:latest', keep_alive: 0 } });
    } finally {
      await stack.close();
    }
  });

  test('a node added on reload gets its own memory; one replaced under the same name starts afresh', async () => {
    const stack = await startPoolStack([{ name: 'a', upstream: { models: ['llama3.2'] } }], { maxLoadedModels: 1, runningModelsTtlMs: 1 });
    const first = await startSimulator();
    const second = await startSimulator();
    const configWith = (url: string) =>
      buildConfig({
        logLevel: 'silent',
        resources: { enabled: false },
        maxLoadedModels: 1,
        runningModelsTtlMs: 1,
        upstreams: [
          { name: 'a', url: sim(stack, 'a').url, models: ['llama3.2'] },
          { name: 'c', url, models: ['gemma3', 'qwen3'] },
        ],
      });
    const joined = (url: string) => stack.gateway.services.pool.node('c')?.url === url && stack.gateway.services.pool.node('c')?.inventory.listed === true;
    try {
      await chat(stack, 'llama3.2');
      stack.gateway.reload(configWith(first.url));
      await waitFor(() => joined(first.url));
      await chat(stack, 'gemma3');
      await chat(stack, 'qwen3');
      assert.deepEqual(unloadsOn(first), { count: 1, last: { model: 'gemma3:latest', keep_alive: 0 } });
      assert.equal(unloadsOn(sim(stack, 'a')).count, 0);
      // `c` now names another server: its memory is that server's, not the old one's
      stack.gateway.reload(configWith(second.url));
      await waitFor(() => joined(second.url));
      await chat(stack, 'gemma3');
      await chat(stack, 'qwen3');
      assert.deepEqual(unloadsOn(second), { count: 1, last: { model: 'gemma3:latest', keep_alive: 0 } });
      assert.deepEqual(await loadedOn(second), ['qwen3:latest']);
      assert.equal(unloadsOn(first).count, 1);
    } finally {
      await stack.close();
      await first.close();
      await second.close();
    }
  });
});

/** Yields to the event loop until `condition` holds (a reload applies its node list asynchronously). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    assert.ok(turn < 1_000_000, 'the condition never held');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
