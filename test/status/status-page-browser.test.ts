import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchChromium, skipWithoutChromium } from '../support/launch-chromium.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { postJson } from '../sidecar/read-stream.ts';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
const skip = skipWithoutChromium;

/** A page that collects console errors (CSP violations among them) and every origin it contacts. */
async function openPage(browser: Browser, url: string, options: { colorScheme?: 'light' | 'dark'; width?: number } = {}): Promise<{ page: Page; problems: string[]; origins: Set<string> }> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1400, height: 1000 }, colorScheme: options.colorScheme ?? 'light' });
  page.setDefaultTimeout(30_000);
  const problems: string[] = [];
  const origins = new Set<string>();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => origins.add(new URL(request.url()).origin));
  await page.goto(`${url}/status`);
  return { page, problems, origins };
}

const cell = (page: Page, model: string, field: string) => page.locator(`tr[data-model="${model}"] td[data-field="${field}"]`);

describe('the status page in a real browser', { skip }, () => {
  let stack: TestStack;
  let browser: Browser;

  before(async () => {
    assert.ok(hasChromium, `${CHROMIUM} is required: .ci/run installs the Debian package chromium`);
    stack = await startStack({
      requireSimulator: true,
      config: { logLevel: 'silent', models: { 'llama3.2': { maxConcurrent: 1, rpm: 600 }, gemma3: { maxConcurrent: 2 } } },
      sim: { timeToFirstTokenMs: 30, tokensPerAnswer: 40 },
      app: { statusHistoryIntervalMs: 250 },
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  test('goes live without console errors or CSP violations; the queued count rises and falls with the simulator gate', async () => {
    for (const model of ['llama3.2', 'gemma3', 'llama3.2']) assert.equal((await postJson(`${stack.url}/v1/llm/${model}`, { prompt: 'warm up' })).status, 200);
    const { page, problems, origins } = await openPage(browser, stack.url);
    await page.locator('#connection[data-state="live"]').waitFor();
    await cell(page, 'llama3.2:latest', 'queued').waitFor();
    assert.equal((await page.locator('tr[data-node="local"]').getAttribute('data-health')), 'up');
    assert.equal(await page.locator('table caption', { hasText: 'Models' }).count(), 1, 'real table markup with a caption');

    stack.sim!.gate.hold();
    const requests = Array.from({ length: 4 }, () => postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'queue up' }));
    await stack.sim!.gate.whenWaiting(1);
    await page.locator('tr[data-model="llama3.2:latest"] td[data-field="queued"]', { hasText: /^3/ }).waitFor();
    assert.equal((await cell(page, 'llama3.2:latest', 'active').innerText()).trim(), '1 / 1');
    assert.match(await page.locator('tr[data-model="llama3.2:latest"] [data-field="oldest-wait"]').innerText(), /^oldest \d+ ms|^oldest \d+(\.\d)? s/);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'status-page.png'), fullPage: true });

    stack.sim!.gate.release();
    for (const response of await Promise.all(requests)) assert.equal(response.status, 200);
    await page.locator('tr[data-model="llama3.2:latest"] td[data-field="queued"]', { hasText: /^0$/ }).waitFor();
    // rpm 600: the three warm-up requests and the four held ones took 6 of this minute's 600 (one went to gemma3)
    assert.equal((await cell(page, 'llama3.2:latest', 'reservoir').innerText()).trim(), '594 / 600 per 60 s');
    assert.equal((await cell(page, 'gemma3:latest', 'reservoir').innerText()).trim(), '–', 'no reservoir');
    await page.locator('tr[data-model="llama3.2:latest"] svg.sparkline polyline').first().waitFor();

    assert.deepEqual(problems, [], 'console errors (a CSP violation shows up here)');
    assert.deepEqual([...origins].filter((origin) => origin !== stack.url), [], 'nothing is loaded from elsewhere');
    await page.close();
  });

  test('dark mode and a phone-sized screen still render the page', async () => {
    const { page, problems } = await openPage(browser, stack.url, { colorScheme: 'dark', width: 390 });
    await page.locator('#connection[data-state="live"]').waitFor();
    const background = await page.locator('body').evaluate((body) => body.ownerDocument.defaultView!.getComputedStyle(body).backgroundColor);
    assert.equal(background, 'rgb(17, 20, 24)');
    // Wide tables scroll inside their wrapper; the page itself does not scroll sideways.
    assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1'), true);
    await page.screenshot({ path: join(artifacts, 'status-page-phone-dark.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a node that goes down turns red', async () => {
    const { page } = await openPage(browser, stack.url);
    await page.locator('tr[data-node="local"][data-health="up"]').waitFor();
    await stack.sim!.close();
    await stack.gateway.health.check();
    const down = page.locator('tr[data-node="local"][data-health="down"]');
    await down.waitFor();
    assert.equal((await down.locator('td[data-field="health"]').innerText()).split('\n')[0], 'down');
    const colours = await down.locator('td[data-field="health"]').evaluate((element) => {
      const style = element.ownerDocument.defaultView!.getComputedStyle(element);
      return { text: style.color, background: style.backgroundColor };
    });
    assert.deepEqual(colours, { text: 'rgb(180, 35, 24)', background: 'rgb(253, 228, 225)' });
    await page.screenshot({ path: join(artifacts, 'status-page-node-down.png') });
    await page.close();
  });
});

describe('the status page when API keys are on', { skip }, () => {
  let stack: TestStack;
  let browser: Browser;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { logLevel: 'silent', apiKeys: ['sk-operator'] } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  test('asks for a key through a labelled field and keeps it in session storage only', async () => {
    const { page, problems } = await openPage(browser, stack.url);
    await page.locator('#connection[data-state="needs-key"]').waitFor();
    await page.getByLabel('API key (kept in this tab only)').fill('sk-wrong');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.locator('#key-message', { hasText: 'The key was refused.' }).waitFor();
    await page.getByLabel('API key (kept in this tab only)').fill('sk-operator');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.locator('#connection[data-state="live"]').waitFor();
    // With keys on, the page lists them (by name, never the secret).
    await page.locator('tr[data-key]').first().waitFor();
    assert.doesNotMatch(await page.locator('#keys').innerText(), /sk-operator/);
    const stored = await page.evaluate("({ session: sessionStorage.getItem('llm-sidecar-status-key'), local: localStorage.length, cookies: document.cookie })");
    assert.deepEqual(stored, { session: 'sk-operator', local: 0, cookies: '' });
    // The browser logs the refused stream request (401) as a console error; nothing else may appear.
    assert.deepEqual(problems.filter((problem) => !problem.includes('401')), []);
    await page.close();
  });
});
