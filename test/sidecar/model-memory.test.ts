import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { postJson } from './read-stream.ts';

async function loadedModels(stack: TestStack): Promise<string[]> {
  const body = (await (await fetch(`${stack.sim!.url}/api/ps`)).json()) as { models: Array<{ name: string }> };
  return body.models.map((model) => model.name).sort();
}

async function generate(stack: TestStack, model: string): Promise<void> {
  const response = await postJson(`${stack.url}/v1/llm/${model}`, { prompt: 'hi' });
  assert.equal(response.status, 200, await response.clone().text());
  await response.json();
}

/** Yields to the event loop until the gateway logged the decision to wait for room for `model` (no timers). */
async function waitForLog(stack: TestStack, model: string): Promise<void> {
  for (let turn = 0; !stack.logs.some((line) => line['msg'] === 'waiting for a loaded model to become idle' && String(line['model']).startsWith(model)); turn++) {
    assert.ok(turn < 100_000, 'the gateway never waited');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The models the gateway unloaded so far, in order, from its log. */
function unloaded(stack: TestStack): unknown[] {
  return stack.logs.filter((line) => line['msg'] === 'unloading least recently used model').map((line) => line['model']);
}

describe('model memory: LRU under maxLoadedModels', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'info', maxLoadedModels: 2, runningModelsTtlMs: 1 } });
  });
  after(() => stack.close());

  test('loading a third model unloads the least recently used idle one, not the recent one', async () => {
    await generate(stack, 'llama3.2');
    await generate(stack, 'qwen3');
    await generate(stack, 'llama3.2');
    assert.deepEqual(await loadedModels(stack), ['llama3.2:latest', 'qwen3:latest']);
    assert.deepEqual(unloaded(stack), []);
    await generate(stack, 'gemma3');
    assert.deepEqual(unloaded(stack), ['qwen3:latest']);
    assert.deepEqual(await loadedModels(stack), ['gemma3:latest', 'llama3.2:latest']);
  });

  test('a model already loaded costs no unload', async () => {
    await generate(stack, 'gemma3');
    await generate(stack, 'llama3.2');
    assert.deepEqual(unloaded(stack), ['qwen3:latest']);
  });

  test('a busy model is never unloaded, even when it is the least recently used', async () => {
    // gemma3 (used before llama3.2) streams slowly, so it holds its slot while qwen3 needs room.
    stack.sim!.setOptions({ tokensPerSecond: 100, tokensPerAnswer: 500 });
    const controller = new AbortController();
    const busy = await fetch(`${stack.url}/v1/llm/gemma3`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'long', stream: true }),
      signal: controller.signal,
    });
    const reader = busy.body!.getReader();
    await reader.read();
    try {
      const response = await postJson(`${stack.url}/v1/llm/qwen3`, { prompt: 'hi', options: { num_predict: 1 } });
      assert.equal(response.status, 200);
      await response.json();
    } finally {
      controller.abort();
      stack.sim!.setOptions({ tokensPerSecond: 0, tokensPerAnswer: 12 });
    }
    assert.deepEqual(unloaded(stack), ['qwen3:latest', 'llama3.2:latest']);
    assert.deepEqual(await loadedModels(stack), ['gemma3:latest', 'qwen3:latest']);
  });
});

describe('model memory: LRU under maxLoadedBytes', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'info', maxLoadedBytes: 6_000_000_000, runningModelsTtlMs: 1 } });
  });
  after(() => stack.close());

  test('a model that would not fit beside the loaded ones makes room first (sizes from /api/ps and /api/tags)', async () => {
    await generate(stack, 'llama3.2');
    await generate(stack, 'gemma3');
    assert.deepEqual(unloaded(stack), []);
    // 2.0 GB + 3.3 GB loaded; qwen3's 5.2 GB fits only alone.
    await generate(stack, 'qwen3');
    assert.deepEqual(unloaded(stack), ['llama3.2:latest', 'gemma3:latest']);
    assert.deepEqual(await loadedModels(stack), ['qwen3:latest']);
  });
});

/** Starts a slow streamed generation and resolves once its first bytes arrived (the model is busy). */
async function startBusy(stack: TestStack, model: string): Promise<AbortController> {
  const controller = new AbortController();
  const response = await fetch(`${stack.url}/v1/llm/${model}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'long', stream: true }),
    signal: controller.signal,
  });
  await response.body!.getReader().read();
  return controller;
}

describe('model memory: work on loaded models goes first, for a bounded time', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'info', maxLoadedModels: 1, runningModelsTtlMs: 1, modelLoadWaitMs: 60_000 } });
  });
  after(() => stack.close());

  test('a request needing another model waits until the busy loaded model is idle, then it is unloaded', async () => {
    await generate(stack, 'llama3.2');
    stack.sim!.setOptions({ tokensPerSecond: 100, tokensPerAnswer: 500 });
    const busy = await startBusy(stack, 'llama3.2');
    const generateCalls = stack.sim!.stats.requests['/api/generate'] ?? 0;
    const waiting = postJson(`${stack.url}/v1/llm/qwen3`, { prompt: 'hi', options: { num_predict: 1 } });
    // Until llama3.2 is idle nothing of qwen3 reaches Ollama.
    await waitForLog(stack, 'qwen3');
    assert.equal(stack.sim!.stats.requests['/api/generate'], generateCalls);
    busy.abort();
    const response = await waiting;
    stack.sim!.setOptions({ tokensPerSecond: 0, tokensPerAnswer: 12 });
    assert.equal(response.status, 200);
    assert.deepEqual(unloaded(stack), ['llama3.2:latest']);
    assert.deepEqual(await loadedModels(stack), ['qwen3:latest']);
  });
});

describe('model memory: the wait is bounded', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'info', maxLoadedModels: 1, runningModelsTtlMs: 1, modelLoadWaitMs: 1 } });
  });
  after(() => stack.close());

  test('when the loaded model stays busy, the other model is served anyway (no starvation)', async () => {
    await generate(stack, 'llama3.2');
    stack.sim!.setOptions({ tokensPerSecond: 100, tokensPerAnswer: 500 });
    const busy = await startBusy(stack, 'llama3.2');
    try {
      const response = await postJson(`${stack.url}/v1/llm/qwen3`, { prompt: 'hi', options: { num_predict: 1 } });
      assert.equal(response.status, 200);
    } finally {
      busy.abort();
      stack.sim!.setOptions({ tokensPerSecond: 0, tokensPerAnswer: 12 });
    }
    assert.deepEqual(unloaded(stack), []);
    assert.ok(stack.logs.some((line) => line['msg'] === 'model memory budget exceeded and every loaded model stayed busy; loading anyway'));
  });
});

describe('model memory: without a budget', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent' } });
  });
  after(() => stack.close());

  test('Ollama keeps every model it loaded and the gateway reads no /api/ps', async () => {
    for (const model of ['llama3.2', 'qwen3', 'gemma3']) await generate(stack, model);
    assert.deepEqual(await loadedModels(stack), ['gemma3:latest', 'llama3.2:latest', 'qwen3:latest']);
    assert.equal(stack.sim!.stats.requests['/api/ps'], 1);
  });
});
