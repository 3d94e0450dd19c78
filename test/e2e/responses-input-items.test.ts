import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { chatModel, startStack, type TestStack } from '../support/start-gateway.ts';

describe('GET /v1/responses/{id}/input_items with the openai SDK', () => {
  let stack: TestStack;
  let first: OpenAI.Responses.Response;
  let second: OpenAI.Responses.Response;
  before(async () => {
    stack = await startStack();
    first = await stack.openai.responses.create({ model: chatModel, input: 'My name is Ada.', max_output_tokens: 8 });
    second = await stack.openai.responses.create({
      model: chatModel,
      previous_response_id: first.id,
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'What is my name?' }] }],
      max_output_tokens: 8,
    });
  });
  after(() => stack.close());

  test('lists the whole chain, newest first, each item with an id and content parts', async () => {
    const page = await stack.openai.responses.inputItems.list(second.id);
    const items = page.data;
    assert.equal(items.length, 3);
    assert.deepEqual(items.map((item) => (item as { role?: string }).role), ['user', 'assistant', 'user']);
    const [newest, answer, oldest] = items as Array<{ id: string; content: Array<{ type: string; text: string }> }>;
    assert.equal(newest?.content[0]?.text, 'What is my name?');
    assert.equal(answer?.id, first.output.find((item) => item.type === 'message')?.id, 'the first answer keeps its own id');
    assert.deepEqual(oldest?.content, [{ type: 'input_text', text: 'My name is Ada.' }]);
    for (const item of items) assert.match(item.id ?? '', /^msg_\w+/);
    assert.equal(new Set(items.map((item) => item.id)).size, 3);
  });

  test('ids are stable, so the SDK pages through with limit and after', async () => {
    const whole = (await stack.openai.responses.inputItems.list(second.id, { order: 'asc' })).data.map((item) => item.id);
    const paged: Array<string | undefined> = [];
    for await (const item of stack.openai.responses.inputItems.list(second.id, { order: 'asc', limit: 1 })) paged.push(item.id);
    assert.deepEqual(paged, whole);
    const firstPage = await stack.openai.responses.inputItems.list(second.id, { order: 'asc', limit: 2 });
    assert.equal(firstPage.has_more, true);
    const rest = await stack.openai.responses.inputItems.list(second.id, { order: 'asc', limit: 2, after: firstPage.data.at(-1)!.id! });
    assert.deepEqual(rest.data.map((item) => item.id), whole.slice(2));
    assert.equal(rest.has_more, false);
  });

  test('an unknown id is 404 and a limit out of range is 400 naming it', async () => {
    await assert.rejects(stack.openai.responses.inputItems.list('resp_unknown'), OpenAI.NotFoundError);
    await assert.rejects(
      stack.openai.responses.inputItems.list(second.id, { limit: 101 }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && (error.error as { param?: string }).param === 'limit',
    );
  });
});
