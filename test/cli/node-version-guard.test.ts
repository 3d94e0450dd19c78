import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliEntry, runCliToEnd } from './cli-process.ts';

/** The machine's own older Node (the system one), which users run `node dist/cli/main.js` with. */
function findOlderNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(candidate)) continue;
    const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
    if (Number(version.replace(/^v/, '').split('.')[0]) < 24) return candidate;
  }
  return undefined;
}

const olderNode = findOlderNode();

test('on an older Node the entry says which Node it needs, exit 1, no SyntaxError', { skip: olderNode === undefined && 'no Node older than 24 on this machine' }, async () => {
  // The entry as the build emits it: types stripped, nothing else changed. package.json's "type": "module" is mimicked with .mjs.
  const entry = join(mkdtempSync(join(tmpdir(), 'llm-sidecar-entry-')), 'main.mjs');
  writeFileSync(entry, stripTypeScriptTypes(readFileSync(cliEntry, 'utf8')));
  const run = await runCliToEnd(['serve'], { node: olderNode!, entry });
  assert.equal(run.code, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /SyntaxError/);
  assert.match(run.stderr, /^llm-sidecar needs Node\.js 24 or newer; this is Node\.js v?\d+\.\d+\.\d+ /);
  assert.match(run.stderr, /npm start/);
});
