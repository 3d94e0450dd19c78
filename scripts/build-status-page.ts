/**
 * `npm run build` step: the status page's TypeScript bundled into one script, with its HTML and CSS,
 * into `dist/web/status-page/`, so the installed gateway serves it without esbuild.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleStatusPage, STATUS_PAGE_DIRECTORY, STATUS_PAGE_SCRIPT } from '../src/web/bundle-status-page.ts';

const target = join(import.meta.dirname, '..', 'dist', 'web', 'status-page');
mkdirSync(target, { recursive: true });
writeFileSync(join(target, STATUS_PAGE_SCRIPT), await bundleStatusPage());
for (const file of ['status-page.html', 'status-page.css']) copyFileSync(join(STATUS_PAGE_DIRECTORY, file), join(target, file));
console.log(`wrote the status page to ${target}`);
