import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { chatCompletionRequestSchema } from '../../src/openai/chat-completion-request.ts';
import { ignoredChatFields } from '../../src/openai/ignored-fields.ts';
import { parseRequest } from '../../src/openai/parse-request.ts';
import type { TranslationDefaults } from '../../src/translate/build-ollama-options.ts';
import { toOllamaChatRequest } from '../../src/translate/to-ollama-chat-request.ts';

const user = { role: 'user', content: 'hi' };
const png = 'iVBORw0KGgo=';

function translate(body: Record<string, unknown>, defaults?: TranslationDefaults) {
  const request = parseRequest(chatCompletionRequestSchema, { model: 'gpt-4o-mini', messages: [user], ...body });
  return toOllamaChatRequest(request, { model: 'llama3.2:latest', defaults });
}

function assertRefused(body: Record<string, unknown>, param: string, message?: RegExp): void {
  assert.throws(
    () => translate(body),
    (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 400);
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.param, param);
      if (message) assert.match(error.message, message);
      return true;
    },
  );
}

const minimal = { model: 'llama3.2:latest', messages: [{ role: 'user', content: 'hi' }], stream: false };

describe('toOllamaChatRequest: top-level fields', () => {
  test('sends only what the client set: no forced temperature or top_p, stream explicit', () => {
    assert.deepEqual(translate({}), minimal);
    assert.equal(translate({ stream: true }).stream, true);
    assert.equal(translate({ stream: null }).stream, false);
  });

  test('sampling fields go to options', () => {
    const native = translate({ temperature: 0, top_p: 0.5, seed: 7, frequency_penalty: -1, presence_penalty: 2, max_tokens: 20 });
    assert.deepEqual(native.options, { temperature: 0, top_p: 0.5, seed: 7, frequency_penalty: -1, presence_penalty: 2, num_predict: 20 });
  });

  test('max_completion_tokens becomes num_predict and wins over max_tokens', () => {
    assert.deepEqual(translate({ max_completion_tokens: 64 }).options, { num_predict: 64 });
    assert.deepEqual(translate({ max_tokens: 10, max_completion_tokens: 64 }).options, { num_predict: 64 });
  });

  test('stop: a string becomes a list; a non-string item is refused, not dropped', () => {
    assert.deepEqual(translate({ stop: 'END' }).options, { stop: ['END'] });
    assert.deepEqual(translate({ stop: ['a', 'b'] }).options, { stop: ['a', 'b'] });
    assertRefused({ stop: ['a', 1] }, 'stop[1]');
    assertRefused({ stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop');
  });

  test("sampling numbers outside OpenAI's ranges are sent as they are, like Ollama's layer does", () => {
    const options = { temperature: 3, top_p: 6, frequency_penalty: 4, presence_penalty: 5 };
    assert.deepEqual(translate(options).options, options);
    assertRefused({ temperature: 'hot' }, 'temperature', /number/);
  });

  test('ranges are checked, not clamped', () => {
    assertRefused({ n: 0 }, 'n');
    assertRefused({ n: 129 }, 'n');
    assertRefused({ max_tokens: 0 }, 'max_tokens');
    assertRefused({ seed: 1.5 }, 'seed', /integer/);
  });

  test('configured defaults sit under the client values', () => {
    const defaults = { options: { temperature: 0.2, num_ctx: 8192 }, keepAlive: '10m' };
    const native = translate({ temperature: 0.9 }, defaults);
    assert.deepEqual(native.options, { temperature: 0.9, num_ctx: 8192 });
    assert.equal(native.keep_alive, '10m');
    assert.equal(translate({ keep_alive: 0 }, defaults).keep_alive, 0);
    assert.equal(translate({ keep_alive: '-1m' }).keep_alive, '-1m');
    assertRefused({ keep_alive: '10' }, 'keep_alive');
  });

  test('response_format', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    assert.equal(translate({ response_format: { type: 'json_object' } }).format, 'json');
    assert.deepEqual(translate({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema, strict: true } } }).format, schema);
    assert.equal(translate({ response_format: { type: 'json_schema', json_schema: { name: 'x' } } }).format, 'json');
    assert.equal('format' in translate({ response_format: { type: 'text' } }), false);
    assertRefused({ response_format: { type: 'yaml' } }, 'response_format.type');
  });

  test('reasoning_effort → think, reasoning.effort wins, invalid values refused with Ollama’s message', () => {
    const expected = { none: false, minimal: 'low', low: 'low', medium: 'medium', high: 'high', max: 'max', xhigh: 'max', ultra: 'max' };
    for (const [effort, think] of Object.entries(expected)) assert.equal(translate({ reasoning_effort: effort }).think, think, effort);
    assert.equal('think' in translate({}), false);
    assert.equal(translate({ reasoning_effort: 'low', reasoning: { effort: 'high' } }).think, 'high');
    assertRefused({ reasoning_effort: 'extreme' }, 'reasoning_effort', /^invalid reasoning value: "extreme"/);
  });

  test('logprobs and top_logprobs are forwarded; top_logprobs outside 0..20 refused', () => {
    const native = translate({ logprobs: true, top_logprobs: 3 });
    assert.equal(native.logprobs, true);
    assert.equal(native.top_logprobs, 3);
    assertRefused({ logprobs: true, top_logprobs: 21 }, 'top_logprobs');
  });
});

