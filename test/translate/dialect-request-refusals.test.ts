import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { messagesRequestSchema } from '../../src/anthropic/messages-request.ts';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { parseRequest } from '../../src/openai/parse-request.ts';
import { responsesRequestSchema } from '../../src/openai/responses-request.ts';
import { toOllamaChatRequest as fromMessages } from '../../src/translate/anthropic/to-ollama-chat-request.ts';
import { toCountTokensChatRequest } from '../../src/translate/anthropic/to-count-tokens-request.ts';
import { toOllamaChatRequest as fromResponses } from '../../src/translate/responses/to-ollama-chat-request.ts';

const user = [{ role: 'user', content: 'hi' }];
const messages = (body: Record<string, unknown>, canThink?: boolean) =>
  fromMessages(parseRequest(messagesRequestSchema, { max_tokens: 10, messages: user, ...body }), { model: 'm', canThink });
const responses = (body: Record<string, unknown>) => fromResponses(parseRequest(responsesRequestSchema, { input: 'hi', ...body }), { model: 'm' });

function assertRefused(run: () => unknown, param: string, message?: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof GatewayError, String(error));
    assert.equal(error.status, 400);
    assert.equal(error.param, param);
    if (message) assert.match(error.message, message);
    return true;
  });
}

const tool = { name: 'a', input_schema: { type: 'object' } };

describe('Anthropic Messages request: mapped and refused fields', () => {
  test('thinking and effort → think; dropped for a model that cannot think, unless it turns thinking off', () => {
    assert.equal(messages({ thinking: { type: 'enabled', budget_tokens: 1024 } }).think, true);
    assert.equal(messages({ thinking: { type: 'disabled' }, output_config: { effort: 'high' } }).think, false);
    assert.equal(messages({ thinking: { type: 'adaptive' }, output_config: { effort: 'xhigh' } }).think, 'high');
    assert.equal(messages({ output_config: { effort: 'max' } }).think, 'max');
    assert.equal(messages({}).think, undefined);
    assert.equal(messages({ thinking: { type: 'enabled', budget_tokens: 1024 } }, false).think, undefined);
    assert.equal(messages({ thinking: { type: 'disabled' } }, false).think, false);
  });

  test('tool_choice: none sends no tools, tool only the named one, any and auto all', () => {
    const tools = [tool, { ...tool, name: 'b' }];
    assert.equal(messages({ tools, tool_choice: { type: 'none' } }).tools, undefined);
    assert.deepEqual(messages({ tools, tool_choice: { type: 'tool', name: 'b' } }).tools?.map((each) => each.function.name), ['b']);
    assert.equal(messages({ tools, tool_choice: { type: 'any' } }).tools?.length, 2);
    assertRefused(() => messages({ tools, tool_choice: { type: 'tool', name: 'c' } }), 'tool_choice.name');
  });

  test('output_config.format → format; max_tokens is required', () => {
    assert.deepEqual(messages({ output_config: { format: { type: 'json_schema', schema: { type: 'object' } } } }).format, { type: 'object' });
    assertRefused(() => parseRequest(messagesRequestSchema, { messages: user }), 'max_tokens');
  });

  test('server tools, MCP servers, containers, documents, file images and bad base64 are refused by name', () => {
    assertRefused(() => messages({ tools: [{ type: 'web_search_20250305', name: 'web_search' }] }), 'tools[0].type', /server tool/);
    assertRefused(() => messages({ tools: [{ name: 'x' }] }), 'tools[0].input_schema');
    assertRefused(() => messages({ mcp_servers: [{ type: 'url', url: 'https://mcp.example', name: 'x' }] }), 'mcp_servers');
    assertRefused(() => messages({ container: 'c' }), 'container');
    assert.equal(messages({ context_management: { edits: [] } }).messages?.length, 1, 'context_management is accepted and ignored');
    const withBlock = (block: unknown) => ({ messages: [{ role: 'user', content: [block] }] });
    assertRefused(() => messages(withBlock({ type: 'document', source: { type: 'text', data: 'x' } })), 'messages[0].content[0].type');
    assertRefused(() => messages(withBlock({ type: 'image', source: { type: 'file', file_id: 'f' } })), 'messages[0].content[0].source');
    assertRefused(() => messages(withBlock({ type: 'image', source: { type: 'url', url: 'https://x.example/a.png' } })), 'messages[0].content[0].source', /imageFetch\.enabled is false/);
    assertRefused(() => messages(withBlock({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'not base64!' } })), 'messages[0].content[0].source.data');
  });

  test('count_tokens generates one token (0 would mean no limit to Ollama)', () => {
    const native = toCountTokensChatRequest(parseRequest(messagesRequestSchema.omit({ max_tokens: true }), { messages: user, system: 'S' }) as never, { model: 'm', defaults: { options: { num_ctx: 4096 } } });
    assert.deepEqual(native.options, { num_ctx: 4096, num_predict: 1 });
    assert.equal(native.stream, false);
    assert.deepEqual(native.messages?.map((each) => each.role), ['system', 'user']);
  });
});

