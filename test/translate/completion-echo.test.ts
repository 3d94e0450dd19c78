import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ollamaGenerateChunkSchema } from '../../src/ollama/wire.ts';
import { createCompletionChunkMapper } from '../../src/translate/create-completion-chunk-mapper.ts';
import { fromOllamaGenerateResponse } from '../../src/translate/from-ollama-generate-response.ts';

const identity = { id: 'cmpl-test', created: 1700000000, model: 'llama3.2' };

test('echo puts the prompt before the answer of a whole completion', () => {
  const native = ollamaGenerateChunkSchema.parse({ model: 'llama3.2', response: ' was a river.', done: true, done_reason: 'stop' });
  const body = fromOllamaGenerateResponse(native, { ...identity, echoPrompt: 'Once there' });
  assert.equal(body.choices[0]?.text, 'Once there was a river.');
  assert.equal(fromOllamaGenerateResponse(native, identity).choices[0]?.text, ' was a river.');
});

test('echo sends the prompt as the first streamed text, once', () => {
  const mapper = createCompletionChunkMapper({ ...identity, includeUsage: false, echoPrompt: 'Once there' });
  const lines = [{ response: ' was', done: false }, { response: ' a river.', done: false }, { response: '', done: true, done_reason: 'stop' }];
  const texts = lines.flatMap((line) => mapper.map(ollamaGenerateChunkSchema.parse({ model: 'llama3.2', ...line }))).map((chunk) => chunk.choices[0]?.text);
  assert.deepEqual(texts, ['Once there was', ' a river.']);
});