describe('toOllamaChatRequest: tools and tool_choice', () => {
  const weather = {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather',
      parameters: { type: 'object', properties: { city: { type: 'string', minLength: 1 } }, additionalProperties: false },
      strict: true,
    },
  };
  const time = { type: 'function', function: { name: 'get_time' } };
  const names = (body: Record<string, unknown>) => translate(body).tools?.map((tool) => tool.function.name);

  test('sends the full parameters schema, drops strict', () => {
    assert.deepEqual(translate({ tools: [weather] }).tools, [
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: weather.function.parameters } },
    ]);
  });

  test('auto and required send all tools, none sends none, a named one sends only it', () => {
    assert.deepEqual(names({ tools: [weather, time] }), ['get_weather', 'get_time']);
    assert.deepEqual(names({ tools: [weather, time], tool_choice: 'auto' }), ['get_weather', 'get_time']);
    assert.deepEqual(names({ tools: [weather, time], tool_choice: 'required' }), ['get_weather', 'get_time']);
    assert.equal(names({ tools: [weather, time], tool_choice: 'none' }), undefined);
    assert.deepEqual(names({ tools: [weather, time], tool_choice: { type: 'function', function: { name: 'get_time' } } }), ['get_time']);
    const allowed = { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'get_weather' } }] } };
    assert.deepEqual(names({ tools: [weather, time], tool_choice: allowed }), ['get_weather']);
  });

  test('a tool_choice naming no given tool is refused', () => {
    assertRefused({ tools: [weather], tool_choice: { type: 'function', function: { name: 'nope' } } }, 'tool_choice.function.name');
    assertRefused({ tool_choice: 'required' }, 'tool_choice');
    assertRefused({ tools: [{ type: 'custom', custom: { name: 'x' } }] }, 'tools[0].type');
  });
});

