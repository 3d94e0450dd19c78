import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { chatModel, startStack, thinkingModel, type TestStack } from '../support/start-gateway.ts';

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const clientFor = (stack: TestStack, apiKey = 'sk-ant-test'): Anthropic => new Anthropic({ baseURL: stack.url, apiKey, maxRetries: 0 });

describe('POST /v1/messages with the official Anthropic SDK', () => {
  let stack: TestStack;
  let anthropic: Anthropic;
  before(async () => {
    stack = await startStack({ apiKey: 'sk-ant-test', config: { apiKeys: ['sk-ant-test'], aliases: { 'claude-sonnet-4-5': chatModel } } });
    anthropic = clientFor(stack);
  });
  after(() => stack.close());

  test('messages.create through an alias, authenticated with x-api-key', async () => {
    const message = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 32, system: 'Be brief.', messages: [{ role: 'user', content: 'Say hello' }] });
    assert.match(message.id, /^msg_[A-Za-z0-9_-]{16,}$/);
    assert.equal(message.type, 'message');
    assert.equal(message.role, 'assistant');
    assert.equal(message.model, 'claude-sonnet-4-5');
    assert.ok(message.stop_reason === 'end_turn' || message.stop_reason === 'max_tokens');
    assert.equal(message.stop_sequence, null);
    const text = message.content.find((block) => block.type === 'text');
    assert.ok(text?.type === 'text' && text.text.length > 0);
    assert.ok(message.usage.input_tokens > 0);
    if (stack.sim) {
      const sent = stack.sim.stats.lastBody['/api/chat'] as { model: string; messages: Array<{ role: string }>; options: Record<string, unknown> };
      assert.equal(sent.model, 'llama3.2:latest');
      assert.deepEqual(sent.messages.map((each) => each.role), ['system', 'user']);
      assert.equal(sent.options['num_predict'], 32);
    }
  });

  test('max_tokens reached is stop_reason max_tokens', async () => {
    const message = await anthropic.messages.create({ model: chatModel, max_tokens: 2, messages: [{ role: 'user', content: 'Tell me a story' }] });
    assert.equal(message.stop_reason, 'max_tokens');
    assert.equal(message.usage.output_tokens, 2);
  });

  test('messages.stream: text deltas assemble into the final message', async () => {
    const stream = anthropic.messages.stream({ model: chatModel, max_tokens: 24, messages: [{ role: 'user', content: 'Tell me about rivers' }] });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    assert.ok(text.length > 0);
    const block = final.content[0];
    assert.equal(block?.type === 'text' ? block.text : undefined, text);
    assert.ok(final.stop_reason === 'end_turn' || final.stop_reason === 'max_tokens');
    assert.ok(final.usage.output_tokens > 0);
  });

  test('messages.stream with thinking: a thinking block, then the text', async () => {
    const stream = anthropic.messages.stream({ model: thinkingModel, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Why is the sky blue?' }] });
    let thinking = '';
    stream.on('thinking', (delta) => {
      thinking += delta;
    });
    const final = await stream.finalMessage();
    assert.deepEqual(final.content.map((block) => block.type), ['thinking', 'text']);
    const first = final.content[0];
    assert.equal(first?.type === 'thinking' ? first.thinking : undefined, thinking);
    assert.ok(thinking.length > 0);
  });

  test('thinking asked of a model without the capability is dropped, not a 400', async () => {
    const message = await anthropic.messages.create({ model: chatModel, max_tokens: 16, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Hi' }] });
    assert.ok(message.content.length > 0);
    if (stack.sim) assert.equal((stack.sim.stats.lastBody['/api/chat'] as { think?: unknown }).think, undefined);
  });

  test('a tool_use round trip: stream the call, send the tool_result, get the answer', async () => {
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris? Use get_weather.' }];
    const stream = anthropic.messages.stream({ model: chatModel, max_tokens: 256, tools: [weatherTool], messages });
    const first = await stream.finalMessage();
    assert.equal(first.stop_reason, 'tool_use');
    const call = first.content.find((block) => block.type === 'tool_use');
    assert.ok(call?.type === 'tool_use');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(Object.keys(call.input as object), ['city']);
    const second = await anthropic.messages.create({
      model: chatModel,
      max_tokens: 256,
      tools: [weatherTool],
      messages: [...messages, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '18 C and sunny' }] }],
    });
    const text = second.content.find((block) => block.type === 'text');
    assert.match(text?.type === 'text' ? text.text : '', /18 C and sunny/);
    if (stack.sim) {
      const sent = stack.sim.stats.lastBody['/api/chat'] as { messages: Array<{ role: string; tool_call_id?: string; tool_name?: string }> };
      assert.deepEqual(sent.messages.map((each) => each.role), ['user', 'assistant', 'tool']);
      assert.equal(sent.messages[2]?.tool_call_id, call.id);
      assert.equal(sent.messages[2]?.tool_name, 'get_weather');
    }
  });

  test('count_tokens counts with the model, the same for a prompt seen before', async () => {
    const request = { model: chatModel, system: 'Be brief.', messages: [{ role: 'user' as const, content: 'How many tokens is this?' }] };
    const first = await anthropic.messages.countTokens(request);
    const second = await anthropic.messages.countTokens(request);
    assert.ok(first.input_tokens > 0);
    assert.equal(second.input_tokens, first.input_tokens);
    if (stack.sim) assert.equal((stack.sim.stats.lastBody['/api/chat'] as { options: Record<string, unknown> }).options['num_predict'], 1);
  });

  test('errors are Anthropic error classes with its types', async () => {
    await assert.rejects(anthropic.messages.create({ model: 'no-such-model', max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.NotFoundError);
      assert.equal((error.error as { error?: { type?: string } }).error?.type, 'not_found_error');
      return true;
    });
    await assert.rejects(clientFor(stack, 'wrong').messages.create({ model: chatModel, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] }), Anthropic.AuthenticationError);
    await assert.rejects(
      anthropic.messages.create({ model: chatModel, max_tokens: 8, tools: [{ type: 'web_search_20250305', name: 'web_search' }], messages: [{ role: 'user', content: 'Hi' }] }),
      (error: unknown) => error instanceof Anthropic.BadRequestError && /server tool/.test(error.message),
    );
  });
});

