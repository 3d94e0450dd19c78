import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { lazyBuiltinNames, lazyBuiltinSource } from '../../scripts/build-builtin-plugins.ts';

const run = promisify(execFile);

/** Requires the stand-in in a process of its own and reports what loaded when. */
function probeScript(standIn: string, name: string): string {
  return `
    const loaded = () => process.moduleLoadList.includes('NativeModule ${name}');
    const lazy = require(${JSON.stringify(standIn)});
    const afterRequire = loaded();
    const constants = JSON.stringify(lazy.constants);
    const afterConstants = loaded();
    const real = require('node:${name}');
    const keys = Object.keys(lazy);
    process.stdout.write(JSON.stringify({
      afterRequire, afterConstants, realHasConstants: real.constants !== undefined,
      constantsMatch: constants === JSON.stringify(real.constants),
      sameKeys: JSON.stringify(keys) === JSON.stringify(Object.keys(real)),
      sameValues: keys.every((key) => lazy[key] === real[key] || key === 'constants'),
    }));`;
}

test('a built-in behind a stand-in loads on first use (its constants excepted), then is the module itself', async () => {
  const work = await mkdtemp(join(tmpdir(), 'llm-sidecar-lazy-builtin-'));
  try {
    for (const name of lazyBuiltinNames) {
      const standIn = join(work, `${name}.cjs`);
      await writeFile(standIn, lazyBuiltinSource(name));
      const report = JSON.parse((await run(process.execPath, ['-e', probeScript(standIn, name)])).stdout) as Record<string, boolean>;
      assert.equal(report['afterRequire'], false, `requiring the stand-in does not load ${name}`);
      // Constants are copied at build time; only a module without them loads on reading them.
      assert.equal(report['afterConstants'], !report['realHasConstants'], `${name}: reading constants`);
      assert.equal(report['constantsMatch'], true, `${name}: the copied constants are this Node's`);
      assert.equal(report['sameKeys'], true, `${name}: the same exports`);
      assert.equal(report['sameValues'], true, `${name}: the same functions and objects`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
