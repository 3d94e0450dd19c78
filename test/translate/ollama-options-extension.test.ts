import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { chatCompletionRequestSchema } from '../../src/openai/chat-completion-request.ts';
import { completionRequestSchema } from '../../src/openai/completion-request.ts';
import { embeddingRequestSchema } from '../../src/openai/embedding-request.ts';
import { parseRequest } from '../../src/openai/parse-request.ts';
import { findUnknownFields } from '../../src/http/log-unknown-fields.ts';
import { toOllamaChatRequest } from '../../src/translate/to-ollama-chat-request.ts';
import { toOllamaEmbedRequest } from '../../src/translate/to-ollama-embed-request.ts';
import { toOllamaGenerateRequests } from '../../src/translate/to-ollama-generate-request.ts';

const defaults = { options: { num_ctx: 2048, top_k: 10 } };
const chat = (body: Record<string, unknown>) =>
  toOllamaChatRequest(parseRequest(chatCompletionRequestSchema, { messages: [{ role: 'user', content: 'hi' }], ...body }), { model: 'm', defaults });

describe('Ollama options over the OpenAI routes', () => {
  test('chat: `options` with Ollama names sits over the configured options, under the OpenAI fields', () => {
    const native = chat({ options: { num_ctx: 8192, num_gpu: 1, temperature: 0.1 }, temperature: 0.7 });
    assert.deepEqual(native.options, { num_ctx: 8192, top_k: 10, num_gpu: 1, temperature: 0.7 });
  });

  test('chat: the top-level extras top_k, min_p and repetition_penalty (sent as repeat_penalty)', () => {
    const native = chat({ top_k: 5, min_p: 0.05, repetition_penalty: 1.1, options: { top_k: 99 } });
    assert.deepEqual(native.options, { num_ctx: 2048, top_k: 5, min_p: 0.05, repeat_penalty: 1.1 });
  });

  test('completions carry them too', () => {
    const [native] = toOllamaGenerateRequests(parseRequest(completionRequestSchema, { prompt: 'x', options: { num_keep: 4 }, min_p: 0.1 }), { model: 'm' });
    assert.deepEqual(native?.options, { num_keep: 4, min_p: 0.1 });
  });

  test('embeddings take `options` over the configured ones', () => {
    const native = toOllamaEmbedRequest(parseRequest(embeddingRequestSchema, { input: 'x', options: { num_ctx: 512 } }), { model: 'm', defaults });
    assert.deepEqual(native.options, { num_ctx: 512, top_k: 10 });
  });

  test('an unknown option name or a wrong type is a 400 naming it', () => {
    for (const [options, param] of [[{ num_ctxx: 1 }, 'options.num_ctxx'], [{ num_ctx: 'big' }, 'options.num_ctx']] as const) {
      assert.throws(() => chat({ options }), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === param);
    }
    assert.throws(() => chat({ min_p: 2 }), (error: unknown) => error instanceof GatewayError && error.param === 'min_p');
  });

  test('keys no schema knows are found (for the debug log), known ones are not', () => {
    assert.deepEqual(findUnknownFields(chatCompletionRequestSchema, { messages: [], top_k: 1, mirostat: 2, foo: 1 }), ['mirostat', 'foo']);
  });
});
