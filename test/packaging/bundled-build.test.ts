import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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

  test('Redis and the other sub-commands are still in the bundle, each behind a dynamic import', () => {
    const all = Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs));
    for (const input of ['node_modules/ioredis/built/Redis.js', 'src/cli/bench/run-bench-command.ts', 'src/sim/simulator.ts']) {
      assert.ok(all.some((candidate) => candidate.endsWith(input)), `${input} is bundled`);
    }
  });
});