describe('toOllamaChatRequest: messages', () => {
  const messagesOf = (messages: unknown[]) => translate({ messages }).messages ?? [];

  test('developer is sent as system', () => {
    assert.deepEqual(messagesOf([{ role: 'developer', content: 'be brief' }, user]), [{ role: 'system', content: 'be brief' }, user]);
  });

  test('content parts become separate native messages; images as base64', () => {
    const content = [
      { type: 'text', text: 'what is this?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}`, detail: 'low' } },
      { type: 'image_url', image_url: `data:image/jpeg;base64,${png}` },
    ];
    assert.deepEqual(messagesOf([{ role: 'user', content }]), [
      { role: 'user', content: 'what is this?' },
      { role: 'user', content: '', images: [png] },
      { role: 'user', content: '', images: [png] },
    ]);
  });

  test('image URLs, other media types and bad base64 are refused naming the part', () => {
    const withImage = (url: string) => ({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url } }] }] });
    assertRefused(withImage('https://example.com/cat.png'), 'messages[0].content[1].image_url', /base64/);
    assertRefused(withImage(`data:image/gif;base64,${png}`), 'messages[0].content[1].image_url', /invalid image input/);
    assertRefused(withImage('data:image/png;base64,not base64!'), 'messages[0].content[1].image_url', /invalid image input/);
  });

  test('input_audio goes to images; bad base64 and file parts are refused', () => {
    const audio = { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } };
    assert.deepEqual(messagesOf([{ role: 'user', content: [audio] }]), [{ role: 'user', content: '', images: ['UklGRg=='] }]);
    assertRefused({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: '%%%' } }] }] }, 'messages[0].content[0].input_audio.data');
    assertRefused({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] }, 'messages[0].content[0]', /file/);
  });

  test('assistant tool calls: arguments parsed, index counted, type dropped; thinking from reasoning', () => {
    const assistant = {
      role: 'assistant',
      content: null,
      reasoning: 'need weather',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","days":2}' } },
        { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } },
      ],
    };
    assert.deepEqual(messagesOf([user, assistant])[1], {
      role: 'assistant',
      content: '',
      thinking: 'need weather',
      tool_calls: [
        { id: 'call_1', function: { index: 0, name: 'get_weather', arguments: { city: 'Paris', days: 2 } } },
        { id: 'call_2', function: { index: 1, name: 'get_time', arguments: {} } },
      ],
    });
    assert.equal(messagesOf([user, { role: 'assistant', content: 'ok', reasoning_content: 'r1' }])[1]?.thinking, 'r1');
  });

  test('invalid tool call arguments are refused naming them', () => {
    const assistant = (args: string) => ({ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: args } }] });
    assertRefused({ messages: [user, assistant('{"city":')] }, 'messages[1].tool_calls[0].function.arguments');
    assertRefused({ messages: [user, assistant('[1,2]')] }, 'messages[1].tool_calls[0].function.arguments');
  });

  test('tool messages: tool_name from the last earlier call with that id, tool_call_id forwarded', () => {
    const call = (id: string, name: string) => ({ role: 'assistant', tool_calls: [{ id, type: 'function', function: { name, arguments: '{}' } }] });
    const messages = messagesOf([user, call('c1', 'first'), call('c1', 'second'), { role: 'tool', tool_call_id: 'c1', content: '42' }]);
    assert.deepEqual(messages[3], { role: 'tool', content: '42', tool_call_id: 'c1', tool_name: 'second' });
    const named = messagesOf([user, call('c1', 'first'), { role: 'tool', tool_call_id: 'c1', name: 'explicit', content: '1' }]);
    assert.equal(named[2]?.tool_name, 'explicit');
    const unknown = messagesOf([user, { role: 'tool', tool_call_id: 'zz', content: '1' }]);
    assert.deepEqual(unknown[1], { role: 'tool', content: '1', tool_call_id: 'zz' });
  });

  test('a tool message with a name but no tool_call_id is mapped by its name (as Ollama accepts it)', () => {
    assert.deepEqual(messagesOf([user, { role: 'tool', name: 'get_weather', content: 'sunny' }])[1], { role: 'tool', content: 'sunny', tool_name: 'get_weather' });
    assertRefused({ messages: [user, { role: 'tool', content: 'sunny' }] }, 'messages[1].tool_call_id');
  });

  test('a function message is sent as a tool message named after the function', () => {
    assert.deepEqual(messagesOf([user, { role: 'function', name: 'lookup', content: 'x' }])[1], { role: 'tool', content: 'x', tool_name: 'lookup' });
  });

  test('tool calls ride on the last message made from content parts', () => {
    const assistant = {
      role: 'assistant',
      content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }],
      tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
    };
    const messages = messagesOf([user, assistant]);
    assert.deepEqual(messages.slice(1), [
      { role: 'assistant', content: 'a' },
      { role: 'assistant', content: 'b', tool_calls: [{ id: 'c', function: { index: 0, name: 'f', arguments: {} } }] },
    ]);
  });

  test('messages are validated: empty list, unknown role, wrong content type', () => {
    assertRefused({ messages: [] }, 'messages');
    assertRefused({ messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role');
    assertRefused({ messages: [{ role: 'user', content: 3 }] }, 'messages[0].content', /expected string or array/);
    assertRefused({ messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id', /Missing required parameter/);
  });
});

describe('toOllamaChatRequest: accepted-and-ignored and refused fields', () => {
  const samples: Record<string, unknown> = {
    user: 'u-1',
    safety_identifier: 'hash',
    store: true,
    metadata: { team: 'a' },
    service_tier: 'auto',
    prompt_cache_key: 'k',
    prompt_cache_retention: '24h',
    prediction: { type: 'content', content: 'draft' },
    parallel_tool_calls: false,
    verbosity: 'low',
    moderation: { model: 'omni' },
  };

  test('every top-level field in the ignored table is accepted and changes nothing', () => {
    const topLevel = ignoredChatFields.map((note) => note.field).filter((field) => /^[a-z_]+$/.test(field));
    assert.deepEqual(topLevel.sort(), Object.keys(samples).sort());
    for (const [field, value] of Object.entries(samples)) assert.deepEqual(translate({ [field]: value }), minimal, field);
  });

  test('other ignored values and unknown keys change nothing', () => {
    assert.deepEqual(translate({ stream_options: { include_obfuscation: false } }), minimal);
    assert.deepEqual(translate({ modalities: ['text'], logit_bias: {}, n: 3, some_future_field: { x: 1 } }), minimal);
    assert.deepEqual(translate({ messages: [{ role: 'user', content: 'hi', name: 'alice' }] }), minimal);
  });

  test('fields whose loss would mislead are refused naming them', () => {
    assertRefused({ logit_bias: { '50256': -100 } }, 'logit_bias');
    assertRefused({ audio: { voice: 'alloy', format: 'mp3' } }, 'audio');
    assertRefused({ modalities: ['text', 'audio'] }, 'modalities');
    assertRefused({ web_search_options: {} }, 'web_search_options');
    assertRefused({ functions: [{ name: 'f' }] }, 'functions');
    assertRefused({ function_call: 'auto' }, 'function_call');
  });
});
