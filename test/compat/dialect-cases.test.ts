/** Ollama's tests of its Anthropic and Responses layers (middleware/anthropic_test.go, openai/responses_test.go) as cases. */
import { runCompatCases, user, type CompatCase } from './compat-case.ts';

const anthropicCases: CompatCase[] = [
  {
    from: 'TestAnthropicMessagesMiddleware/with options',
    name: 'Anthropic: max_tokens, sampling and stop_sequences become options',
    path: '/v1/messages',
    body: { model: 'llama3.2', max_tokens: 2048, temperature: 0.7, top_p: 0.9, top_k: 40, stop_sequences: ['\n', 'END'], messages: [user('Hello')] },
    status: 200,
    native: { path: '/api/chat', body: { model: 'llama3.2:latest', messages: [user('Hello')], stream: false, options: { num_predict: 2048, temperature: 0.7, top_p: 0.9, top_k: 40, stop: ['\n', 'END'] } } },
  },
  {
    from: 'TestAnthropicMessagesMiddleware/with system prompt',
    name: 'Anthropic: system becomes the first message',
    path: '/v1/messages',
    body: { model: 'llama3.2', max_tokens: 1024, system: 'You are helpful.', messages: [user('Hello')] },
    status: 200,
    native: { path: '/api/chat', body: { model: 'llama3.2:latest', messages: [{ role: 'system', content: 'You are helpful.' }, user('Hello')], stream: false, options: { num_predict: 1024 } } },
  },
  {
    from: 'TestAnthropicMessagesMiddleware/with tool result',
    name: 'Anthropic: tool_use and tool_result become a tool call and a tool message',
    path: '/v1/messages',
    body: {
      model: 'llama3.2',
      max_tokens: 1024,
      messages: [
        user("What's the weather?"),
        { role: 'assistant', content: [{ type: 'tool_use', id: 'call_123', name: 'get_weather', input: { location: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_123', content: 'Sunny, 22°C' }] },
      ],
    },
    status: 200,
    native: {
      path: '/api/chat',
      body: {
        model: 'llama3.2:latest',
        messages: [
          user("What's the weather?"),
          { role: 'assistant', content: '', tool_calls: [{ id: 'call_123', function: { index: 0, name: 'get_weather', arguments: { location: 'Paris' } } }] },
          { role: 'tool', content: 'Sunny, 22°C', tool_call_id: 'call_123', tool_name: 'get_weather' },
        ],
        stream: false,
        options: { num_predict: 1024 },
      },
    },
  },
  {
    from: 'TestAnthropicMessagesMiddleware/with thinking enabled',
    name: 'Anthropic: thinking enabled turns think on',
    path: '/v1/messages',
    body: { model: 'qwen3', max_tokens: 1024, thinking: { type: 'enabled', budget_tokens: 1000 }, messages: [user('Hello')] },
    status: 200,
    native: { path: '/api/chat', body: { model: 'qwen3:latest', messages: [user('Hello')], stream: false, options: { num_predict: 1024 }, think: true } },
  },
  { from: 'TestAnthropicMessagesMiddleware_InvalidJSON', name: 'Anthropic: invalid JSON is a 400 invalid_request_error', path: '/v1/messages', body: '{invalid json', status: 400, answer: { type: 'error', error: { type: 'invalid_request_error' } } },
];

/** A Responses request for llama3.2 and the native messages it must become. */
function responsesCase(from: string, name: string, request: Record<string, unknown>, messages: unknown[]): CompatCase {
  return {
    from,
    name,
    path: '/v1/responses',
    body: { model: 'llama3.2', max_output_tokens: 1, ...request },
    status: 200,
    native: { path: '/api/chat', body: { model: 'llama3.2:latest', messages, stream: false, options: { num_predict: 1 } } },
  };
}

const call = (id: string, name: string, args: Record<string, unknown>) => ({ id, function: { name, arguments: args, index: 0 } });

const responsesCases: CompatCase[] = [
  responsesCase(
    'TestFromResponsesRequestMergesMessageAfterFunctionCall',
    'Responses: an assistant message after a function call joins it',
    {
      input: [
        user('Find Ollama.'),
        { type: 'function_call', call_id: 'call_test', name: 'exec_command', arguments: '{"cmd":"pwd"}' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'I found Ollama.' }] },
        { type: 'function_call_output', call_id: 'call_test', output: '/tmp' },
      ],
    },
    [
      user('Find Ollama.'),
      { role: 'assistant', content: 'I found Ollama.', tool_calls: [call('call_test', 'exec_command', { cmd: 'pwd' })] },
      { role: 'tool', content: '/tmp', tool_call_id: 'call_test', tool_name: 'exec_command' },
    ],
  ),
  responsesCase(
    'TestFromResponsesRequest_FunctionCallOutputContentArray',
    'Responses: an output of text parts is joined',
    {
      input: [
        user('what is the weather?'),
        { type: 'function_call', call_id: 'call_abc123', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_abc123', output: [{ type: 'input_text', text: 'sunny' }, { type: 'input_text', text: ', 72F' }] },
      ],
    },
    [
      user('what is the weather?'),
      { role: 'assistant', content: '', tool_calls: [call('call_abc123', 'get_weather', { city: 'Paris' })] },
      { role: 'tool', content: 'sunny, 72F', tool_call_id: 'call_abc123', tool_name: 'get_weather' },
    ],
  ),
  responsesCase('TestFromResponsesRequest_Instructions', 'Responses: instructions become the system message', { instructions: 'You are helpful.', input: 'Hello' }, [
    { role: 'system', content: 'You are helpful.' },
    user('Hello'),
  ]),
];

runCompatCases("Anthropic Messages and Responses: cases from Ollama's own tests", [
  { group: 'POST /v1/messages', cases: anthropicCases },
  { group: 'POST /v1/responses', cases: responsesCases },
]);
