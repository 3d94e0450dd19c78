import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const npm = (args: string[], cwd: string) => run('npm', args, { cwd, maxBuffer: 64 * 1024 * 1024 });

/** Starts the compiled gateway on an OS-chosen port; resolves with its URL from the start-up log line. */
async function startCompiled(entry: string, cwd: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [entry, 'serve'], {
    cwd,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', OLLAMA_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    if (entry.msg === 'llm-sidecar listening' && entry.url) return { url: entry.url, child };
  }
  throw new Error('the gateway exited before listening');
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('what users run is the compiled, packed gateway', { timeout: 300_000 }, () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'llm-sidecar-pack-'));
    await npm(['run', 'build'], root);
  });
  after(() => rm(work, { recursive: true, force: true }));

  // npm installs from the registry: on a loaded machine that alone can pass the suite's 60 s default.
  test('npm pack → npm install the tarball → its bin serves /healthz', { timeout: 240_000 }, async () => {
    await npm(['pack', '--pack-destination', work], root);
    const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack made no tarball');
    const project = join(work, 'consumer');
    await cp(join(root, 'test/packaging/consumer-package.json'), join(project, 'package.json'));
    await npm(['install', '--no-audit', '--no-fund', join(work, tarball)], project);
    const { url, child } = await startCompiled(join(project, 'node_modules/.bin/llm-sidecar'), project);
    try {
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
      // The status page's script was bundled at build time: the installed package has no esbuild.
      assert.equal((await fetch(`${url}/status`)).status, 200);
      const script = await fetch(`${url}/status/assets/status-page.js`);
      assert.equal(script.status, 200);
      assert.match(await script.text(), /v1\/status\/stream/);
      // Ollama is down (port 9): the gateway still starts, and generation answers 503 with Retry-After.
      const chat = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] }) });
      assert.equal(chat.status, 503);
      assert.ok(chat.headers.get('retry-after'));
    } finally {
      assert.equal(await stop(child), 0);
    }
  });

  test("the Docker image's final stage: npm ci --omit=dev, then the compiled gateway answers /healthz", { timeout: 240_000 }, async () => {
    const image = join(work, 'image');
    for (const file of ['package.json', 'package-lock.json', 'dist', 'schemas', 'openapi.yaml']) await cp(join(root, file), join(image, file), { recursive: true });
    await npm(['ci', '--omit=dev', '--no-audit', '--no-fund'], image);
    const { url, child } = await startCompiled(join(image, 'dist/cli/main.js'), image);
    try {
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      assert.equal(await stop(child), 0);
    }
  });
});
