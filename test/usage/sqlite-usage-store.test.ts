import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { SqliteUsageStore } from '../../src/usage/sqlite-usage-store.ts';

const run = promisify(execFile);
const storeModule = new URL('../../src/usage/sqlite-usage-store.ts', import.meta.url).href;

test('an in-memory usage store loads SQLite only when usage is first written (a gateway without keys never loads it)', async () => {
  const script = `
    const { SqliteUsageStore } = await import(${JSON.stringify(storeModule)});
    const store = new SqliteUsageStore(':memory:');
    const before = process.moduleLoadList.includes('NativeModule sqlite');
    await store.add([{ day: '2026-12-01', key: 'k', model: 'm', requests: 1, promptTokens: 2, completionTokens: 3 }]);
    process.stdout.write(JSON.stringify({ before, after: process.moduleLoadList.includes('NativeModule sqlite') }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  assert.deepEqual(JSON.parse(stdout), { before: false, after: true });
});

test('an in-memory usage store counts from its first write and refuses writes once closed', async () => {
  const store = new SqliteUsageStore(':memory:');
  assert.deepEqual(await store.query({}), []);
  await store.add([{ day: '2026-12-01', key: 'k', model: 'm', requests: 1, promptTokens: 2, completionTokens: 3 }]);
  await store.add([{ day: '2026-12-01', key: 'k', model: 'm', requests: 1, promptTokens: 1, completionTokens: 1 }]);
  assert.deepEqual(await store.query({ key: 'k' }), [{ day: '2026-12-01', key: 'k', model: 'm', requests: 2, promptTokens: 3, completionTokens: 4 }]);
  await store.close();
  assert.throws(() => void store.add([{ day: '2026-12-01', key: 'k', model: 'm', requests: 1, promptTokens: 1, completionTokens: 1 }]), /closed|not open/);
});
