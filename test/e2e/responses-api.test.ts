import assert from 'node:assert/strict';
import { zstdCompressSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { chatModel, realOllamaUrl, startStack, thinkingModel, type TestStack } from '../support/start-gateway.ts';

const realOllamaSkip = (): string | false => (realOllamaUrl === undefined ? false : 'needs the simulator’s faults');

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};

describe('POST /v1/responses with the openai SDK', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  test('responses.create answers a plain input in the Responses shape', async () => {
    const response = await stack.openai.responses.create({ model: chatModel, instructions: 'Be brief.', input: 'Say hello', max_output_tokens: 16 });
    assert.match(response.id, /^resp_[A-Za-z0-9_-]{16,}$/);
    assert.equal(response.object, 'response');
    assert.ok(response.status === 'completed' || response.status === 'incomplete');
    assert.equal(response.model, chatModel);
    assert.equal(response.instructions, 'Be brief.');
    assert.ok(response.output_text.length > 0);
    const message = response.output.find((item) => item.type === 'message');
    assert.match(message?.id ?? '', /^msg_/);
    assert.ok((response.usage?.input_tokens ?? 0) > 0);
    assert.equal(response.usage?.total_tokens, (response.usage?.input_tokens ?? 0) + (response.usage?.output_tokens ?? 0));
    if (stack.sim) {
      const sent = stack.sim.stats.lastBody['/api/chat'] as { messages: Array<{ role: string }>; options: Record<string, unknown> };
      assert.deepEqual(sent.messages.map((each) => each.role), ['system', 'user']);
      assert.equal(sent.options['num_predict'], 16);
    }
  });

  test('a cut-off answer is incomplete with the reason', async () => {
    const response = await stack.openai.responses.create({ model: chatModel, input: 'Tell me a long story', max_output_tokens: 2 });
    assert.equal(response.status, 'incomplete');
    assert.equal(response.incomplete_details?.reason, 'max_output_tokens');
  });

  test('streams the event sequence in order, and its text is the whole answer', async () => {
    const stream = await stack.openai.responses.create({ model: chatModel, input: 'Tell me about rivers', stream: true, max_output_tokens: 24 });
    const types: string[] = [];
    const sequence: number[] = [];
    let text = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed' || event.type === 'response.incomplete') completed = event.response;
    }
    assert.deepEqual(sequence, sequence.map((_, index) => index));
    assert.deepEqual(types.slice(0, 4), ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    assert.deepEqual(types.slice(-4, -1), ['response.output_text.done', 'response.content_part.done', 'response.output_item.done']);
    assert.ok(text.length > 0);
    const message = completed?.output.find((item) => item.type === 'message');
    assert.equal(message?.type === 'message' ? message.content.map((part) => (part.type === 'output_text' ? part.text : '')).join('') : '', text);
  });

  test('reasoning comes back as a reasoning item before the message', async () => {
    const response = await stack.openai.responses.create({ model: thinkingModel, input: 'Why is the sky blue?', reasoning: { effort: 'low' }, max_output_tokens: 64 });
    const types = response.output.map((item) => item.type);
    assert.equal(types[0], 'reasoning');
    assert.ok(types.includes('message'));
  });

  test('a function tool round trip with function_call_output', async () => {
    const input: OpenAI.Responses.ResponseInput = [{ role: 'user', content: 'What is the weather in Paris? Use get_weather.' }];
    const first = await stack.openai.responses.create({ model: chatModel, input, tools: [weatherTool], store: false });
    const call = first.output.find((item) => item.type === 'function_call');
    assert.ok(call?.type === 'function_call');
    assert.match(call.id ?? '', /^fc_/);
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(Object.keys(JSON.parse(call.arguments) as object), ['city']);
    const second = await stack.openai.responses.create({
      model: chatModel,
      tools: [weatherTool],
      input: [...input, call, { type: 'function_call_output', call_id: call.call_id, output: '18 C and sunny' }],
    });
    assert.match(second.output_text, /18 C and sunny/);
    if (stack.sim) {
      const sent = stack.sim.stats.lastBody['/api/chat'] as { messages: Array<{ role: string; tool_call_id?: string; tool_name?: string }> };
      assert.deepEqual(sent.messages.map((each) => each.role), ['user', 'assistant', 'tool']);
      assert.equal(sent.messages[2]?.tool_call_id, call.call_id);
      assert.equal(sent.messages[2]?.tool_name, 'get_weather');
    }
  });

  test('a streamed function call carries its arguments', async () => {
    const stream = await stack.openai.responses.create({ model: chatModel, input: 'Weather in Rome? Use get_weather.', tools: [weatherTool], stream: true });
    let args = '';
    let done: OpenAI.Responses.ResponseFunctionToolCall | undefined;
    for await (const event of stream) {
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
      if (event.type === 'response.output_item.done' && event.item.type === 'function_call') done = event.item;
    }
    assert.equal(done?.arguments, args);
    assert.equal(done?.name, 'get_weather');
  });

  test('previous_response_id continues a stored response; GET and DELETE reach it', async () => {
    const first = await stack.openai.responses.create({ model: chatModel, input: 'My name is Ada.', max_output_tokens: 8 });
    const second = await stack.openai.responses.create({ model: chatModel, previous_response_id: first.id, input: 'What is my name?', max_output_tokens: 8 });
    assert.equal(second.previous_response_id, first.id);
    if (stack.sim) {
      const sent = stack.sim.stats.lastBody['/api/chat'] as { messages: Array<{ role: string; content: string }> };
      assert.deepEqual(sent.messages.map((each) => each.role), ['user', 'assistant', 'user']);
      assert.equal(sent.messages[0]?.content, 'My name is Ada.');
      assert.equal(sent.messages[1]?.content, first.output_text);
    }
    const retrieved = await stack.openai.responses.retrieve(first.id);
    assert.equal(retrieved.id, first.id);
    assert.equal(retrieved.output_text, first.output_text);
    await stack.openai.responses.delete(first.id);
    await assert.rejects(stack.openai.responses.retrieve(first.id), OpenAI.NotFoundError);
    await assert.rejects(
      stack.openai.responses.create({ model: chatModel, previous_response_id: first.id, input: 'Again?' }),
      (error: unknown) => error instanceof OpenAI.NotFoundError && (error.error as { param?: string }).param === 'previous_response_id',
    );
  });

  test('a failure after the stream started is an error event the SDK raises', { skip: realOllamaSkip() }, async () => {
    stack.sim!.injectFault({ kind: 'errorLine', route: '/api/chat', afterTokens: 2 });
    const stream = await stack.openai.responses.create({ model: chatModel, input: 'Hi', stream: true });
    const types: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of stream) types.push(event.type);
      })(),
      (error: unknown) => error instanceof OpenAI.APIError && /Ollama failed while generating/.test(error.message),
    );
    assert.ok(types.includes('response.output_text.delta'));
    assert.ok(!types.includes('response.completed'));
  });

  test('a zstd-compressed body (as Codex CLI sends it) is read', async () => {
    const body = zstdCompressSync(Buffer.from(JSON.stringify({ model: chatModel, input: 'Hi', max_output_tokens: 4, store: false })));
    const response = await fetch(`${stack.url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'zstd', authorization: 'Bearer sk-test' }, body });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { object: string }).object, 'response');
  });

  test('store: false keeps nothing', async () => {
    const response = await stack.openai.responses.create({ model: chatModel, input: 'Hi', store: false, max_output_tokens: 4 });
    // `store` is echoed on the wire; the SDK's Response type leaves it out
    assert.equal((response as unknown as { store: boolean }).store, false);
    await assert.rejects(stack.openai.responses.retrieve(response.id), OpenAI.NotFoundError);
  });

  test('built-in tools and unknown items are a 400 naming the param', async () => {
    await assert.rejects(stack.openai.responses.create({ model: chatModel, input: 'Search', tools: [{ type: 'web_search' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal((error.error as { param?: string }).param, 'tools[0].type');
      return true;
    });
    await assert.rejects(
      stack.openai.responses.create({ model: chatModel, input: [{ type: 'item_reference', id: 'msg_1' }] }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && (error.error as { param?: string }).param === 'input[0].type',
    );
  });
});

describe('stored responses belong to the key that made them', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, apiKey: 'sk-one', config: { apiKeys: ['sk-one', 'sk-two'] } });
  });
  after(() => stack.close());

  test('another key cannot read, continue or delete it', async () => {
    const response = await stack.openai.responses.create({ model: chatModel, input: 'Secret', max_output_tokens: 4 });
    const other = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'sk-two', maxRetries: 0 });
    await assert.rejects(other.responses.retrieve(response.id), OpenAI.NotFoundError);
    await assert.rejects(other.responses.create({ model: chatModel, previous_response_id: response.id, input: 'x' }), OpenAI.NotFoundError);
    await assert.rejects(other.responses.delete(response.id), OpenAI.NotFoundError);
    assert.equal((await stack.openai.responses.retrieve(response.id)).id, response.id);
  });
});
