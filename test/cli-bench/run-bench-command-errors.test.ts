import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { runBenchCommand } from '../../src/cli/bench/run-bench-command.ts';
import type { BenchSummary } from '../../src/cli/bench/summarise-results.ts';
import { answerJson, answerOpenAiStream, captureOutput, startFakeTarget } from './fake-target.ts';

async function runJson(argv: string[]): Promise<{ code: number; summary: BenchSummary; stdout: string }> {
  const stdout = captureOutput();
  const code = await runBenchCommand([...argv, '--json'], { stdout, stderr: captureOutput() });
  return { code, summary: JSON.parse(stdout.text()) as BenchSummary, stdout: stdout.text() };
}

test('429 and 503 are counted apart, with how many carried Retry-After', async (t) => {
  const target = await startFakeTarget((request, res) => {
    const error = { error: { message: 'busy', type: 'rate_limit_error', param: null, code: null } };
    switch (request.index % 5) {
      case 0: return answerJson(res, 429, error, { 'retry-after': '1' });
      case 1: return answerJson(res, 429, error);
      case 2: return answerJson(res, 503, error, { 'retry-after': '2' });
      case 3: return answerJson(res, 500, error);
      default: return answerOpenAiStream(res, ['ok'], 1);
    }
  });
  t.after(() => target.close());

  // Overload-test mode: the Retry-After delays are counted, not waited for.
  const { code, summary } = await runJson(['--url', target.origin, '--model', 'm', '--stream', '--requests', '10', '--ignore-retry-after']);

  assert.equal(code, 0, 'some requests succeeded');
  assert.deepEqual(summary.requests, { completed: 10, succeeded: 2, rejected: 6, failed: 2, abortedInFlight: 0 });
  assert.deepEqual(summary.errors, {
    byStatus: { '429': 4, '503': 2, '500': 2 },
    rateLimited: { count: 4, withRetryAfter: 2 },
    overloaded: { count: 2, withRetryAfter: 2 },
    responseErrors: 0,
    timeouts: 0,
    network: {},
  });
});

test('an error frame inside a 200 stream counts as an error body, not a success', async (t) => {
  const target = await startFakeTarget((_request, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'par' } }] })}\n\n`);
    res.end(`data: ${JSON.stringify({ error: { message: 'upstream died', type: 'api_error' } })}\n\n`);
  });
  t.after(() => target.close());

  const { code, summary } = await runJson(['--url', target.origin, '--model', 'm', '--stream', '--requests', '2']);

  assert.equal(code, 1, 'every request failed');
  assert.equal(summary.errors.responseErrors, 2);
  assert.equal(summary.requests.succeeded, 0);
  assert.equal(summary.latencyMs.p50, null);
});

test('a refused connection is a network error named by its code', async () => {
  const closedPort = await findClosedPort();

  const url = `http://127.0.0.1:${closedPort}/v1`;
  const { code, summary } = await runJson(['--url', url, '--model', 'm', '--requests', '3']);

  assert.equal(code, 1);
  assert.deepEqual(summary.errors.network, { ECONNREFUSED: 3 });
  assert.equal(summary.requests.failed, 3);
});

test('a request that outlives --timeout counts as a timeout and the run still ends', async (t) => {
  const target = await startFakeTarget(() => undefined);
  t.after(() => target.close());

  const { code, summary } = await runJson([
    '--url', target.origin, '--model', 'm', '--requests', '1', '--timeout', '100ms',
  ]);

  assert.equal(code, 1);
  assert.equal(summary.errors.timeouts, 1);
});

async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a 200 answer that is not JSON counts as an error body', async (t) => {
  const target = await startFakeTarget((_request, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>proxy login</html>');
  });
  t.after(() => target.close());

  const { summary } = await runJson(['--url', target.origin, '--model', 'm', '--requests', '2']);

  assert.equal(summary.errors.responseErrors, 2);
  assert.deepEqual(summary.errors.network, {});
});
