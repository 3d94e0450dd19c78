import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { completionRequestSchema } from '../../src/openai/completion-request.ts';
import { ignoredCompletionFields } from '../../src/openai/ignored-fields.ts';
import { parseRequest } from '../../src/openai/parse-request.ts';
import type { TranslationDefaults } from '../../src/translate/build-ollama-options.ts';
import { toOllamaGenerateRequests } from '../../src/translate/to-ollama-generate-request.ts';

function translate(body: Record<string, unknown>, defaults?: TranslationDefaults) {
  const request = parseRequest(completionRequestSchema, { model: 'm', prompt: 'Once', ...body });
  return toOllamaGenerateRequests(request, { model: 'llama3.2:latest', defaults });
}

function assertRefused(body: Record<string, unknown>, param: string): void {
  assert.throws(() => translate(body), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === param);
}

describe('toOllamaGenerateRequests', () => {
  test('one request with only what the client set (no forced temperature, top_p or penalties), never raw', () => {
    assert.deepEqual(translate({}), [{ model: 'llama3.2:latest', prompt: 'Once', stream: false }]);
  });

  test('sampling fields, suffix, keep_alive and defaults', () => {
    const [native] = translate(
      { suffix: 'end', max_tokens: 5, temperature: 0, top_p: 0, seed: 1, frequency_penalty: 0.5, presence_penalty: -0.5, stop: 'x', stream: true, keep_alive: '1h' },
      { options: { num_ctx: 4096, temperature: 0.7 } },
    );
    assert.deepEqual(native, {
      model: 'llama3.2:latest',
      prompt: 'Once',
      stream: true,
      suffix: 'end',
      options: { num_ctx: 4096, temperature: 0, top_p: 0, seed: 1, frequency_penalty: 0.5, presence_penalty: -0.5, stop: ['x'], num_predict: 5 },
      keep_alive: '1h',
    });
  });

  test('several prompts × n: one request per choice, prompt-major', () => {
    const prompts = translate({ prompt: ['a', 'b'], n: 2 }).map((native) => native.prompt);
    assert.deepEqual(prompts, ['a', 'a', 'b', 'b']);
  });

  test('token arrays, an empty prompt list and unsupported options are refused naming them', () => {
    assertRefused({ prompt: [1, 2, 3] }, 'prompt');
    assertRefused({ prompt: [[1, 2]] }, 'prompt');
    assertRefused({ prompt: [] }, 'prompt');
    assertRefused({ best_of: 3 }, 'best_of');
    assertRefused({ logit_bias: { '1': 5 } }, 'logit_bias');
    assertRefused({ stop: ['a', 2] }, 'stop[1]');
    assertRefused({ temperature: 'hot' }, 'temperature');
  });

  test('logprobs: n asks Ollama for logprobs and the n most likely tokens', () => {
    const [native] = translate({ logprobs: 2 });
    assert.equal(native?.logprobs, true);
    assert.equal(native?.top_logprobs, 2);
  });

  test('ignored fields change nothing', () => {
    const expected = translate({});
    assert.ok(ignoredCompletionFields.length > 0);
    const ignored = { user: 'u', best_of: 1, logprobs: 0, echo: false, stream_options: { include_obfuscation: true }, logit_bias: {}, unknown_key: 1 };
    assert.deepEqual(translate(ignored), expected);
  });
});
