import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { chatModel, startStack, thinkingModel, visionModel, type TestStack } from '../support/start-gateway.ts';

// A 1×1 PNG, as a data URL.
const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('POST /v1/chat/completions with the openai SDK', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  test('answers a plain chat in OpenAI shape', async () => {
    const completion = await stack.openai.chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'Say hello' }] });
    assert.match(completion.id, /^chatcmpl-[A-Za-z0-9]{24,}$/);
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.model, chatModel);
    assert.equal(typeof completion.created, 'number');
    assert.equal(completion.choices.length, 1);
    const [choice] = completion.choices;
    assert.equal(choice?.index, 0);
    assert.equal(choice?.message.role, 'assistant');
    assert.ok((choice?.message.content ?? '').length > 0);
    assert.ok(choice?.finish_reason === 'stop' || choice?.finish_reason === 'length');
    assert.ok((completion.usage?.prompt_tokens ?? 0) > 0);
    assert.equal(completion.usage?.total_tokens, (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));
  });

  test('ids are unique per response', async () => {
    const request = { model: chatModel, messages: [{ role: 'user' as const, content: 'Hi' }], max_tokens: 3 };
    const [first, second] = await Promise.all([stack.openai.chat.completions.create(request), stack.openai.chat.completions.create(request)]);
    assert.notEqual(first.id, second.id);
  });

  test('takes a system prompt and several turns', async () => {
    const completion = await stack.openai.chat.completions.create({
      model: chatModel,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Name a colour.' },
        { role: 'assistant', content: 'Blue.' },
        { role: 'user', content: 'Another one?' },
      ],
    });
    assert.ok((completion.choices[0]?.message.content ?? '').length > 0);
    if (stack.sim) {
      const sent = stack.sim.stats.lastBody['/api/chat'] as { messages: Array<{ role: string }> };
      assert.deepEqual(sent.messages.map((message) => message.role), ['system', 'user', 'assistant', 'user']);
    }
  });

  test('streams chunks that reassemble to the non-streamed answer', async () => {
    const request = { model: chatModel, messages: [{ role: 'user' as const, content: 'Tell me about rivers' }], seed: 7, temperature: 0, max_tokens: 24 };
    const whole = await stack.openai.chat.completions.create(request);
    const stream = await stack.openai.chat.completions.create({ ...request, stream: true });
    let text = '';
    const finishReasons: Array<string | null> = [];
    let chunks = 0;
    const ids = new Set<string>();
    const created = new Set<number>();
    for await (const chunk of stream) {
      chunks++;
      ids.add(chunk.id);
      created.add(chunk.created);
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.equal(chunk.usage, undefined);
      for (const choice of chunk.choices) {
        if (chunks === 1) assert.equal(choice.delta.role, 'assistant');
        else assert.equal(choice.delta.role, undefined);
        text += choice.delta.content ?? '';
        finishReasons.push(choice.finish_reason);
      }
    }
    assert.ok(chunks > 2);
    assert.equal(ids.size, 1);
    assert.equal(created.size, 1);
    assert.equal(finishReasons.at(-1), whole.choices[0]?.finish_reason);
    assert.ok(finishReasons.slice(0, -1).every((reason) => reason === null));
    if (stack.sim) assert.equal(text, whole.choices[0]?.message.content);
  });

  test('ends with a usage chunk when include_usage is set', async () => {
    const stream = await stack.openai.chat.completions.create({
      model: chatModel,
      messages: [{ role: 'user', content: 'Count to three' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    assert.deepEqual(last?.choices, []);
    assert.ok((last?.usage?.completion_tokens ?? 0) > 0);
    assert.ok(chunks.slice(0, -1).every((chunk) => chunk.usage === null));
  });

  test('sends images as base64 to a vision model', async () => {
    const completion = await stack.openai.chat.completions.create({
      model: visionModel,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: PIXEL } }] }],
    });
    assert.ok((completion.choices[0]?.message.content ?? '').length > 0);
    if (stack.sim) {
      const sent = stack.sim.stats.lastBody['/api/chat'] as { messages: Array<{ images?: string[] }> };
      assert.deepEqual(sent.messages.flatMap((message) => message.images ?? []), [PIXEL.split(',')[1]]);
    }
  });

  test('JSON mode answers parseable JSON', async () => {
    const completion = await stack.openai.chat.completions.create({
      model: chatModel,
      messages: [{ role: 'user', content: 'Give me a JSON object describing a cat.' }],
      response_format: { type: 'json_object' },
    });
    assert.equal(typeof JSON.parse(completion.choices[0]?.message.content ?? ''), 'object');
  });

  test('json_schema answers JSON that fits the schema', async () => {
    const completion = await stack.openai.chat.completions.create({
      model: chatModel,
      messages: [{ role: 'user', content: 'Describe a city.' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'city',
          strict: true,
          schema: { type: 'object', properties: { name: { type: 'string' }, population: { type: 'integer' } }, required: ['name', 'population'], additionalProperties: false },
        },
      },
    });
    const city = JSON.parse(completion.choices[0]?.message.content ?? '') as { name: unknown; population: unknown };
    assert.equal(typeof city.name, 'string');
    assert.ok(Number.isInteger(city.population));
  });

  test('tools: a call, then a tool message, then the answer', async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      },
    ];
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Call get_weather for Paris.' }];
    const first = await stack.openai.chat.completions.create({ model: chatModel, messages, tools });
    const choice = first.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    const call = choice.message.tool_calls?.[0];
    assert.ok(call && call.type === 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.match(call.id, /\S/);
    assert.equal(typeof (JSON.parse(call.function.arguments) as { city: unknown }).city, 'string');
    messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: '{"temperature": 21}' });
    const second = await stack.openai.chat.completions.create({ model: chatModel, messages, tools });
    assert.equal(second.choices[0]?.finish_reason, 'stop');
    assert.ok((second.choices[0]?.message.content ?? '').length > 0);
    if (stack.sim) {
      const sent = stack.sim.stats.lastBody['/api/chat'] as { messages: Array<{ role: string; tool_name?: string; tool_call_id?: string }> };
      const toolMessage = sent.messages.find((message) => message.role === 'tool');
      assert.equal(toolMessage?.tool_name, 'get_weather');
      assert.equal(toolMessage?.tool_call_id, call.id);
    }
  });

  test('streams tool calls as deltas', async () => {
    const stream = await stack.openai.chat.completions.create({
      model: chatModel,
      stream: true,
      messages: [{ role: 'user', content: 'Call get_time please.' }],
      tools: [{ type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } }],
    });
    const calls = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        calls.push(...(choice.delta.tool_calls ?? []));
        finish = choice.finish_reason ?? finish;
      }
    }
    assert.equal(finish, 'tool_calls');
    assert.equal(calls[0]?.function?.name, 'get_time');
    assert.equal(calls[0]?.index, 0);
  });

  test('returns reasoning from a thinking model', async () => {
    const completion = await stack.openai.chat.completions.create({
      model: thinkingModel,
      messages: [{ role: 'user', content: 'Why is the sky blue?' }],
      reasoning_effort: 'low',
    });
    const message = completion.choices[0]?.message as { reasoning?: string; content: string | null };
    assert.ok((message.reasoning ?? '').length > 0);
    assert.ok((message.content ?? '').length > 0);
  });

  test('n > 1 gives n choices', async () => {
    const completion = await stack.openai.chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'Hi' }], n: 3, max_tokens: 4 });
    assert.deepEqual(completion.choices.map((choice) => choice.index), [0, 1, 2]);
  });

  test('n > 1 streams every choice and one usage chunk', async () => {
    const stream = await stack.openai.chat.completions.create({
      model: chatModel,
      messages: [{ role: 'user', content: 'Hi' }],
      n: 2,
      max_tokens: 4,
      stream: true,
      stream_options: { include_usage: true },
    });
    const finished = new Set<number>();
    let usageChunks = 0;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) if (choice.finish_reason) finished.add(choice.index);
      if (chunk.usage) usageChunks++;
    }
    assert.deepEqual([...finished].sort((left, right) => left - right), [0, 1]);
    assert.equal(usageChunks, 1);
  });
});
