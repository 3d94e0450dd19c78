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
import { build, type Metafile } from 'esbuild';
import { builtinsAsRequire, lazyBuiltins } from './build-builtin-plugins.ts';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundled dependencies written as CommonJS call `require` for Node's built-ins; an ES module has no
 * `require`, so every output file gets one of its own.
 */
const requireShim = "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);";

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
    plugins: [builtinsAsRequire, lazyBuiltins],
    logLevel: 'warning',
  });
  return result.metafile;
}

if (import.meta.main) {
  const metafile = await buildBundle();
  const bytes = Object.values(metafile.outputs).reduce((total, output) => total + output.bytes, 0);
  process.stdout.write(`dist: ${Object.keys(metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB\n`);
}
