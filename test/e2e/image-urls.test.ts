import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startStack, visionModel, type TestStack } from '../support/start-gateway.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('image URLs on the chat route, fetched by the gateway', () => {
  let images: Server;
  let imageUrl: string;
  let hits = 0;
  const stacks: TestStack[] = [];
  const start = async (imageFetch: Record<string, unknown>): Promise<TestStack> => {
    const stack = await startStack({ requireSimulator: true, config: { imageFetch } });
    stacks.push(stack);
    return stack;
  };
  before(async () => {
    images = createServer((req, res) => (hits++, req.url === '/cat.png' ? res.writeHead(200, { 'content-type': 'image/png' }).end(PNG) : res.writeHead(404).end()));
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/cat.png`;
  });
  after(async () => {
    await Promise.all(stacks.map((stack) => stack.close()));
    images.close();
  });

  const ask = (stack: TestStack, url: string) =>
    stack.openai.chat.completions.create({
      model: visionModel,
      max_tokens: 3,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url } }] }],
    });

  test('with allowPrivateNetworks, the bytes reach Ollama as images', async () => {
    const stack = await start({ allowPrivateNetworks: true });
    await ask(stack, imageUrl);
    const sent = stack.sim!.stats.lastBody['/api/chat'] as { messages: Array<{ images?: string[] }> };
    assert.deepEqual(sent.messages.flatMap((message) => message.images ?? []), [PNG.toString('base64')]);
  });

  test('a failed fetch is a 400 naming the part', async () => {
    const stack = await start({ allowPrivateNetworks: true });
    await assert.rejects(ask(stack, imageUrl.replace('cat.png', 'dog.png')), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal((error.error as { param?: string }).param, 'messages[0].content[1].image_url');
      assert.match(error.message, /HTTP 404/);
      return true;
    });
  });

  test('by default a loopback address is refused before any connection', async () => {
    const stack = await start({});
    const hitsBefore = hits;
    await assert.rejects(ask(stack, imageUrl), (error: unknown) => error instanceof OpenAI.BadRequestError && /loopback address/.test(error.message));
    assert.equal(hits, hitsBefore);
  });

  test('with imageFetch.enabled false URLs are refused', async () => {
    const stack = await start({ enabled: false });
    await assert.rejects(ask(stack, imageUrl), (error: unknown) => error instanceof OpenAI.BadRequestError && /imageFetch\.enabled is false/.test(error.message));
  });
});
