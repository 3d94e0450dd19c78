import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

/** A project folder whose `npm run build` only appends a line to build.log and writes dist/cli/main.js. */
function createProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'llm-sidecar-stale-'));
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'src'));
  copyFileSync(new URL('../../scripts/build-if-stale.ts', import.meta.url), join(root, 'scripts/build-if-stale.ts'));
  const build = "const fs=require('fs');fs.mkdirSync('dist/cli',{recursive:true});fs.writeFileSync('dist/cli/main.js','');fs.appendFileSync('build.log','built\\n')";
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'stale-check', private: true, scripts: { build: `node -e "${build}"` } }));
  for (const name of ['tsconfig.json', 'tsconfig.build.json', 'src/app.ts']) writeFileSync(join(root, name), '{}');
  return root;
}

const setTime = (path: string, seconds: number): void => utimesSync(path, seconds, seconds);
const builds = (root: string): number => readFileSync(join(root, 'build.log'), 'utf8').split('\n').filter(Boolean).length;

test('npm start builds only when dist is missing or older than a source', () => {
  const root = createProject();
  const run = (): void => void execFileSync(process.execPath, [join(root, 'scripts/build-if-stale.ts')], { cwd: root, stdio: 'pipe' });
  run();
  assert.equal(builds(root), 1, 'dist was missing');
  for (const name of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src/app.ts', 'src']) setTime(join(root, name), 1_000);
  setTime(join(root, 'dist/cli/main.js'), 2_000);
  run();
  assert.equal(builds(root), 1, 'nothing changed since the build');
  setTime(join(root, 'src/app.ts'), 3_000);
  run();
  assert.equal(builds(root), 2, 'a source is newer than the build');
  setTime(join(root, 'dist/cli/main.js'), 4_000);
  writeFileSync(join(root, 'scripts/build-bundle.ts'), '');
  setTime(join(root, 'scripts/build-bundle.ts'), 5_000);
  run();
  assert.equal(builds(root), 3, 'a build setting (the bundler script) is newer than the build');
});
