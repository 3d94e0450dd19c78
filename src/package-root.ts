import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The directory of the gateway's own `package.json`, next to `openapi.yaml` and `schemas/`. Found by
 * walking up from this file rather than by a fixed number of `..`, because the same code runs from
 * `src/` (tests, `npm run dev`) and from a bundle chunk in `dist/chunks/` (what users run).
 */
export function findPackageRoot(start: string = import.meta.dirname): string {
  let directory = start;
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`no package.json above ${start}`);
    directory = parent;
  }
  return directory;
}
