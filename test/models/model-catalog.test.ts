import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConfig } from '../../src/config/load-config.ts';
import { ModelPolicies } from '../../src/models/model-policies.ts';
import { ModelCatalog } from '../../src/models/model-catalog.ts';
import type { OllamaTag } from '../../src/ollama/wire.ts';

/** A model list whose answers the test releases one at a time. */
function controllableList() {
  const pending: Array<(tags: OllamaTag[]) => void> = [];
  return {
    calls: () => pending.length,
    answer: (index: number, names: string[]) => pending[index]!(names.map((name) => ({ name }))),
    listModels: () => new Promise<OllamaTag[]>((resolve) => pending.push(resolve)),
  };
}

test('a list refresh that started before invalidate() does not overwrite the newer one', async () => {
  const config = buildConfig({});
  const list = controllableList();
  let now = 0;
  const catalog = new ModelCatalog({ getConfig: () => config,
    getPolicies: () => new ModelPolicies(config), listModels: list.listModels, now: () => now });
  const stale = catalog.list();
  catalog.invalidate();
  const fresh = catalog.list();
  assert.equal(list.calls(), 2);
  list.answer(1, ['llama3.2:latest', 'qwen3:0.6b']);
  assert.equal((await fresh).length, 2);
  list.answer(0, ['llama3.2:latest']);
  await stale;
  now += 1;
  assert.equal((await catalog.resolve('qwen3:0.6b')).canonical, 'qwen3:0.6b');
});

test('resolve finds a model in any spelling and through an alias; an unknown one is 404', async () => {
  const config = buildConfig({ aliases: { 'gpt-4o-mini': 'llama3.2' } });
  const catalog = new ModelCatalog({ getConfig: () => config,
    getPolicies: () => new ModelPolicies(config), listModels: async () => [{ name: 'llama3.2:latest' }] });
  assert.equal((await catalog.resolve('llama3.2')).canonical, 'llama3.2:latest');
  assert.equal((await catalog.resolve('LLAMA3.2:latest')).canonical, 'llama3.2:latest');
  const aliased = await catalog.resolve('gpt-4o-mini');
  assert.deepEqual([aliased.requested, aliased.canonical], ['gpt-4o-mini', 'llama3.2:latest']);
  await assert.rejects(catalog.resolve('nope'), (error: { status?: number; code?: string }) => error.status === 404 && error.code === 'model_not_found');
});

test('an unreachable Ollama is 503, not 404', async () => {
  const config = buildConfig({});
  const catalog = new ModelCatalog({
    getConfig: () => config,
    getPolicies: () => new ModelPolicies(config),
    listModels: async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    },
  });
  await assert.rejects(catalog.resolve('llama3.2'), (error: { status?: number }) => error.status === 503);
});
