/**
 * What the translators emit is what the openai SDK expects: checked by the type checker (the
 * assignments below) and at run time by parsing each golden fixture's expected output with our
 * response schemas, which must keep every key.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Completion } from 'openai/resources/completions';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import type { Model } from 'openai/resources/models';
import type { z } from 'zod';
import { chatCompletionChunkSchema, chatCompletionSchema, type ChatCompletionChunkResponse, type ChatCompletionResponse } from '../../src/openai/chat-completion-response.ts';
import { embeddingListSchema, type EmbeddingListResponse } from '../../src/openai/embedding-response.ts';
import { modelListSchema, type ModelResponse } from '../../src/openai/model-response.ts';
import { textCompletionChunkSchema, textCompletionSchema, type TextCompletionFinishChunk, type TextCompletionResponse } from '../../src/openai/text-completion-response.ts';
import { errorBodySchema } from '../../src/openai/error-body.ts';
import { readFixtureJson } from '../translate/fixture-helpers.ts';

// Type-level contract: each of our output types is assignable to the SDK's (tsc fails otherwise).
type EmbeddingItem = EmbeddingListResponse['data'][number];
type FloatEmbeddingList = Omit<EmbeddingListResponse, 'data'> & { data: (Omit<EmbeddingItem, 'embedding'> & { embedding: number[] })[] };

export const sdkContract = {
  chatCompletion: (value: ChatCompletionResponse): ChatCompletion => value,
  chatCompletionChunk: (value: ChatCompletionChunkResponse): ChatCompletionChunk => value,
  textCompletion: (value: TextCompletionResponse): Completion => value,
  textCompletionFinishChunk: (value: TextCompletionFinishChunk): Completion => value,
  model: (value: ModelResponse): Model => value,
  floatEmbeddings: (value: FloatEmbeddingList): CreateEmbeddingResponse => value,
};

function assertKeepsEveryKey(schema: z.ZodType, value: unknown, name: string): void {
  assert.deepEqual(schema.parse(value), value, `${name} has keys its schema does not describe`);
}

test('golden outputs match the response schemas', () => {
  for (const name of ['chat-basic', 'chat-tool-calls', 'chat-thinking-length', 'chat-logprobs']) {
    assertKeepsEveryKey(chatCompletionSchema, readFixtureJson(name, 'expected.json'), name);
  }
  for (const name of ['chat-stream-basic', 'chat-stream-thinking', 'chat-stream-tool-calls', 'chat-stream-length', 'chat-stream-only-done-line']) {
    for (const chunk of readFixtureJson(name, 'expected.json') as unknown[]) assertKeepsEveryKey(chatCompletionChunkSchema, chunk, name);
  }
  const [lastError] = (readFixtureJson('chat-stream-error', 'expected.json') as unknown[]).slice(-1);
  assertKeepsEveryKey(errorBodySchema, lastError, 'chat-stream-error');
  assertKeepsEveryKey(textCompletionSchema, readFixtureJson('completion-basic', 'expected.json'), 'completion-basic');
  for (const chunk of readFixtureJson('completion-stream', 'expected.json') as unknown[]) assertKeepsEveryKey(textCompletionChunkSchema, chunk, 'completion-stream');
  assertKeepsEveryKey(embeddingListSchema, readFixtureJson('embed-float', 'expected.json'), 'embed-float');
  assertKeepsEveryKey(embeddingListSchema, readFixtureJson('embed-base64', 'expected.json'), 'embed-base64');
  assertKeepsEveryKey(modelListSchema, readFixtureJson('models', 'expected.json'), 'models');
});
