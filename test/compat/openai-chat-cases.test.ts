/** Ollama's tests of its chat layer (middleware/openai_test.go `TestChatMiddleware`, `TestChatWriter_*`) as cases. */
import assert from 'node:assert/strict';
import { openAIError, runCompatCases, user, type CompatCase } from './compat-case.ts';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk+A8AAQUBAScY42YAAAAASUVORK5CYII=';
const weatherCall = { id: 'id', type: 'function', function: { name: 'get_current_weather', arguments: '{"location": "Paris, France", "format": "celsius"}' } };
const nativeWeatherCall = { id: 'id', function: { index: 0, name: 'get_current_weather', arguments: { location: 'Paris, France', format: 'celsius' } } };
const question = "What's the weather like in Paris Today?";
const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather',
    parameters: {
      type: 'object',
      required: ['location'],
      properties: { location: { type: 'string', description: 'The city and state' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    },
  },
};
const chat = (body: Record<string, unknown>) => ({ model: 'llama3.2', messages: [user('Hello')], ...body });
const openAIChatCases: CompatCase[] = [
  {
    from: 'TestChatMiddleware/chat handler',
    name: 'a plain chat sends only what the client set (Ollama forces temperature and top_p 1.0: we leave the Modelfile defaults)',
    path: '/v1/chat/completions',
    body: chat({}),
    status: 200,
    contentType: 'application/json',
    native: { path: '/api/chat', body: { model: 'llama3.2:latest', messages: [user('Hello')], stream: false } },
    answer: { object: 'chat.completion', model: 'llama3.2', system_fingerprint: 'fp_ollama', choices: [{ index: 0, message: { role: 'assistant' } }] },
  },
  {
    from: 'TestChatMiddleware/chat handler with options',
    name: 'sampling values outside OpenAI ranges are forwarded as they are',
    path: '/v1/chat/completions',
    body: chat({ stream: true, max_tokens: 999, seed: 123, stop: ['\n', 'stop'], temperature: 3.0, frequency_penalty: 4.0, presence_penalty: 5.0, top_p: 6.0, response_format: { type: 'json_object' } }),
    status: 200,
    native: {
      path: '/api/chat',
      body: {
        model: 'llama3.2:latest',
        messages: [user('Hello')],
        stream: true,
        options: { num_predict: 999, seed: 123, stop: ['\n', 'stop'], temperature: 3, frequency_penalty: 4, presence_penalty: 5, top_p: 6 },
        format: 'json',
      },
    },
    frames: (frames) => assert.equal(frames.at(-1), '[DONE]'),
  },
  {
    from: 'TestChatMiddleware/chat handler with streaming usage',
    name: 'include_usage ends the stream with a usage chunk of no choices',
    path: '/v1/chat/completions',
    body: chat({ stream: true, stream_options: { include_usage: true }, max_tokens: 3 }),
    status: 200,
    frames: (frames) => {
      const usage = JSON.parse(frames.at(-2) ?? '{}') as { choices: unknown[]; usage: { total_tokens: number } };
      assert.deepEqual(usage.choices, []);
      assert.ok(usage.usage.total_tokens > 0);
      assert.equal(frames.at(-1), '[DONE]');
    },
  },
  {
    from: 'TestChatMiddleware/chat handler with image content',
    name: 'each content part becomes its own native message; the image as bare base64',
    path: '/v1/chat/completions',
    body: { model: 'llava', messages: [user([{ type: 'text', text: 'Hello' }, { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${PNG}` } }])] },
    status: 200,
    native: { path: '/api/chat', body: { model: 'llava:latest', messages: [user('Hello'), { role: 'user', content: '', images: [PNG] }], stream: false } },
  },
  {
    from: 'TestChatMiddleware/chat handler with tools',
    name: 'assistant tool calls: arguments parsed into an object, id kept, type dropped',
    path: '/v1/chat/completions',
    body: chat({ messages: [user(question), { role: 'assistant', tool_calls: [weatherCall] }] }),
    status: 200,
    native: { path: '/api/chat', body: { model: 'llama3.2:latest', messages: [user(question), { role: 'assistant', content: '', tool_calls: [nativeWeatherCall] }], stream: false } },
  },
  {
    from: 'TestChatMiddleware/chat handler with tools and content',
    name: 'an assistant message keeps its content beside its tool calls',
    path: '/v1/chat/completions',
    body: chat({ messages: [user(question), { role: 'assistant', content: "Let's see what the weather is like in Paris", tool_calls: [weatherCall] }] }),
    status: 200,
    native: {
      path: '/api/chat',
      body: { model: 'llama3.2:latest', messages: [user(question), { role: 'assistant', content: "Let's see what the weather is like in Paris", tool_calls: [nativeWeatherCall] }], stream: false },
    },
  },
  {
    from: 'TestChatMiddleware/chat handler with tools and empty content',
    name: 'empty content with tool calls',
    path: '/v1/chat/completions',
    body: chat({ messages: [user(question), { role: 'assistant', content: '', tool_calls: [weatherCall] }] }),
    status: 200,
    native: { path: '/api/chat', body: { model: 'llama3.2:latest', messages: [user(question), { role: 'assistant', content: '', tool_calls: [nativeWeatherCall] }], stream: false } },
  },
  {
    from: 'TestChatMiddleware/chat handler with tools and thinking content',
    name: "the assistant's reasoning becomes native thinking",
    path: '/v1/chat/completions',
    body: chat({ messages: [user(question), { role: 'assistant', reasoning: "Let's see what the weather is like in Paris", tool_calls: [weatherCall] }] }),
    status: 200,
    native: {
      path: '/api/chat',
      body: {
        model: 'llama3.2:latest',
        messages: [user(question), { role: 'assistant', content: '', thinking: "Let's see what the weather is like in Paris", tool_calls: [nativeWeatherCall] }],
        stream: false,
      },
    },
  },
  {
    from: 'TestChatMiddleware/tool response with call ID',
    name: 'a tool result names its tool from the matching earlier call',
    path: '/v1/chat/completions',
    body: chat({ messages: [user(question), { role: 'assistant', tool_calls: [{ ...weatherCall, id: 'id_abc' }] }, { role: 'tool', tool_call_id: 'id_abc', content: 'The weather in Paris is 20 degrees Celsius' }] }),
    status: 200,
    native: {
      path: '/api/chat',
      body: {
        model: 'llama3.2:latest',
        messages: [
          user(question),
          { role: 'assistant', content: '', tool_calls: [{ ...nativeWeatherCall, id: 'id_abc' }] },
          { role: 'tool', content: 'The weather in Paris is 20 degrees Celsius', tool_call_id: 'id_abc', tool_name: 'get_current_weather' },
        ],
        stream: false,
      },
    },
  },
  {
    from: 'TestChatMiddleware/tool response with name',
    name: 'a tool result with a name sends it as tool_name',
    path: '/v1/chat/completions',
    body: chat({ messages: [user(question), { role: 'assistant', tool_calls: [weatherCall] }, { role: 'tool', name: 'get_current_weather', content: 'The weather in Paris is 20 degrees Celsius' }] }),
    status: 200,
    native: {
      path: '/api/chat',
      body: {
        model: 'llama3.2:latest',
        messages: [user(question), { role: 'assistant', content: '', tool_calls: [nativeWeatherCall] }, { role: 'tool', content: 'The weather in Paris is 20 degrees Celsius', tool_name: 'get_current_weather' }],
        stream: false,
      },
    },
  },
  {
    from: 'TestChatMiddleware/chat handler with streaming tools',
    name: 'tools are forwarded with their parameters schema',
    path: '/v1/chat/completions',
    body: chat({ stream: true, messages: [user("What's the weather like in Paris?")], tools: [weatherTool] }),
    status: 200,
    native: { path: '/api/chat', body: { model: 'llama3.2:latest', messages: [user("What's the weather like in Paris?")], stream: true, tools: [weatherTool] } },
  },
  {
    from: 'TestChatMiddleware/chat handler error forwarding',
    name: 'a number as content is a 400 invalid_request_error',
    path: '/v1/chat/completions',
    body: chat({ messages: [user(2)] }),
    status: 400,
    answer: openAIError('invalid_request_error'),
  },
  {
    from: 'TestFromChatRequest_TopLogprobsRange',
    name: 'top_logprobs 20 is sent; logprobs with it',
    path: '/v1/chat/completions',
    body: chat({ logprobs: true, top_logprobs: 20, max_tokens: 1 }),
    status: 200,
    native: { path: '/api/chat', body: { model: 'llama3.2:latest', messages: [user('Hello')], stream: false, options: { num_predict: 1 }, logprobs: true, top_logprobs: 20 } },
  },
  {
    from: 'TestChatLogprobs/invalid top_logprobs too high',
    name: 'top_logprobs 21 is a 400',
    path: '/v1/chat/completions',
    body: chat({ logprobs: true, top_logprobs: 21 }),
    status: 400,
    answer: openAIError('invalid_request_error'),
  },
  {
    from: 'TestChatWriter_StreamMixedThinkingAndContentEmitsSplitChunks',
    name: 'a thinking stream: role on the first chunk only, reasoning chunks, then an empty-delta finish chunk',
    path: '/v1/chat/completions',
    body: { model: 'qwen3', messages: [user('hi')], stream: true, max_tokens: 12 },
    status: 200,
    frames: (frames) => {
      const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame) as { choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null }> });
      assert.equal(chunks[0]?.choices[0]?.delta['role'], 'assistant');
      assert.ok(chunks.slice(1).every((chunk) => chunk.choices[0]?.delta['role'] === undefined));
      assert.ok(chunks.some((chunk) => typeof chunk.choices[0]?.delta['reasoning'] === 'string'));
      assert.deepEqual(chunks.at(-1)?.choices[0], { index: 0, delta: {}, finish_reason: 'length' });
    },
  },
];

runCompatCases("OpenAI chat: cases from Ollama's own tests", [{ group: 'POST /v1/chat/completions', cases: openAIChatCases }]);
