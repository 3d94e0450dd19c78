/**
 * `npm run build`: bundles `src/cli/main.ts` with esbuild into `dist/cli/main.js` (ESM, Node 24), so
 * starting the gateway reads a handful of files instead of every module of it and its dependencies.
 * Whatever the sources import with `import()` (the CLI sub-commands, Redis, tracing) becomes a chunk
 * of its own in `dist/chunks/` and still loads only when used. Tests keep running the sources.
 * Why a bundle and what stays outside it: `docs/decisions/0006-bundled-build.md`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundled dependencies written as CommonJS call `require` for Node's built-ins; an ES module has no
 * `require`, so every output file gets one of its own.
 */
const requireShim = "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);";

/**
 * undici's entry module loads all of undici (fetch, WebSocket, caches, mocks, proxies: about 1 MiB of
 * code to compile and run at every start) and then adds the request API to its dispatchers. Our
 * sources use only `Pool` and `Agent`, so for them the bundle takes those two, and the API, from
 * undici's own files, and adds the API the way undici's entry does. Tests run the full package;
 * `test/packaging/` runs the bundle's pool against a real server.
 */
const undiciDispatchersOnly: Plugin = {
  name: 'undici-dispatchers-only',
  setup(builder) {
    builder.onResolve({ filter: /^undici$/ }, (args) =>
      args.importer.startsWith(join(repositoryRoot, 'src')) ? { path: 'undici', namespace: 'undici-dispatchers' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'undici-dispatchers' }, () => ({
      resolveDir: repositoryRoot,
      contents: [
        "import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';",
        "import api from 'undici/lib/api/index.js';",
        "import Pool from 'undici/lib/dispatcher/pool.js';",
        "import Agent from 'undici/lib/dispatcher/agent.js';",
        'Object.assign(Dispatcher.prototype, api);',
        'export { Agent, Dispatcher, Pool };',
      ].join('\n'),
    }));
  },
};

/** Builds into `outdir` (emptied first) and returns esbuild's account of which input went where. */
export async function buildBundle(outdir: string = join(repositoryRoot, 'dist')): Promise<Metafile> {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: repositoryRoot,
    entryPoints: ['src/cli/main.ts'],
    outbase: 'src',
    outdir,
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    banner: { js: requireShim },
    plugins: [undiciDispatchersOnly],
    // Names stay readable in stack traces and CPU profiles; whitespace is what a smaller file would save.
    minifySyntax: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

if (import.meta.main) {
  const metafile = await buildBundle();
  const bytes = Object.values(metafile.outputs).reduce((total, output) => total + output.bytes, 0);
  process.stdout.write(`dist: ${Object.keys(metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB\n`);
}
