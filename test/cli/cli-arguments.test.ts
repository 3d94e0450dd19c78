import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCliToEnd } from './cli-process.ts';

const COMMANDS = ['serve', 'sim', 'demo', 'pull', 'bench', 'keys', 'usage'];
const STACK_FRAME = /^\s+at /m;

describe('llm-sidecar arguments', () => {
  for (const command of COMMANDS) {
    test(`${command} --help prints its usage and exits 0 without starting anything`, async () => {
      const run = await runCliToEnd([command, '--help']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`llm-sidecar ${command}`));
      assert.equal(run.stderr, '');
    });

    test(`${command} with an unknown option says so in one line, then the usage, exit 2`, async () => {
      const run = await runCliToEnd([command, '--no-such-option']);
      assert.equal(run.code, 2);
      assert.match(run.stderr.split('\n')[0] ?? '', /Unknown option '--no-such-option'/);
      assert.doesNotMatch(run.stderr, STACK_FRAME);
      assert.doesNotMatch(run.stderr, /ERR_PARSE_ARGS/);
      assert.doesNotMatch(run.stderr, /To specify a positional argument/);
      assert.match(run.stderr, new RegExp(`^Usage:[\\s\\S]*llm-sidecar ${command}`, 'm'));
    });
  }

  test('keys new --help prints the keys usage, exit 0, without making a key', async () => {
    const run = await runCliToEnd(['keys', 'new', '--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /llm-sidecar keys new --name NAME/);
    assert.doesNotMatch(run.stdout, /sk-/);
    assert.equal(run.stderr, '');
  });

  test('keys new with an unknown option says so in one line, then the usage, exit 2', async () => {
    const run = await runCliToEnd(['keys', 'new', '--name', 'a', '--no-such-option']);
    assert.equal(run.code, 2);
    assert.match(run.stderr.split('\n')[0] ?? '', /Unknown option '--no-such-option'/);
    assert.match(run.stderr, /llm-sidecar keys new/);
    assert.doesNotMatch(run.stderr, STACK_FRAME);
    assert.doesNotMatch(run.stderr, /To specify a positional argument/);
  });

  test('keys names an unknown action in one line, then the usage, exit 2', async () => {
    const run = await runCliToEnd(['keys', 'rotate']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^Unknown keys action: rotate\n\nUsage:/);
  });

  test('the top-level help lists every command and points at their --help', async () => {
    const run = await runCliToEnd(['--help']);
    assert.equal(run.code, 0);
    for (const command of COMMANDS) assert.match(run.stdout, new RegExp(`llm-sidecar ${command}`));
    assert.match(run.stdout, /--help/);
  });

  test('an unknown command is named, with the usage, exit 2', async () => {
    const run = await runCliToEnd(['serv']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^Unknown command: serv\n/);
  });

  test('a stray argument to serve is refused in one line', async () => {
    const run = await runCliToEnd(['serve', 'extra']);
    assert.equal(run.code, 2);
    assert.match(run.stderr.split('\n')[0] ?? '', /Unexpected argument 'extra'/);
  });

  test('sim refuses a port that is not one', async () => {
    const run = await runCliToEnd(['sim', '--port', 'eleven']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^--port must be a whole number/);
  });
});
