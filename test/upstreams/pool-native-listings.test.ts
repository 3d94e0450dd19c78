import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chat, startPoolStack, type PoolStack } from './pool-stack.ts';

/** The pool stack's own client authenticates with `sk-test`: an unlimited key. */
const UNLIMITED = 'sk-test';
const LIMITED = 'sk-limited-to-two';

async function call(stack: PoolStack, path: string, key: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${stack.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const namesIn = (body: Record<string, unknown>): string[] => (body['models'] as Array<{ name: string }>).map((model) => model.name).sort();

describe("Ollama's native lists and /api/show over several nodes", () => {
  let stack: PoolStack;
  before(async () => {
    stack = await startPoolStack(
      [
        { name: 'a', sim: { models: [{ name: 'llama3.2' }, { name: 'gemma3' }] } },
        { name: 'b', sim: { models: [{ name: 'qwen3' }, { name: 'gemma3' }, { name: 'llava' }] } },
      ],
      {
        apiKeys: [
          { name: 'limited', key: LIMITED, models: ['llama3.2', 'qwen3*'] },
          { name: 'ops', key: UNLIMITED },
        ],
      },
    );
    // one model loaded on each node, one on both lists
    for (const model of ['llama3.2', 'qwen3', 'gemma3', 'llava']) await chat(stack, model);
  });
  after(() => stack.close());

  test('a limited key gets /api/tags as the union of every node, cut to its scope', async () => {
    const limited = await call(stack, '/api/tags', LIMITED);
    assert.equal(limited.status, 200);
    assert.deepEqual(namesIn(limited.body), ['llama3.2:latest', 'qwen3:latest']);
    assert.ok((limited.body['models'] as Array<{ details?: unknown }>).every((model) => model.details !== undefined), "Ollama's fields are kept");
    assert.deepEqual(namesIn((await call(stack, '/api/tags', UNLIMITED)).body), ['gemma3:latest', 'llama3.2:latest', 'llava:latest', 'qwen3:latest']);
  });

  test('a limited key gets /api/ps as the union of what every node has loaded, cut to its scope', async () => {
    const loaded = namesIn((await call(stack, '/api/ps', UNLIMITED)).body);
    assert.ok(loaded.includes('llama3.2:latest') && loaded.includes('qwen3:latest') && loaded.includes('llava:latest'), loaded.join());
    assert.deepEqual(namesIn((await call(stack, '/api/ps', LIMITED)).body), ['llama3.2:latest', 'qwen3:latest']);
  });

  test('/api/show asks a node that has the model, for limited and unlimited keys', async () => {
    const onlyOnB = await call(stack, '/api/show', LIMITED, { model: 'qwen3' });
    assert.equal(onlyOnB.status, 200);
    assert.ok(onlyOnB.body['details'] !== undefined);
    assert.equal((await call(stack, '/api/show', UNLIMITED, { model: 'llava' })).status, 200);
    assert.equal((await call(stack, '/api/show', LIMITED, { model: 'llama3.2' })).status, 200);
    assert.equal(stack.sims.get('b')!.stats.requests['/api/show'], 2);
    assert.equal(stack.sims.get('a')!.stats.requests['/api/show'], 1);
  });

  test('out of scope and absent models are the same 404 for a limited key', async () => {
    const hidden = await call(stack, '/api/show', LIMITED, { model: 'gemma3' });
    const absent = await call(stack, '/api/show', LIMITED, { model: 'qwen3:404b' });
    assert.equal(hidden.status, 404);
    assert.equal(absent.status, 404);
    assert.deepEqual(hidden.body, JSON.parse(JSON.stringify(absent.body).replaceAll('qwen3:404b', 'gemma3')));
  });
});
