import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startPoolStack, type PoolStack } from './pool-stack.ts';

describe('a mixed pool: Ollama nodes and an OpenAI-compatible node', () => {
  let stack: PoolStack;
  before(async () => {
    stack = await startPoolStack(
      [
        { name: 'ollama-a', sim: { models: [{ name: 'llama3.2' }] } },
        { name: 'ollama-b', sim: { models: [{ name: 'qwen3' }, { name: 'llama3.2' }] } },
        { name: 'vllm', sim: { dialect: 'openai', models: [{ name: 'qwen3-32b' }, { name: 'bge-m3', capabilities: ['embedding'], embeddingLength: 8 }] }, upstream: { kind: 'openai', apiKey: 'sk-upstream' } },
      ],
      { aliases: { big: 'qwen3-32b:latest' } },
    );
  });
  after(() => stack.close());

  it('forwards chat to the OpenAI-compatible node with its own model name, the answer naming the model asked for', async () => {
    const answer = await stack.openai.chat.completions.create({ model: 'big', messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(answer.model, 'big');
    assert.ok((answer.choices[0]?.message.content ?? '').length > 0);
    const vllm = stack.sims.get('vllm')!;
    assert.equal((vllm.stats.lastBody['/v1/chat/completions'] as { model: string }).model, 'qwen3-32b:latest');
    assert.match(await (await fetch(`${stack.url}/metrics`)).text(), /llm_sidecar_tokens_total\{model="qwen3-32b:latest",kind="completion"\} 12/);
  });

  it('streams chunk by chunk; the usage chunk the gateway asked for reaches only a client that asked', async () => {
    const plain = await stack.openai.chat.completions.create({ model: 'qwen3-32b', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks = [];
    for await (const chunk of plain) chunks.push(chunk);
    assert.ok(chunks.length > 2);
    assert.ok(chunks.every((chunk) => chunk.usage === undefined && chunk.model === 'qwen3-32b'));
    // the gateway asked the node for usage even so
    const sent = stack.sims.get('vllm')!.stats.lastBody['/v1/chat/completions'] as { stream_options?: { include_usage?: boolean } };
    assert.equal(sent.stream_options?.include_usage, true);
    const counted = await stack.openai.chat.completions.create({ model: 'qwen3-32b', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let last;
    for await (const chunk of counted) last = chunk;
    assert.equal(last?.usage?.completion_tokens, 12);
  });

  it('forwards completions and embeddings', async () => {
    const completion = await stack.openai.completions.create({ model: 'qwen3-32b', prompt: 'once', max_tokens: 3 });
    assert.equal(completion.choices[0]?.finish_reason, 'length');
    const embeddings = await stack.openai.embeddings.create({ model: 'bge-m3', input: 'text' });
    assert.equal(embeddings.data[0]?.embedding.length, 8);
  });

  it('keeps the node’s errors in OpenAI’s shape, and a failure mid-stream ends the stream with an SSE error', async () => {
    const vllm = stack.sims.get('vllm')!;
    vllm.injectFault({ kind: 'status500', route: '/v1/chat/completions' });
    await assert.rejects(stack.openai.chat.completions.create({ model: 'qwen3-32b', messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 502);
      assert.match(error.message, /engine crashed/);
      return true;
    });
    vllm.injectFault({ kind: 'errorLine', afterTokens: 2, route: '/v1/chat/completions' });
    const stream = await stack.openai.chat.completions.create({ model: 'qwen3-32b', messages: [{ role: 'user', content: 'x' }], stream: true });
    await assert.rejects(async () => {
      for await (const chunk of stream) void chunk;
    }, OpenAI.APIError);
  });

  it('native routes (and other dialects) for a model only the OpenAI-compatible node serves get a clear 400', async () => {
    const routes = [
      ['/api/chat', { model: 'qwen3-32b', messages: [{ role: 'user', content: 'x' }] }],
      ['/v1/llm/qwen3-32b', { prompt: 'x' }],
      ['/v1/responses', { model: 'qwen3-32b', input: 'x' }],
    ] as const;
    for (const [path, body] of routes) {
      const response = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(response.status, 400, path);
      // each route answers in its own dialect: Ollama's `{error: text}` on /api/*, OpenAI's object elsewhere
      const { error } = (await response.json()) as { error: string | { code: string; message: string } };
      assert.match(typeof error === 'string' ? error : `${error.code} ${error.message}`, /OpenAI-compatible upstream/, path);
    }
  });

  it('lists the union: /v1/models, and /api/tags across the Ollama nodes, each model once', async () => {
    const models = await stack.openai.models.list();
    // the alias `big` is listed as well, as aliases always are
    assert.deepEqual(models.data.map((model) => model.id).sort(), ['bge-m3:latest', 'big', 'llama3.2:latest', 'qwen3-32b:latest', 'qwen3:latest']);
    const tags = (await (await fetch(`${stack.url}/api/tags`)).json()) as { models: Array<{ name: string }> };
    assert.deepEqual(tags.models.map((model) => model.name).sort(), ['llama3.2:latest', 'qwen3:latest']);
    const status = (await (await fetch(`${stack.url}/v1/status`)).json()) as { upstreams: Array<{ name: string; kind: string }> };
    assert.deepEqual(status.upstreams.map((node) => `${node.name}:${node.kind}`), ['ollama-a:ollama', 'ollama-b:ollama', 'vllm:openai']);
  });
});
