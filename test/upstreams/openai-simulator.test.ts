import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}

describe('the simulator in OpenAI-compatible mode', () => {
  let sim: Simulator;
  let client: OpenAI;
  before(async () => {
    sim = await startSimulator({ dialect: 'openai', models: [{ name: 'qwen3-32b' }, { name: 'bge-m3', capabilities: ['embedding'], embeddingLength: 16 }] });
    client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'sk-sim', maxRetries: 0 });
  });
  after(() => sim.close());

  it('lists its models', async () => {
    const models = await client.models.list();
    assert.deepEqual(models.data.map((model) => model.id), ['qwen3-32b:latest', 'bge-m3:latest']);
  });

  it('answers a chat completion with usage, the same text for the same prompt', async () => {
    const first = await client.chat.completions.create({ model: 'qwen3-32b', messages: [{ role: 'user', content: 'hello' }] });
    const second = await client.chat.completions.create({ model: 'qwen3-32b', messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(first.object, 'chat.completion');
    assert.equal(first.choices[0]?.finish_reason, 'stop');
    assert.ok((first.choices[0]?.message.content ?? '').length > 0);
    assert.equal(first.choices[0]?.message.content, second.choices[0]?.message.content);
    assert.equal(first.usage?.completion_tokens, 12);
    assert.equal(first.usage?.prompt_tokens, 1);
  });

  it('streams chunk by chunk, with a usage chunk only when asked', async () => {
    const plain = await client.chat.completions.create({ model: 'qwen3-32b', messages: [{ role: 'user', content: 'hi' }], stream: true, max_tokens: 3 });
    const chunks = [];
    for await (const chunk of plain) chunks.push(chunk);
    assert.equal(chunks.length, 4);
    assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'length');
    assert.ok(chunks.every((chunk) => chunk.usage === undefined));
    const counted = await client.chat.completions.create({ model: 'qwen3-32b', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const last = (await collect(counted)).at(-1);
    assert.deepEqual(last?.choices, []);
    assert.equal(last?.usage?.completion_tokens, 12);
  });

  it('answers text completions and embeddings', async () => {
    const completion = await client.completions.create({ model: 'qwen3-32b', prompt: 'say something', max_tokens: 2 });
    assert.equal(completion.choices[0]?.finish_reason, 'length');
    const embeddings = await client.embeddings.create({ model: 'bge-m3', input: ['a', 'b'] });
    assert.equal(embeddings.data.length, 2);
    assert.equal(embeddings.data[0]?.embedding.length, 16);
  });

  it('answers errors in OpenAI shape: unknown model, bad body, injected faults', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.equal(error.code, 'model_not_found');
      return true;
    });
    await assert.rejects(client.chat.completions.create({ model: 'qwen3-32b', messages: [] }), OpenAI.BadRequestError);
    sim.injectFault({ kind: 'status503busy' });
    await assert.rejects(client.chat.completions.create({ model: 'qwen3-32b', messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => error instanceof OpenAI.APIError && error.status === 503);
    sim.injectFault({ kind: 'errorLine', afterTokens: 2 });
    const stream = await client.chat.completions.create({ model: 'qwen3-32b', messages: [{ role: 'user', content: 'x' }], stream: true });
    await assert.rejects(collect(stream), OpenAI.APIError);
  });

  it('counts requests in flight, now and at most, while the gate holds them', async () => {
    sim.stats.reset();
    sim.gate.hold();
    const pending = [1, 2, 3].map(() => client.chat.completions.create({ model: 'qwen3-32b', messages: [{ role: 'user', content: 'x' }] }));
    await sim.gate.whenWaiting(3);
    assert.equal(sim.stats.openRequests, 3);
    sim.gate.release();
    await Promise.all(pending);
    await sim.stats.whenIdle();
    assert.equal(sim.stats.maxOpenRequests, 3);
    assert.equal(sim.stats.maxConcurrency['qwen3-32b:latest'], 3);
  });
});
