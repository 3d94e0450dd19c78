import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OllamaChatChunk } from '../../src/ollama/wire.ts';
import { createChatChunkMapper, createChatUsageChunk } from '../../src/translate/create-chat-chunk-mapper.ts';
import { sumUsage } from '../../src/translate/sum-usage.ts';
import { createCountingIdGenerator, identity } from './fixture-helpers.ts';

const line = (content: string, extra: Partial<OllamaChatChunk> = {}): OllamaChatChunk => ({
  model: 'llama3.2',
  message: { role: 'assistant', content },
  done: false,
  ...extra,
});
const done = (counts: { prompt_eval_count: number; eval_count: number }): OllamaChatChunk => ({ ...line(''), done: true, done_reason: 'stop', ...counts });
const create = (includeUsage: boolean, extra: { choiceIndex?: number; emitUsageChunk?: boolean } = {}) =>
  createChatChunkMapper({ ...identity, includeUsage, generateId: createCountingIdGenerator(), ...extra });

describe('createChatChunkMapper', () => {
  test('without include_usage the usage key is absent; with it, null until the usage chunk', () => {
    const plain = create(false);
    assert.equal('usage' in plain.map(line('a'))[0]!, false);
    const counted = create(true);
    assert.equal(counted.map(line('a'))[0]!.usage, null);
    counted.map(done({ prompt_eval_count: 2, eval_count: 1 }));
    const [finish, usage] = counted.finish();
    assert.equal(finish!.usage, null);
    assert.deepEqual(usage!.choices, []);
    assert.deepEqual(usage!.usage, { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 });
  });

  test('empty intermediate lines after the first make no chunk', () => {
    const mapper = create(false);
    assert.equal(mapper.map(line('')).length, 1);
    assert.deepEqual(mapper.map(line('')), []);
    assert.equal(mapper.map(line('x'))[0]!.choices[0]!.delta.content, 'x');
  });

  test('n > 1: choice indexes, role per choice, one summed usage chunk made by the caller', () => {
    const mappers = [0, 1].map((choiceIndex) => create(true, { choiceIndex, emitUsageChunk: false }));
    const [first, second] = mappers as [ReturnType<typeof create>, ReturnType<typeof create>];
    assert.deepEqual(first.map(line('a'))[0]!.choices[0], { index: 0, delta: { role: 'assistant', content: 'a' }, finish_reason: null });
    assert.deepEqual(second.map(line('b'))[0]!.choices[0], { index: 1, delta: { role: 'assistant', content: 'b' }, finish_reason: null });
    first.map(done({ prompt_eval_count: 5, eval_count: 2 }));
    second.map(done({ prompt_eval_count: 5, eval_count: 4 }));
    const finishes = mappers.flatMap((mapper) => mapper.finish());
    assert.deepEqual(finishes.map((chunk) => chunk.choices[0]), [
      { index: 0, delta: {}, finish_reason: 'stop' },
      { index: 1, delta: {}, finish_reason: 'stop' },
    ]);
    const usage = sumUsage(mappers.map((mapper) => mapper.usage()));
    assert.deepEqual(createChatUsageChunk(identity, usage), {
      id: 'chatcmpl-test',
      object: 'chat.completion.chunk',
      created: 1767225600,
      model: 'gpt-4o-mini',
      system_fingerprint: 'fp_ollama',
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: 6, total_tokens: 16 },
    });
  });

  test('logprobs ride on the chunk with the reasoning when a line is split', () => {
    const mapper = create(false);
    const logprobs = [{ token: 'x', logprob: -1 }];
    const chunks = mapper.map({ ...line('x', { message: { role: 'assistant', content: 'x', thinking: 't' } }), logprobs });
    assert.deepEqual(chunks.map((chunk) => chunk.choices[0]), [
      { index: 0, delta: { role: 'assistant', reasoning: 't' }, finish_reason: null, logprobs: { content: [{ token: 'x', logprob: -1, bytes: null, top_logprobs: [] }], refusal: null } },
      { index: 0, delta: { content: 'x' }, finish_reason: null },
    ]);
    assert.equal(mapper.map({ ...line(''), logprobs }).length, 1, 'a logprobs-only line is not empty');
  });
});
