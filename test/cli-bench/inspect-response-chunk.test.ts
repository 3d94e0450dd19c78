import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectOllamaChunk, inspectOpenAiChunk } from '../../src/cli/bench/inspect-response-chunk.ts';

test('OpenAI: content, reasoning and tool calls count as content; the role chunk does not', () => {
  assert.equal(inspectOpenAiChunk({ choices: [{ delta: { role: 'assistant', content: '' } }] }).hasContent, false);
  assert.equal(inspectOpenAiChunk({ choices: [{ delta: { content: 'hi' } }] }).hasContent, true);
  assert.equal(inspectOpenAiChunk({ choices: [{ delta: { reasoning_content: 'hm' } }] }).hasContent, true);
  assert.equal(inspectOpenAiChunk({ choices: [{ delta: { tool_calls: [] } }] }).hasContent, true);
  assert.equal(inspectOpenAiChunk({ choices: [{ text: 'x' }] }).hasContent, true);
  assert.equal(inspectOpenAiChunk({ choices: [{ message: { content: 'whole' } }] }).hasContent, true);
});

test('OpenAI: usage and error objects are read', () => {
  assert.deepEqual(inspectOpenAiChunk({ choices: [], usage: { completion_tokens: 12 } }), {
    hasContent: false,
    completionTokens: 12,
    error: null,
  });
  assert.equal(inspectOpenAiChunk({ error: { message: 'boom' } }).error, 'boom');
  assert.equal(inspectOpenAiChunk({ error: { code: 1 } }).error, '{"code":1}');
  assert.equal(inspectOpenAiChunk('not an object').hasContent, false);
});

test('Ollama: content of chat and generate lines; eval_count only on the done line', () => {
  assert.equal(inspectOllamaChunk({ message: { content: 'a' }, done: false }).hasContent, true);
  assert.equal(inspectOllamaChunk({ response: 'a', done: false }).hasContent, true);
  assert.equal(inspectOllamaChunk({ message: { content: '' }, done: true }).hasContent, false);
  assert.equal(inspectOllamaChunk({ eval_count: 3, done: false }).completionTokens, null);
  assert.equal(inspectOllamaChunk({ eval_count: 3, done: true }).completionTokens, 3);
  assert.equal(inspectOllamaChunk({ error: 'model "x" not found' }).error, 'model "x" not found');
});
