import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { chatModel, startStack, visionModel, type TestStack } from '../support/start-gateway.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('the Responses and Anthropic routes under the same limits, metrics and image fetch', () => {
  let stack: TestStack;
  let images: Server;
  let imageUrl: string;
  let anthropic: Anthropic;
  before(async () => {
    images = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG));
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/cat.png`;
    stack = await startStack({
      requireSimulator: true,
      config: {
        logLevel: 'silent',
        retries: { attempts: 0, baseDelayMs: 1, maxDelayMs: 1 },
        models: { gemma3: { maxConcurrent: 1, maxQueue: 0 }, qwen3: { maxConcurrent: 1, maxQueue: 1 } },
        queueHeartbeat: { openAfterMs: 1, intervalMs: 60_000 },
        imageFetch: { allowPrivateNetworks: true },
      },
    });
    anthropic = new Anthropic({ baseURL: stack.url, apiKey: 'k', maxRetries: 0 });
  });
  after(async () => {
    await stack.close();
    images.close();
  });

  const metricValue = async (pattern: RegExp): Promise<number> => {
    const exposition = await (await fetch(`${stack.url}/metrics`)).text();
    return exposition.split('\n').filter((line) => pattern.test(line)).reduce((total, line) => total + Number(line.split(' ').at(-1)), 0);
  };

  test('requests and tokens are counted per route', async () => {
    await stack.openai.responses.create({ model: chatModel, input: 'Hi', max_output_tokens: 3 });
    await anthropic.messages.create({ model: chatModel, max_tokens: 3, messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(await metricValue(/^llm_sidecar_requests_total\{.*route="\/v1\/responses".*status="200"/), 1);
    assert.equal(await metricValue(/^llm_sidecar_requests_total\{.*route="\/v1\/messages".*status="200"/), 1);
    assert.ok((await metricValue(/^llm_sidecar_tokens_total\{.*kind="completion"/)) >= 6);
  });

  test("a full queue refuses both: 429 on Responses, 529 on Messages", async () => {
    stack.sim!.gate.hold();
    const holding = stack.openai.responses.create({ model: 'gemma3', input: 'Hi', max_output_tokens: 2 });
    await stack.sim!.gate.whenWaiting(1);
    await assert.rejects(stack.openai.responses.create({ model: 'gemma3', input: 'Hi' }), OpenAI.RateLimitError);
    await assert.rejects(anthropic.messages.create({ model: 'gemma3', max_tokens: 2, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => error instanceof Anthropic.APIError && error.status === 529);
    stack.sim!.gate.release();
    await holding;
  });

  test('a queued Responses stream opens with queued-position comments, then the events', async () => {
    stack.sim!.gate.hold();
    const holding = stack.openai.responses.create({ model: 'qwen3', input: 'Hi', max_output_tokens: 2 });
    await stack.sim!.gate.whenWaiting(1);
    const queued = await fetch(`${stack.url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'qwen3', input: 'Hi', stream: true, max_output_tokens: 2 }) });
    const reader = queued.body!.getReader();
    const decoder = new TextDecoder();
    assert.equal(decoder.decode((await reader.read()).value), ': queued position=1\n\n');
    stack.sim!.gate.release();
    await holding;
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value);
    assert.match(rest, /^event: response\.created\n[\s\S]*event: response\.(completed|incomplete)\n/);
  });

  test('image URLs are fetched for Responses input_image and Anthropic url sources', async () => {
    await stack.openai.responses.create({ model: visionModel, max_output_tokens: 2, input: [{ role: 'user', content: [{ type: 'input_text', text: 'What?' }, { type: 'input_image', image_url: imageUrl, detail: 'auto' }] }] });
    const fromResponses = stack.sim!.stats.lastBody['/api/chat'] as { messages: Array<{ images?: string[] }> };
    assert.deepEqual(fromResponses.messages.flatMap((message) => message.images ?? []), [PNG.toString('base64')]);
    await anthropic.messages.create({ model: visionModel, max_tokens: 2, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: imageUrl } }, { type: 'text', text: 'What?' }] }] });
    const fromMessages = stack.sim!.stats.lastBody['/api/chat'] as { messages: Array<{ images?: string[] }> };
    assert.deepEqual(fromMessages.messages.flatMap((message) => message.images ?? []), [PNG.toString('base64')]);
    await assert.rejects(
      anthropic.messages.create({ model: visionModel, max_tokens: 2, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'ftp://example.invalid/a.png' } }] }] }),
      (error: unknown) => error instanceof Anthropic.BadRequestError && /ftp scheme/.test(error.message),
    );
  });
});
