/** Ollama's tests of its other OpenAI routes and of reasoning effort (openai/openai_test.go, middleware/openai*_test.go, server/routes_test.go). */
import assert from 'node:assert/strict';
import { openAIError, runCompatCases, user, type CompatCase } from './compat-case.ts';

const chat = (body: Record<string, unknown>) => ({ model: 'llama3.2', messages: [user('Hello')], ...body });

const reasoningEfforts: Array<[string, unknown]> = [
  ['high', 'high'],
  ['medium', 'medium'],
  ['low', 'low'],
  ['max', 'max'],
  ['minimal', 'low'],
  ['xhigh', 'max'],
  ['ultra', 'max'],
  ['none', false],
];

const effortCases: CompatCase[] = [
  ...reasoningEfforts.map(([effort, think]): CompatCase => ({
    from: `TestFromChatRequest_ReasoningEffort/${effort}`,
    name: `reasoning_effort ${effort} → think ${String(think)}`,
    path: '/v1/chat/completions',
    body: { model: 'qwen3', messages: [user('hi')], reasoning_effort: effort, max_tokens: 1 },
    status: 200,
    native: { path: '/api/chat', body: { model: 'qwen3:latest', messages: [user('hi')], stream: false, options: { num_predict: 1 }, think } },
  })),
  {
    from: 'TestFromChatRequest_ReasoningEffort/invalid',
    name: 'an unknown effort is a 400 with Ollama’s message',
    path: '/v1/chat/completions',
    body: { model: 'qwen3', messages: [user('hi')], reasoning_effort: 'extreme' },
    status: 400,
    answer: openAIError('invalid_request_error', 'invalid reasoning value: "extreme" (must be "minimal", "low", "medium", "high", "xhigh", "ultra", "max", or "none")'),
  },
  {
    from: 'TestFromResponsesRequest_ReasoningEffort/xhigh clamps to max',
    name: 'Responses reasoning.effort maps the same way',
    path: '/v1/responses',
    body: { model: 'qwen3', input: 'hi', reasoning: { effort: 'xhigh' }, max_output_tokens: 1 },
    status: 200,
    native: { path: '/api/chat', body: { model: 'qwen3:latest', messages: [user('hi')], stream: false, options: { num_predict: 1 }, think: 'max' } },
  },
];

const otherOpenAICases: CompatCase[] = [
  {
    from: 'TestCompletionsMiddleware/completions handler stream with usage',
    name: 'completions: stop, temperature and stream go to /api/generate (no forced penalties)',
    path: '/v1/completions',
    body: { model: 'llama3.2', prompt: 'Hello', stream: true, stream_options: { include_usage: true }, temperature: 0.8, stop: ['\n', 'stop'] },
    status: 200,
    native: { path: '/api/generate', body: { model: 'llama3.2:latest', prompt: 'Hello', stream: true, options: { temperature: 0.8, stop: ['\n', 'stop'] } } },
    frames: (frames) => assert.deepEqual((JSON.parse(frames.at(-2) ?? '{}') as { choices: unknown[] }).choices, []),
  },
  {
    from: 'TestCompletionsMiddleware/completions handler error forwarding',
    name: 'completions: a non-string stop item is a 400',
    path: '/v1/completions',
    body: { model: 'llama3.2', prompt: 'Hello', temperature: null, stop: [1, 2] },
    status: 400,
    answer: openAIError('invalid_request_error'),
  },
  {
    from: 'TestFromCompleteRequest_WithLogprobs',
    name: 'completions: logprobs N asks for logprobs and N top tokens',
    path: '/v1/completions',
    body: { model: 'llama3.2', prompt: 'Hello', logprobs: 5, max_tokens: 1 },
    status: 200,
    native: { path: '/api/generate', body: { model: 'llama3.2:latest', prompt: 'Hello', stream: false, options: { num_predict: 1 }, logprobs: true, top_logprobs: 5 } },
  },
  {
    from: 'TestEmbeddingsMiddleware/embed handler single input',
    name: 'embeddings: one input (truncate off: an over-long input is refused, not cut)',
    path: '/v1/embeddings',
    body: { input: 'Hello', model: 'nomic-embed-text' },
    status: 200,
    native: { path: '/api/embed', body: { model: 'nomic-embed-text:latest', input: 'Hello', truncate: false } },
    answer: { object: 'list', model: 'nomic-embed-text', data: [{ object: 'embedding', index: 0 }] },
  },
  {
    from: 'TestEmbeddingsMiddleware_BatchWithBase64',
    name: 'embeddings: a batch, base64 case-insensitively',
    path: '/v1/embeddings',
    body: { input: ['Hello', 'World'], model: 'nomic-embed-text', encoding_format: 'BASE64' },
    status: 200,
    native: { path: '/api/embed', body: { model: 'nomic-embed-text:latest', input: ['Hello', 'World'], truncate: false } },
    answer: { data: [{ index: 0 }, { index: 1 }] },
  },
  {
    from: 'TestEmbeddingsMiddleware/embed handler error forwarding',
    name: 'embeddings: no input is a 400',
    path: '/v1/embeddings',
    body: { model: 'nomic-embed-text' },
    status: 400,
    answer: openAIError('invalid_request_error'),
  },
  {
    from: 'TestEmbeddingsMiddleware_InvalidEncodingFormat',
    name: 'embeddings: an unknown encoding_format is a 400 with Ollama’s message',
    path: '/v1/embeddings',
    body: { model: 'nomic-embed-text', input: 'x', encoding_format: 'invalid' },
    status: 400,
    answer: openAIError('invalid_request_error', "Invalid value for 'encoding_format' = invalid. Supported values: ['float', 'base64']."),
  },
  {
    from: 'TestListMiddleware/list handler',
    name: 'models: id, object, created and owned_by library',
    method: 'GET',
    path: '/v1/models',
    status: 200,
    contentType: 'application/json',
    answer: { object: 'list', data: [{ id: 'llama3.2:latest', object: 'model', created: 1768471200, owned_by: 'library' }] },
  },
  {
    from: 'TestRoutes/openai retrieve model handler',
    name: 'a model: its id echoed as asked',
    method: 'GET',
    path: '/v1/models/llama3.2',
    status: 200,
    contentType: 'application/json',
    answer: { id: 'llama3.2', object: 'model', owned_by: 'library' },
  },
  {
    from: 'TestNewError (404)',
    name: 'an unknown model is a 404 not_found_error',
    method: 'GET',
    path: '/v1/models/no-such-model',
    status: 404,
    contentType: 'application/json',
    answer: openAIError('not_found_error'),
  },
  {
    from: 'TestNewError (404), on chat',
    name: 'chat with an unknown model is a 404 not_found_error',
    path: '/v1/chat/completions',
    body: chat({ model: 'no-such-model' }),
    status: 404,
    answer: openAIError('not_found_error'),
  },
];

runCompatCases("OpenAI completions, embeddings, models and reasoning effort: cases from Ollama's own tests", [
  { group: 'reasoning effort', cases: effortCases },
  { group: 'completions, embeddings, models', cases: otherOpenAICases },
]);
