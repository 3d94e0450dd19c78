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
 * Our sources' imports of Node's built-in modules become `require` calls. Node's ES module facade
 * for a built-in reads every one of its exports when it is imported, getters included: `node:http`'s
 * lazy `WebSocket` loads Node's own copy of undici, `node:crypto`'s `webcrypto` the Web Crypto
 * API, and so on, all at start-up. `require` returns the module and reads only what is used.
 */
const builtinsAsRequire: Plugin = {
  name: 'builtins-as-require',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'import-statement' && args.importer.includes('/src/') ? { path: args.path, namespace: 'builtin-as-require' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin-as-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
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
    // V8 keeps every loaded source in memory, and one non-ASCII character in a comment doubles a whole
    // chunk's string: comments and whitespace go, names stay for stack traces and CPU profiles, and
    // short lines keep the source line Node prints with an uncaught error readable.
    minifySyntax: true,
    minifyWhitespace: true,
    lineLimit: 120,
    legalComments: 'none',
    metafile: true,
    plugins: [builtinsAsRequire],
    logLevel: 'warning',
  });
  return result.metafile;
}

if (import.meta.main) {
  const metafile = await buildBundle();
  const bytes = Object.values(metafile.outputs).reduce((total, output) => total + output.bytes, 0);
  process.stdout.write(`dist: ${Object.keys(metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB\n`);
}
