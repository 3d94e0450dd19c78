import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readOwner, toOpenAIModel, toOpenAIModelList } from '../../src/translate/to-openai-models.ts';

test('readOwner: namespace, library by default', () => {
  assert.equal(readOwner('llama3.2:latest'), 'library');
  assert.equal(readOwner('jmorgan/tinydolphin:q4'), 'jmorgan');
  assert.equal(readOwner('hf.co/bartowski/Qwen2-GGUF:Q4_K_M'), 'bartowski');
  assert.equal(readOwner('registry.ollama.ai/library/llama3.2:latest'), 'library');
});

test('toOpenAIModel: created from modified_at (nanosecond precision, offsets), 0 when missing', () => {
  assert.deepEqual(toOpenAIModel({ name: 'a:latest', modified_at: '2024-01-01T00:00:00.999999999+01:00' }), {
    id: 'a:latest', object: 'model', created: 1704063600, owned_by: 'library',
  });
  assert.equal(toOpenAIModel({ name: 'a' }).created, 0);
});

test('toOpenAIModelList: data is [] (never null) with no models', () => {
  assert.deepEqual(toOpenAIModelList([], {}), { object: 'list', data: [] });
});
