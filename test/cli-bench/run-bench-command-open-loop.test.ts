import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { runBenchCommand } from '../../src/cli/bench/run-bench-command.ts';
import type { BenchSummary } from '../../src/cli/bench/summarise-results.ts';
import { answerOpenAiStream, captureOutput, startFakeTarget } from './fake-target.ts';

async function runJson(argv: string[]): Promise<{ code: number; summary: BenchSummary }> {
  const stdout = captureOutput();
  const code = await runBenchCommand([...argv, '--json'], { stdout, stderr: captureOutput() });
  return { code, summary: JSON.parse(stdout.text()) as BenchSummary };
}

test('open loop sends exactly --requests requests', async (t) => {
  const target = await startFakeTarget((_request, res) => answerOpenAiStream(res, ['a'], 1));
  t.after(() => target.close());

  const { code, summary } = await runJson([
    '--url', target.origin, '--model', 'm', '--stream', '--rate', '200', '--requests', '5', '--concurrency', '2',
  ]);

  assert.equal(code, 0);
  assert.equal(target.seen.length, 5);
  assert.equal(summary.requests.completed, 5);
  assert.deepEqual(summary.load, { mode: 'open-loop', concurrency: 2, ratePerSecond: 200, warmup: 0 });
});

test('open loop bounded by --duration starts rate × duration requests', async (t) => {
  const target = await startFakeTarget((_request, res) => answerOpenAiStream(res, ['a'], 1));
  t.after(() => target.close());

  const { summary } = await runJson(['--url', target.origin, '--model', 'm', '--rate', '100', '--duration', '50ms']);

  assert.equal(target.seen.length, 5, 'due at 0, 10, 20, 30 and 40 ms');
  assert.equal(summary.requests.completed, 5);
});

test('open loop starts requests without waiting for earlier ones to complete', async (t) => {
  const held: ServerResponse[] = [];
  const target = await startFakeTarget((_request, res) => {
    held.push(res);
    // Nothing is answered until all three are in flight: a closed loop would wait here forever.
    if (held.length === 3) for (const response of held) answerOpenAiStream(response, ['a'], 1);
  });
  t.after(() => target.close());

  const { summary } = await runJson([
    '--url', target.origin, '--model', 'm', '--stream', '--rate', '1000', '--requests', '3', '--concurrency', '3',
  ]);

  assert.equal(summary.requests.succeeded, 3);
});
