import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { chatModel, embedModel, startStack, type TestStack } from '../support/start-gateway.ts';

describe('completions, embeddings and models with the openai SDK', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ config: { aliases: { 'gpt-4o-mini': `${chatModel}` } } });
  });
  after(() => stack.close());

  test('POST /v1/completions answers a text_completion', async () => {
    const completion = await stack.openai.completions.create({ model: chatModel, prompt: 'Once upon a time', max_tokens: 16 });
    assert.match(completion.id, /^cmpl-[A-Za-z0-9]{24,}$/);
    assert.equal(completion.object, 'text_completion');
    assert.equal(completion.model, chatModel);
    assert.ok((completion.choices[0]?.text ?? '').length > 0);
    assert.ok(['stop', 'length'].includes(completion.choices[0]?.finish_reason ?? ''));
    assert.ok((completion.usage?.completion_tokens ?? 0) > 0);
  });

  test('completions stream like chat: one created, a finish chunk, usage only at the end', async () => {
    const request = { model: chatModel, prompt: 'The river', max_tokens: 12, temperature: 0, seed: 3 };
    const whole = await stack.openai.completions.create(request);
    const stream = await stack.openai.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const usageChunk = chunks.at(-1)!;
    assert.deepEqual(usageChunk.choices, []);
    assert.ok((usageChunk.usage?.total_tokens ?? 0) > 0);
    const finishChunk = chunks.at(-2)!;
    assert.equal(finishChunk.choices[0]?.text, '');
    assert.ok(finishChunk.choices[0]?.finish_reason);
    assert.equal(new Set(chunks.map((chunk) => chunk.created)).size, 1);
    const text = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.text)).join('');
    if (stack.sim) assert.equal(text, whole.choices[0]?.text);
  });

  test('echo returns the prompt before the completion, streamed or not', async () => {
    const whole = await stack.openai.completions.create({ model: chatModel, prompt: 'Once upon a time', max_tokens: 6, echo: true });
    assert.ok(whole.choices[0]?.text.startsWith('Once upon a time'));
    const stream = await stack.openai.completions.create({ model: chatModel, prompt: 'Once upon a time', max_tokens: 6, echo: true, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    assert.ok(text.startsWith('Once upon a time'));
  });

  test('a prompt array gives one choice per prompt', async () => {
    const completion = await stack.openai.completions.create({ model: chatModel, prompt: ['one', 'two'], max_tokens: 4 });
    assert.deepEqual(completion.choices.map((choice) => choice.index), [0, 1]);
  });

  test('embeddings: one input, a batch, and base64', async () => {
    const single = await stack.openai.embeddings.create({ model: embedModel, input: 'hello world' });
    assert.equal(single.object, 'list');
    assert.equal(single.data.length, 1);
    const vector = single.data[0]!.embedding;
    assert.ok(vector.length > 0);
    const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
    assert.ok(Math.abs(norm - 1) < 1e-3);
    assert.ok(single.usage.prompt_tokens > 0);

    const batch = await stack.openai.embeddings.create({ model: embedModel, input: ['a', 'b', 'c'] });
    assert.deepEqual(batch.data.map((item) => item.index), [0, 1, 2]);

    // The SDK asks for base64 by default and decodes it to floats: the values must match float mode.
    const viaBase64 = await stack.openai.embeddings.create({ model: embedModel, input: 'hello world' });
    assert.deepEqual(viaBase64.data[0]!.embedding.map((value) => Math.fround(value)), vector.map((value) => Math.fround(value)));
    const raw = (await (
      await fetch(`${stack.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: embedModel, input: 'x', encoding_format: 'base64' }) })
    ).json()) as { data: Array<{ embedding: unknown }> };
    assert.equal(typeof raw.data[0]?.embedding, 'string');
  });

  test('GET /v1/models lists models and aliases; retrieve echoes the id', async () => {
    const models = [];
    for await (const model of stack.openai.models.list()) models.push(model);
    const ids = models.map((model) => model.id);
    assert.ok(ids.some((id) => id.startsWith(chatModel)));
    assert.ok(ids.includes('gpt-4o-mini'));
    assert.ok(models.every((model) => model.object === 'model' && typeof model.created === 'number' && typeof model.owned_by === 'string'));
    const one = await stack.openai.models.retrieve(chatModel);
    assert.equal(one.id, chatModel);
    await assert.rejects(stack.openai.models.retrieve('no-such-model'), (error: unknown) => error instanceof OpenAI.NotFoundError);
  });

  test('an alias is served by its target and reported under the name the client used', async () => {
    const completion = await stack.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 });
    assert.equal(completion.model, 'gpt-4o-mini');
  });

  test('llama3.2 and llama3.2:latest are one model', async () => {
    const plain = await stack.openai.chat.completions.create({ model: chatModel.replace(/:latest$/, ''), messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 });
    assert.ok(plain.choices.length === 1);
    if (stack.sim) {
      assert.equal((stack.sim.stats.lastBody['/api/chat'] as { model: string }).model, `${chatModel.replace(/:latest$/, '')}:latest`);
    }
  });
});

describe('API keys', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, apiKey: 'sk-right', config: { apiKeys: ['sk-right', 'sk-other'] } });
  });
  after(() => stack.close());

  test('the right key passes', async () => {
    const completion = await stack.openai.chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 });
    assert.equal(completion.choices.length, 1);
  });

  test('a wrong or missing key is 401 invalid_api_key', async () => {
    const wrong = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
    await assert.rejects(wrong.models.list(), (error: unknown) => error instanceof OpenAI.AuthenticationError && error.code === 'invalid_api_key');
    const missing = await fetch(`${stack.url}/v1/models`);
    assert.equal(missing.status, 401);
  });

  test('probes need no key', async () => {
    assert.equal((await fetch(`${stack.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${stack.url}/readyz`)).status, 200);
  });

  test('keys never reach the logs', () => {
    assert.equal(JSON.stringify(stack.logs).includes('sk-right'), false);
  });
});

describe('without keys', () => {
  test('any key the SDK sends is accepted', async () => {
    const stack = await startStack({ requireSimulator: true, apiKey: 'whatever' });
    try {
      const completion = await stack.openai.chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 });
      assert.equal(completion.choices.length, 1);
    } finally {
      await stack.close();
    }
  });
});

describe('API keys together with METRICS_TOKEN', () => {
  test('the scraper uses the metrics token, not an API key', async () => {
    const stack = await startStack({ requireSimulator: true, config: { apiKeys: ['sk-app'], metricsToken: 'scrape-me' } });
    try {
      assert.equal((await fetch(`${stack.url}/metrics`, { headers: { authorization: 'Bearer scrape-me' } })).status, 200);
      assert.equal((await fetch(`${stack.url}/metrics`, { headers: { authorization: 'Bearer sk-app' } })).status, 401);
      assert.equal((await fetch(`${stack.url}/metrics`)).status, 401);
      assert.equal((await fetch(`${stack.url}/v1/models`, { headers: { authorization: 'Bearer scrape-me' } })).status, 401);
    } finally {
      await stack.close();
    }
  });
});

describe('GET /', () => {
  test('answers a plain-text banner without a key, as Ollama does, for clients that check it', async () => {
    const stack = await startStack({ requireSimulator: true, config: { apiKeys: ['sk-x'] } });
    try {
      const response = await fetch(`${stack.url}/`);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'llm-sidecar is running');
    } finally {
      await stack.close();
    }
  });
});
