import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, startCli, type RunningCli } from './cli-process.ts';

const run = promisify(execFile);
const READY = /Ctrl-C to stop\./;

/** Runs a shell line as a user pastes it, with curl told to fail on an HTTP error and to print the status last. */
async function runCurlLine(line: string): Promise<{ status: number; body: string }> {
  const { stdout } = await run('sh', ['-c', line.replace(/^curl /, `curl -sS -w '\\n%{http_code}' `)], { timeout: 30_000 });
  const lines = stdout.split('\n');
  return { status: Number(lines.at(-1)), body: lines.slice(0, -1).join('\n') };
}

/** Pull streams end with exactly one success event (NDJSON lines or SSE `data:` events). */
function countSuccessEvents(body: string): number {
  return body
    .split('\n')
    .map((line) => line.replace(/^data: /, ''))
    .filter((line) => line.startsWith('{'))
    .filter((line) => (JSON.parse(line) as { status?: string }).status === 'success').length;
}

describe('the demo', () => {
  let demo: RunningCli;
  before(async () => {
    demo = await startCli(['demo'], READY, { env: { PORT: '0', API_KEYS: 'demo-key,second-key', LOG_LEVEL: 'warn' } });
  });
  after(() => demo.stop());

  test('says that answers are simulated and where the docs are', () => {
    assert.match(demo.stdout(), /answers come from the bundled Ollama SIMULATOR/);
    assert.match(demo.stdout(), /docs {7}http:\/\/127\.0\.0\.1:\d+\/docs/);
  });

  test('every curl line it prints works as printed, key included; a pull ends with one success event', async () => {
    const lines = [...demo.stdout().matchAll(/^ {4}(curl .+)$/gm)].map((match) => match[1] ?? '');
    const keyed = lines.filter((line) => line.includes("Authorization: Bearer demo-key"));
    assert.ok(keyed.length >= 5, demo.stdout());
    for (const line of keyed) {
      const { status, body } = await runCurlLine(line);
      assert.equal(status, 200, `${line}\n${body}`);
      if (line.includes('/pull')) assert.equal(countSuccessEvents(body), 1, body);
    }
  });

  test("the README's first screen works against `API_KEYS=demo-key npm run demo` as written", async () => {
    const origin = demo.stdout().match(/gateway {4}(http:\/\/127\.0\.0\.1:\d+)/)?.[1] ?? '';
    const lines = readmeCurlLines().filter((line) => line.includes('demo-key') || /# .*401/.test(line));
    assert.ok(lines.length >= 4, lines.join('\n'));
    for (const written of lines) {
      const { status, body } = await runCurlLine(onPort(written, origin));
      assert.equal(status, /# .*401/.test(written) ? 401 : 200, `${written}\n${body}`);
      if (written.includes('/pull')) assert.equal(countSuccessEvents(body), 1, body);
    }
  });

  test("Ollama's own /api/pull, enabled in the demo, ends its stream with exactly one success line", async () => {
    const origin = demo.stdout().match(/gateway {4}(http:\/\/127\.0\.0\.1:\d+)/)?.[1] ?? '';
    const { status, body } = await runCurlLine(`curl -N -H 'Authorization: Bearer demo-key' ${origin}/api/pull -d '{"model":"all-minilm"}'`);
    assert.equal(status, 200, body);
    assert.equal(countSuccessEvents(body), 1, body);
    assert.match(body, /"completed":45960996/, 'the layer of the registry model, with its real size');
  });

  test('the line without a key shows the 401', async () => {
    const line = demo.stdout().match(/^ {4}(curl -i \S+\/v1\/models)$/m)?.[1];
    assert.ok(line);
    assert.equal((await runCurlLine(line)).status, 401);
  });
});

/** The README's lines name port 4000; the test's demo listens on a free one. Only the port differs. */
function onPort(line: string, origin: string): string {
  return line.replace(/\b(?:127\.0\.0\.1|localhost):4000\b/g, origin.replace('http://', '')).replace(/ \| jq .*$/, '');
}

/** Shell lines of the README's sh/bash blocks that start with curl, continuation lines joined. */
function readmeCurlLines(): string[] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks
    .flatMap((block) => block.replace(/\\\n\s*/g, '').split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.startsWith('curl '));
}

describe('the README examples against the demo, as written', () => {
  let demo: RunningCli;
  let origin: string;
  before(async () => {
    demo = await startCli(['demo'], READY, { env: { PORT: '0', LOG_LEVEL: 'warn' } });
    origin = demo.stdout().match(/gateway {4}(http:\/\/127\.0\.0\.1:\d+)/)?.[1] ?? '';
  });
  after(() => demo.stop());

  test('every curl example answers 200 (pull streams: one success event)', async () => {
    // The line that shows the 401 of a keyed demo is checked above, against one.
    const lines = readmeCurlLines().filter((line) => !/# .*401/.test(line));
    assert.ok(lines.length >= 8, lines.join('\n'));
    for (const written of lines) {
      const { status, body } = await runCurlLine(onPort(written, origin));
      assert.equal(status, 200, `${written}\n${body}`);
      if (written.includes('/pull')) assert.equal(countSuccessEvents(body), 1, body);
    }
  });
});
