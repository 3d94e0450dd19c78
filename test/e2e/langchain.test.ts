import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { chatModel, embedModel, startStack, type TestStack } from '../support/start-gateway.ts';

/** LangChain's `usage_metadata`, read through a narrow type (its declared type does not survive this tsconfig). */
function outputTokensOf(message: object): number {
  return (message as { usage_metadata?: { output_tokens?: number } }).usage_metadata?.output_tokens ?? 0;
}

describe('LangChain (@langchain/openai) pointed at the gateway', () => {
  let stack: TestStack;
  let chat: ChatOpenAI;
  before(async () => {
    stack = await startStack();
    chat = new ChatOpenAI({ model: chatModel, apiKey: 'unused', maxRetries: 0, configuration: { baseURL: `${stack.url}/v1` } });
  });
  after(() => stack.close());

  test('invoke answers with content and token usage', async () => {
    const answer = await chat.invoke([new HumanMessage('Say hello')]);
    assert.equal(typeof answer.content, 'string');
    assert.ok((answer.content as string).length > 0);
    assert.ok(outputTokensOf(answer) > 0);
  });

  test('stream yields chunks that concatenate to an answer, with usage at the end', async () => {
    let text = '';
    let outputTokens = 0;
    for await (const chunk of await chat.stream([new HumanMessage('Tell me about rivers')])) {
      text += chunk.content as string;
      outputTokens += outputTokensOf(chunk);
    }
    assert.ok(text.length > 0);
    assert.ok(outputTokens > 0);
  });

  test('bindTools: a tool call, a ToolMessage, then the answer', async () => {
    const withTools = chat.bindTools([
      { type: 'function', function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    ]);
    const question = new HumanMessage('Call get_weather for Paris.');
    const first = await withTools.invoke([question]);
    const call = first.tool_calls?.[0];
    assert.equal(call?.name, 'get_weather');
    assert.equal(typeof call?.args['city'], 'string');
    const second = await withTools.invoke([question, new AIMessage({ content: '', tool_calls: first.tool_calls ?? [] }), new ToolMessage({ tool_call_id: call!.id!, content: '{"temperature": 21}' })]);
    assert.ok((second.content as string).length > 0);
  });

  test('streamed tool calls arrive as tool_call_chunks', async () => {
    const withTools = chat.bindTools([{ type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } }]);
    const names: string[] = [];
    for await (const chunk of await withTools.stream([new HumanMessage('Call get_time please.')])) {
      for (const part of chunk.tool_call_chunks ?? []) if (part.name) names.push(part.name);
    }
    assert.deepEqual(names, ['get_time']);
  });

  test('withStructuredOutput returns an object that fits the schema', async () => {
    const structured = chat.withStructuredOutput(
      { type: 'object', properties: { name: { type: 'string' }, population: { type: 'integer' } }, required: ['name', 'population'], additionalProperties: false },
      { name: 'city', method: 'jsonSchema' },
    );
    const city = (await structured.invoke('Describe a city.')) as { name: unknown; population: unknown };
    assert.equal(typeof city.name, 'string');
    assert.ok(Number.isInteger(city.population));
  });

  test('OpenAIEmbeddings embeds a query and documents', async () => {
    const embeddings = new OpenAIEmbeddings({ model: embedModel, apiKey: 'unused', maxRetries: 0, configuration: { baseURL: `${stack.url}/v1` } });
    const query = await embeddings.embedQuery('hello world');
    assert.ok(query.length > 0);
    const documents = await embeddings.embedDocuments(['a', 'b']);
    assert.equal(documents.length, 2);
  });
});
