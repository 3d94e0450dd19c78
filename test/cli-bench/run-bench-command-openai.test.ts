import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBenchCommand } from '../../src/cli/bench/run-bench-command.ts';
import type { BenchSummary } from '../../src/cli/bench/summarise-results.ts';
import { answerJson, answerOpenAiStream, captureOutput, startFakeTarget } from './fake-target.ts';

async function runJson(argv: string[]): Promise<{ code: number; summary: BenchSummary; stderr: string }> {
  const stdout = captureOutput();
  const stderr = captureOutput();
  const code = await runBenchCommand([...argv, '--json'], { stdout, stderr });
  return { code, summary: JSON.parse(stdout.text()) as BenchSummary, stderr: stderr.text() };
}

test('streams chat completions, counting every request and taking tokens from usage', async (t) => {
  const target = await startFakeTarget((_request, res) => answerOpenAiStream(res, ['a', 'b', 'c'], 7));
  t.after(() => target.close());

  const { code, summary } = await runJson([
    '--url', `${target.origin}/v1`, '--model', 'm1', '--stream', '--concurrency', '2', '--requests', '6',
    '--max-tokens', '16', '--api-key', 'sk-test', '--header', 'X-Trace: on',
  ]);

  assert.equal(code, 0);
  assert.equal(target.seen.length, 6);
  assert.deepEqual(summary.requests, { completed: 6, succeeded: 6, rejected: 0, failed: 0, abortedInFlight: 0 });
  assert.equal(summary.partial, false);
  assert.deepEqual(summary.outputTokens.total, 42);
  assert.equal(summary.outputTokens.requestsWithoutUsage, 0);
  assert.notEqual(summary.timeToFirstTokenMs.p50, null);
  assert.notEqual(summary.latencyMs.p99, null);
  assert.deepEqual(summary.load, { mode: 'closed-loop', concurrency: 2, ratePerSecond: null, warmup: 0 });

  const first = target.seen[0];
  assert.equal(first?.path, '/v1/chat/completions');
  assert.equal(first?.headers['authorization'], 'Bearer sk-test');
  assert.equal(first?.headers['x-trace'], 'on');
  assert.deepEqual(first?.body, {
    model: 'm1',
    messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
    stream: true,
    max_tokens: 16,
    stream_options: { include_usage: true },
  });
  assert.notDeepEqual(target.seen[1]?.body['messages'], first?.body['messages'], 'the built-in prompts vary');
});

test('counts content deltas as tokens when the stream reports no usage', async (t) => {
  const target = await startFakeTarget((_request, res) => answerOpenAiStream(res, ['x', 'y', 'z'], null));
  t.after(() => target.close());

  const { summary } = await runJson(['--url', `${target.origin}/v1`, '--model', 'm', '--stream', '--requests', '4']);

  assert.equal(summary.outputTokens.total, 12);
  assert.equal(summary.outputTokens.requestsWithoutUsage, 4);
});

test('non-streamed completions: usage tokens, no time to first token, warm-up not measured', async (t) => {
  const target = await startFakeTarget((_request, res) =>
    answerJson(res, 200, {
      choices: [{ index: 0, text: 'hi', finish_reason: 'stop' }],
      usage: { completion_tokens: 5 },
    }),
  );
  t.after(() => target.close());

  const { code, summary, stderr } = await runJson([
    '--url', `${target.origin}/v1/`, '--api', 'openai-completions', '--model', 'm', '--prompt', 'ping',
    '--requests', '3', '--warmup', '2',
  ]);

  assert.equal(code, 0);
  assert.equal(target.seen.length, 5, 'two warm-up requests plus three measured');
  assert.equal(summary.requests.completed, 3);
  assert.equal(summary.outputTokens.total, 15);
  assert.deepEqual(summary.timeToFirstTokenMs, { p50: null, p99: null });
  assert.equal(target.seen[4]?.path, '/v1/completions');
  assert.deepEqual(target.seen[4]?.body, { model: 'm', prompt: 'ping', stream: false });
  assert.match(stderr, /warming up with 2 requests/);
  assert.match(stderr, /^bench 3\/3 done .* 0 errors$/m, 'plain progress lines when stderr is not a terminal');
});

test('prints the summary table and rewrites one progress line on a terminal', async (t) => {
  const target = await startFakeTarget((_request, res) => answerOpenAiStream(res, ['a'], 1));
  t.after(() => target.close());
  const stdout = captureOutput();
  const stderr = captureOutput(true);

  const code = await runBenchCommand(['--url', target.origin, '--model', 'm', '--stream', '--requests', '2'], {
    stdout,
    stderr,
  });

  assert.equal(code, 0);
  assert.match(stderr.text(), /\rbench 2\/2 done .* 0 errors *\n$/);
  const table = stdout.text();
  assert.match(table, /^llm-sidecar bench — summary$/m);
  assert.match(table, /requests +2 \(2 ok, 0 rejected, 0 failed\)/);
  assert.match(table, /latency +p50 [\d.]+ ms {2}p90 [\d.]+ ms {2}p99 [\d.]+ ms {2}max [\d.]+ ms/);
  assert.match(table, /first token +p50 [\d.]+ ms {2}p99 [\d.]+ ms/);
  assert.match(table, /429 +0 \(0 with Retry-After\)/);
});

test('--help prints usage; invalid arguments are all reported with exit code 2', async () => {
  const help = captureOutput();
  assert.equal(await runBenchCommand(['--help'], { stdout: help, stderr: captureOutput() }), 0);
  assert.match(help.text(), /^Usage: llm-sidecar bench/);

  const stderr = captureOutput();
  const code = await runBenchCommand(['--api', 'grpc', '--concurrency', '0', '--duration', 'soon'], {
    stdout: captureOutput(),
    stderr,
  });
  assert.equal(code, 2);
  for (const flag of ['--url', '--api', '--model', '--concurrency', '--duration']) {
    assert.match(stderr.text(), new RegExp(`bench: ${flag}`));
  }
});
