import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { CHROMIUM, hasChromium, launchChromium, skipWithoutChromium } from '../support/launch-chromium.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
const skip = skipWithoutChromium;

describe('Swagger UI at /docs in a real browser', { skip }, () => {
  let stack: TestStack;
  let browser: Browser;

  before(async () => {
    assert.ok(hasChromium, `${CHROMIUM} is required: .ci/run installs the Debian package chromium`);
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent' } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  test('"Try it out" on POST /v1/chat/completions shows the answer of the simulator', async () => {
    const expected = await stack.openai.chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'Say hello from the docs page.' }] });
    const answer = expected.choices[0]!.message.content!;
    assert.ok(answer.length > 10);

    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    // A loaded 2-core CI machine parses Swagger UI's 1.7 MB bundle slowly.
    page.setDefaultTimeout(40_000);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    // Nothing may leave 127.0.0.1: the page must work without a CDN.
    const origins = new Set<string>();
    page.on('request', (request) => origins.add(new URL(request.url()).origin));

    await page.goto(`${stack.url}/docs`);
    const operation = page.locator('#operations-OpenAI-createChatCompletion');
    await operation.waitFor();
    // Swagger UI lists what it dislikes in the document (errors and warnings) in a box at the top.
    const complaints = await page.locator('.swagger-ui .errors-wrapper').allInnerTexts();
    assert.deepEqual(complaints, [], 'Swagger UI shows no error or warning box');
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const body = { model: 'llama3.2', messages: [{ role: 'user', content: 'Say hello from the docs page.' }] };
    await operation.locator('textarea.body-param__text').fill(JSON.stringify(body, null, 2));
    await operation.getByRole('button', { name: 'Execute' }).click();

    const responseBody = operation.locator('.live-responses-table .response-col_description pre.microlight').first();
    await responseBody.waitFor();
    mkdirSync(artifacts, { recursive: true });
    await responseBody.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'docs.png') });
    const shown = await responseBody.innerText();
    assert.match(shown, /"object": "chat\.completion"/);
    assert.ok(shown.includes(JSON.stringify(answer).slice(1, -1)), `the page shows ${shown.slice(0, 300)}`);
    assert.equal((await operation.locator('.live-responses-table tbody .response-col_status').first().innerText()).trim(), '200');
    assert.deepEqual(problems, [], 'console errors (a CSP violation shows up here)');
    assert.deepEqual([...origins].filter((origin) => origin !== stack.url), []);
    await page.close();
  });
});
