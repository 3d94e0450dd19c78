import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBenchCommand } from '../../src/cli/bench/run-bench-command.ts';
import type { BenchSummary } from '../../src/cli/bench/summarise-results.ts';
import { answerOpenAiStream, captureOutput, startFakeTarget } from './fake-target.ts';

test('an abort mid-run prints the partial summary as JSON and exits 130', async (t) => {
  const interruption = new AbortController();
  const target = await startFakeTarget((request, res) => {
    if (request.index < 2) return answerOpenAiStream(res, ['a', 'b'], 2);
    interruption.abort();
  });
  t.after(() => target.close());
  const stdout = captureOutput();

  const code = await runBenchCommand(
    ['--url', target.origin, '--model', 'm', '--stream', '--requests', '10', '--json'],
    { stdout, stderr: captureOutput(), signal: interruption.signal },
  );

  assert.equal(code, 130);
  const summary = JSON.parse(stdout.text()) as BenchSummary;
  assert.equal(summary.partial, true);
  assert.deepEqual(summary.requests, { completed: 2, succeeded: 2, rejected: 0, failed: 0, abortedInFlight: 1 });
  assert.equal(summary.outputTokens.total, 4);
  assert.equal(target.seen.length, 3);
});

test('an abort during open-loop load ends the run and marks the table partial', async (t) => {
  const interruption = new AbortController();
  const target = await startFakeTarget((request) => {
    if (request.index === 2) interruption.abort();
  });
  t.after(() => target.close());
  const stdout = captureOutput();

  const code = await runBenchCommand(
    ['--url', target.origin, '--model', 'm', '--rate', '1000', '--requests', '100000', '--concurrency', '3'],
    { stdout, stderr: captureOutput(), signal: interruption.signal },
  );

  assert.equal(code, 130);
  assert.match(stdout.text(), /^llm-sidecar bench — partial summary \(interrupted\)$/m);
  assert.match(stdout.text(), /requests +0 \(0 ok, 0 rejected, 0 failed, \d+ cut off in flight\)/);
});

test('a signal already aborted measures nothing and still prints a summary', async () => {
  const stdout = captureOutput();
  const code = await runBenchCommand(['--url', 'http://127.0.0.1:9/v1', '--model', 'm', '--json'], {
    stdout,
    stderr: captureOutput(),
    signal: AbortSignal.abort(),
  });

  assert.equal(code, 130);
  const summary = JSON.parse(stdout.text()) as BenchSummary;
  assert.equal(summary.partial, true);
  assert.equal(summary.requests.completed, 0);
});

test('Ctrl-C (SIGINT) interrupts a run started without a signal, and the handler is removed after', async (t) => {
  const listenersBefore = process.listenerCount('SIGINT');
  const target = await startFakeTarget((request, res) => {
    if (request.index === 0) return answerOpenAiStream(res, ['a'], 1);
    // Emitting the event runs the command's handler without delivering a real signal to the runner.
    process.emit('SIGINT');
  });
  t.after(() => target.close());
  const stdout = captureOutput();

  const code = await runBenchCommand(['--url', target.origin, '--model', 'm', '--stream', '--requests', '5', '--json'], {
    stdout,
    stderr: captureOutput(),
  });

  assert.equal(code, 130);
  assert.equal((JSON.parse(stdout.text()) as BenchSummary).requests.completed, 1);
  assert.equal(process.listenerCount('SIGINT'), listenersBefore);
});
