import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { buildBundle } from '../../scripts/build-bundle.ts';

const run = promisify(execFile);

/** Every source file that loads with the output files `from`, following static imports only. */
function loadedWith(metafile: Metafile, from: readonly string[]): string[] {
  const seen = new Set<string>();
  const pending = [...from];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    const output = metafile.outputs[file];
    if (seen.has(file) || output === undefined) continue;
    seen.add(file);
    for (const imported of output.imports) if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
  }
  return [...seen].flatMap((file) => Object.keys(metafile.outputs[file]?.inputs ?? {}));
}

describe('npm run build: one esbuild bundle, lazily loaded parts in chunks of their own', () => {
  let work: string;
  let outdir: string;
  let metafile: Metafile;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'llm-sidecar-bundle-'));
    outdir = join(work, 'dist');
    // The bundle finds the files beside it by walking up to a package.json.
    await writeFile(join(work, 'package.json'), '{}');
    metafile = await buildBundle(outdir);
  });
  after(() => rm(work, { recursive: true, force: true }));

  test('the entry is dist/cli/main.js and runs', async () => {
    const { stdout } = await run(process.execPath, [join(outdir, 'cli', 'main.js'), '--help']);
    assert.match(stdout, /llm-sidecar serve/);
  });

  test('`serve` loads the gateway and its dependencies from the bundle, not Redis, the load generator or the simulator', () => {
    // esbuild names outputs relative to the repository, so the temporary directory shows as `../…`.
    const entry = Object.keys(metafile.outputs).find((file) => file.endsWith('/dist/cli/main.js'));
    const serveChunk = Object.keys(metafile.outputs).find((file) => /\/dist\/chunks\/run-serve-command-[^/]+\.js$/.test(file));
    assert.ok(entry, 'the entry is dist/cli/main.js');
    assert.ok(serveChunk, 'the serve command is a chunk of its own');
    const inputs = loadedWith(metafile, [entry, serveChunk]);
    for (const bundled of ['node_modules/express/', 'node_modules/undici/', 'node_modules/pino/', 'node_modules/zod/', 'src/http/serve-generations.ts']) {
      assert.ok(inputs.some((input) => input.includes(bundled)), `${bundled} is in what serve loads`);
    }
    for (const lazy of ['node_modules/ioredis/', 'src/scheduler/redis-client.ts', 'src/cli/bench/', 'src/sim/', 'src/cli/run-demo-command.ts']) {
      assert.ok(!inputs.some((input) => input.includes(lazy)), `${lazy} is not loaded by serve`);
    }
  });

  test('importing what `serve` loads leaves unloaded the built-ins a plain HTTP gateway does not use: Node\'s own undici, Web Crypto, TLS, HTTP/2, SQLite', async () => {
    const serveChunk = Object.keys(metafile.outputs).find((file) => /\/dist\/chunks\/run-serve-command-[^/]+\.js$/.test(file)) ?? '';
    const chunkPath = join(outdir, 'chunks', serveChunk.slice(serveChunk.lastIndexOf('/') + 1));
    const script = `await import(${JSON.stringify(chunkPath)}); process.stdout.write(JSON.stringify(process.moduleLoadList));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    const loaded = JSON.parse(stdout) as string[];
    assert.ok(loaded.includes('NativeModule http'), 'the HTTP module is loaded');
    assert.ok(!loaded.includes('NativeModule internal/deps/undici/undici'), 'Node\'s internal undici is not loaded');
    assert.ok(!loaded.includes('NativeModule internal/crypto/webcrypto'), 'Web Crypto is not loaded');
    for (const unused of ['tls', 'https', 'http2', 'sqlite']) assert.ok(!loaded.includes(`NativeModule ${unused}`), `node:${unused} is not loaded`);
  });

  test('the output carries no comments and keeps function names (stack traces and CPU profiles name functions)', async () => {
    const serveChunk = Object.keys(metafile.outputs).find((file) => /\/dist\/chunks\/run-serve-command-[^/]+\.js$/.test(file)) ?? '';
    const text = await readFile(join(outdir, 'chunks', serveChunk.slice(serveChunk.lastIndexOf('/') + 1)), 'utf8');
    assert.match(text, /function runServeCommand\(/);
    assert.doesNotMatch(text, /\/\*\*|^\s*\/\/ /m);
  });

  test('Redis and the other sub-commands are still in the bundle, each behind a dynamic import', () => {
    const all = Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs));
    for (const input of ['node_modules/ioredis/built/Redis.js', 'src/cli/bench/run-bench-command.ts', 'src/sim/simulator.ts']) {
      assert.ok(all.some((candidate) => candidate.endsWith(input)), `${input} is bundled`);
    }
  });
});