describe('Anthropic errors from limits: 429 and 529, ping while queued', () => {
  let stack: TestStack;
  let anthropic: Anthropic;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: { retries: { attempts: 0, baseDelayMs: 1, maxDelayMs: 1 }, models: { [chatModel]: { maxConcurrent: 1, maxQueue: 1 } }, queueHeartbeat: { openAfterMs: 1, intervalMs: 1_000 } },
    });
    anthropic = clientFor(stack);
  });
  after(() => stack.close());

  test('a full queue is 529 OverloadedError with Retry-After; a waiting stream gets ping events', async () => {
    stack.sim!.gate.hold();
    const holding = anthropic.messages.create({ model: chatModel, max_tokens: 4, messages: [{ role: 'user', content: 'Hi' }] });
    await stack.sim!.gate.whenWaiting(1);
    const queued = await fetch(`${stack.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: chatModel, max_tokens: 4, stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    const reader = queued.body!.getReader();
    const firstChunk = new TextDecoder().decode((await reader.read()).value);
    assert.equal(firstChunk, 'event: ping\ndata: {"type":"ping"}\n\n');
    await assert.rejects(anthropic.messages.create({ model: chatModel, max_tokens: 4, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.APIError);
      assert.equal(error.status, 529);
      assert.equal((error.error as { error?: { type?: string } }).error?.type, 'overloaded_error');
      assert.ok(Number(error.headers?.get('retry-after')) >= 1);
      return true;
    });
    stack.sim!.gate.release();
    await holding;
    let rest = firstChunk;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    assert.match(rest, /event: message_start[\s\S]*event: message_stop/);
  });

  test('errors before the handler (bad JSON) are in Anthropic shape too, with request-id', async () => {
    const response = await fetch(`${stack.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": ' });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { type: string; error: { type: string }; request_id: string };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(response.headers.get('request-id'), body.request_id);
  });

  test('an upstream rate limit is 429 RateLimitError', async () => {
    stack.sim!.injectFault({ kind: 'status429', route: '/api/chat' });
    await assert.rejects(anthropic.messages.create({ model: chatModel, max_tokens: 4, messages: [{ role: 'user', content: 'Hi' }] }), Anthropic.RateLimitError);
  });

  test('a failure after the stream started is an error event the SDK raises', async () => {
    stack.sim!.injectFault({ kind: 'errorLine', route: '/api/chat', afterTokens: 2 });
    const stream = anthropic.messages.stream({ model: chatModel, max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] });
    await assert.rejects(stream.finalMessage(), (error: unknown) => error instanceof Anthropic.APIError && /Ollama failed while generating/.test(error.message));
  });
});
