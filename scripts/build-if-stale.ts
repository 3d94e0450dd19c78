/**
 * `npm start`, `npm run demo` and `npm run sim` run the compiled gateway. This builds it (with
 * `npm run build`, the one build entry point) only when it is missing or older than a source or a
 * build setting, so a start costs no compile when nothing changed.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = join(root, 'dist/cli/main.js');
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build-bundle.ts', 'scripts/build-status-page.ts'];

function newestModification(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newestModification(join(path, name))));
}

const built = statSync(output, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const newestInput = Math.max(...inputs.map((input) => newestModification(join(root, input))));
if (built < newestInput) {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  process.exitCode = build.status ?? 1;
}