describe('Responses request: mapped and refused fields', () => {
  test('text.format, tool_choice, reasoning effort and sampling', () => {
    assert.equal(responses({ text: { format: { type: 'json_object' } } }).format, 'json');
    assert.equal(responses({ text: { format: { type: 'text' } } }).format, undefined);
    const tools = [{ type: 'function', name: 'a' }, { type: 'function', name: 'b' }];
    assert.equal(responses({ tools, tool_choice: 'none' }).tools, undefined);
    assert.deepEqual(responses({ tools, tool_choice: { type: 'function', name: 'b' } }).tools?.map((each) => each.function.name), ['b']);
    assert.deepEqual(responses({ tools, tool_choice: { type: 'allowed_tools', mode: 'auto', tools: [{ type: 'function', name: 'a' }] } }).tools?.map((each) => each.function.name), ['a']);
    assertRefused(() => responses({ tools, tool_choice: { type: 'function', name: 'c' } }), 'tool_choice.name');
    assertRefused(() => responses({ tool_choice: 'required' }), 'tool_choice');
    assert.equal(responses({ reasoning: { effort: 'none' } }).think, false);
    assert.deepEqual(responses({ temperature: 0, top_p: 0.5, max_output_tokens: 9, min_p: 0.1 }).options, { min_p: 0.1, num_predict: 9, temperature: 0, top_p: 0.5 });
    assert.equal(responses({}).options, undefined, 'nothing is injected: the Modelfile defaults stay');
  });

  test('built-in tools, background, conversation, stored prompts, files and item references are refused by name', () => {
    assertRefused(() => responses({ tools: [{ type: 'file_search', vector_store_ids: [] }] }), 'tools[0].type', /built-in tool/);
    assertRefused(() => responses({ tools: [{ type: 'function' }] }), 'tools[0].name');
    assertRefused(() => responses({ background: true }), 'background');
    assertRefused(() => responses({ conversation: 'conv_1' }), 'conversation');
    assertRefused(() => responses({ prompt: { id: 'pmpt_1' } }), 'prompt');
    assertRefused(() => responses({ top_logprobs: 2 }), 'top_logprobs');
    assertRefused(() => responses({ input: [{ type: 'item_reference', id: 'x' }] }), 'input[0].type');
    assertRefused(() => responses({ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] }), 'input[0].content[0].type');
    assertRefused(() => responses({ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }] }), 'input[0].content[0].file_id');
    assertRefused(() => responses({ input: [{ type: 'function_call', call_id: 'c', name: 'n', arguments: '{bad' }] }), 'input[0].arguments');
    assertRefused(() => responses({ input: [{ type: 'web_search_call', id: 'ws' }] }), 'input[0].type');
  });
});
