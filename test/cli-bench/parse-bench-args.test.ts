import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBenchArgs, type BenchOptions } from '../../src/cli/bench/parse-bench-args.ts';
import { parseDurationMilliseconds } from '../../src/cli/bench/parse-duration.ts';

function parseOptions(argv: string[]): BenchOptions {
  const parsed = parseBenchArgs(argv);
  assert.equal(parsed.kind, 'options', JSON.stringify(parsed));
  return (parsed as { options: BenchOptions }).options;
}

test('durations take ms, s, m, h or bare seconds', () => {
  assert.equal(parseDurationMilliseconds('500ms'), 500);
  assert.equal(parseDurationMilliseconds('30s'), 30_000);
  assert.equal(parseDurationMilliseconds('1.5m'), 90_000);
  assert.equal(parseDurationMilliseconds('2h'), 7_200_000);
  assert.equal(parseDurationMilliseconds('10'), 10_000);
  assert.equal(parseDurationMilliseconds('0s'), null);
  assert.equal(parseDurationMilliseconds('-1s'), null);
  assert.equal(parseDurationMilliseconds('soon'), null);
});

test('defaults: closed loop of 100 requests at concurrency 1, openai-chat, 60 s timeout', () => {
  const options = parseOptions(['--url', 'http://127.0.0.1:4000/v1', '--model', 'm']);
  assert.equal(options.api, 'openai-chat');
  assert.equal(options.concurrency, 1);
  assert.equal(options.requests, 100);
  assert.equal(options.durationMs, null);
  assert.equal(options.ratePerSecond, null);
  assert.equal(options.timeoutMs, 60_000);
  assert.equal(options.warmup, 0);
  assert.equal(options.stream, false);
  assert.deepEqual(options.headers, {});
});

test('a duration alone bounds the run; both bounds may be given', () => {
  const durationOnly = parseOptions(['--url', 'http://h/v1', '--model', 'm', '--duration', '30s']);
  assert.equal(durationOnly.requests, null);
  assert.equal(durationOnly.durationMs, 30_000);
  const both = parseOptions(['--url', 'http://h/v1', '--model', 'm', '--duration', '2m', '--requests', '5']);
  assert.equal(both.requests, 5);
  assert.equal(both.durationMs, 120_000);
});

test('--rate switches to open loop with a larger default connection pool', () => {
  const options = parseOptions(['--url', 'http://h/v1', '--model', 'm', '--rate', '2.5']);
  assert.equal(options.ratePerSecond, 2.5);
  assert.equal(options.concurrency, 64);
  assert.equal(parseOptions(['--url', 'http://h', '--model', 'm', '--rate', '9', '--concurrency', '4']).concurrency, 4);
});

test('headers are repeatable and lower-cased; --api-key becomes a bearer token', () => {
  const options = parseOptions([
    '--url', 'http://h', '--model', 'm', '--header', 'X-One: 1', '--header', 'X-Two:two: parts', '--api-key', 'k',
  ]);
  assert.deepEqual(options.headers, { 'x-one': '1', 'x-two': 'two: parts', authorization: 'Bearer k' });
});

test('every problem is reported at once', () => {
  const parsed = parseBenchArgs([
    '--url', 'ftp://h', '--rate', 'fast', '--requests', '1.5', '--max-tokens', '0', '--warmup', 'few',
    '--header', 'no-colon', '--prompt', 'p', '--prompts-file', 'f', '--timeout', 'x',
  ]);
  assert.equal(parsed.kind, 'invalid');
  const problems = (parsed as { problems: string[] }).problems.join('\n');
  const flags = ['--url', '--model', '--rate', '--requests', '--max-tokens', '--warmup', '--header', '--timeout'];
  for (const flag of [...flags, '--prompt and --prompts-file']) {
    assert.ok(problems.includes(flag), `${flag} missing from:\n${problems}`);
  }
});

test('unknown flags and stray positionals are refused', () => {
  assert.equal(parseBenchArgs(['--url', 'http://h', '--model', 'm', '--verbose']).kind, 'invalid');
  assert.equal(parseBenchArgs(['--url', 'http://h', '--model', 'm', 'extra']).kind, 'invalid');
});
