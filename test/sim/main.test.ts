import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { get } from './sim-http.ts';

test('src/sim/main.ts listens on SIM_HOST:SIM_PORT, logs its URL and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [new URL('../../src/sim/main.ts', import.meta.url).pathname], {
    env: { ...process.env, SIM_HOST: '127.0.0.1', SIM_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [firstOutput] = (await once(child.stdout, 'data')) as [Buffer];
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(firstOutput.toString('utf8'))?.[0];
    assert.ok(url, firstOutput.toString('utf8'));
    assert.match(firstOutput.toString('utf8'), /simulated/);
    assert.equal((await get(url, '/')).text, 'Ollama is running');
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    assert.deepEqual(await exited, [0, null]);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
