import { join } from 'node:path';
import { findPackageRoot } from '../package-root.ts';

/**
 * The page's sources (HTML, CSS and the TypeScript entry) in `src/web/status-page` when the gateway
 * runs from its sources, or their build in `dist/web/status-page` when it runs from the bundle.
 */
export const STATUS_PAGE_DIRECTORY = join(findPackageRoot(), import.meta.filename.endsWith('.ts') ? 'src' : 'dist', 'web', 'status-page');

/** The compiled script's file name, next to the HTML and CSS once built. */
export const STATUS_PAGE_SCRIPT = 'status-page.js';

/**
 * Compiles the page's TypeScript into one browser script with esbuild (a development dependency):
 * `npm run build` writes it to `dist/`, and a gateway run from its sources bundles it on first use.
 */
export async function bundleStatusPage(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(STATUS_PAGE_DIRECTORY, 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no status page script.');
  return output.text;
}
