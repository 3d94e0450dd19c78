import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runPullCommand } from '../../src/cli/run-pull-command.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { capture } from '../support/capture-output.ts';

describe('llm-sidecar pull', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({ requireSimulator: true, config: { pullAllowed: ['tinyllama*'] } });
  });
  after(() => stack.close());

  test('pulls an allowed model through the gateway, printing progress, exit 0', async () => {
    const stdout = capture();
    const stderr = capture();
    const code = await runPullCommand(['tinyllama:1b', '--url', stack.url], { stdout, stderr, env: {} });
    assert.equal(code, 0, stderr.text());
    const lines = stdout.text().trim().split('\n');
    assert.equal(lines[0], 'pulling manifest');
    assert.ok(lines.some((line) => /^pulling [0-9a-f]{12} \d+% \(\d+ \/ \d+ MB\)$/.test(line)), lines.join('\n'));
    assert.equal(lines.at(-1), 'success');
    const models = (await (await fetch(`${stack.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    assert.ok(models.data.some((model) => model.id === 'tinyllama:1b'));
  });

  test('a name outside the allow-list is refused with the reason, exit 1', async () => {
    const stderr = capture();
    const code = await runPullCommand(['huge-model:70b', '--url', stack.url], { stdout: capture(), stderr, env: {} });
    assert.equal(code, 1);
    assert.match(stderr.text(), /403.*not allowed/);
  });

  test('a pull that fails upstream says why, exit 1', async () => {
    const stderr = capture();
    const code = await runPullCommand(['tinyllama-missing', '--url', stack.url], { stdout: capture(), stderr, env: {} });
    assert.equal(code, 1);
    assert.match(stderr.text(), /file does not exist/);
  });

  test('no model is a usage error, exit 2', async () => {
    assert.equal(await runPullCommand([], { stdout: capture(), stderr: capture(), env: {} }), 2);
  });
});
