import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchCommand } from '../../src/cli/bench/run-bench-command.ts';
import type { BenchSummary } from '../../src/cli/bench/summarise-results.ts';
import { answerJson, answerOllamaStream, captureOutput, startFakeTarget } from './fake-target.ts';

async function runJson(argv: string[]): Promise<{ code: number; summary: BenchSummary }> {
  const stdout = captureOutput();
  const code = await runBenchCommand([...argv, '--json'], { stdout, stderr: captureOutput() });
  return { code, summary: JSON.parse(stdout.text()) as BenchSummary };
}

test('streams /api/chat NDJSON split mid-line, taking tokens from eval_count', async (t) => {
  const target = await startFakeTarget((_request, res) => answerOllamaStream(res, ['héllo', ' wörld'], 9));
  t.after(() => target.close());

  const { code, summary } = await runJson([
    '--url', target.origin, '--api', 'ollama-chat', '--model', 'llama3.2', '--stream', '--requests', '5',
    '--concurrency', '3', '--max-tokens', '32',
  ]);

  assert.equal(code, 0);
  assert.equal(target.seen.length, 5);
  assert.deepEqual(summary.requests, { completed: 5, succeeded: 5, rejected: 0, failed: 0, abortedInFlight: 0 });
  assert.equal(summary.outputTokens.total, 45);
  assert.equal(summary.outputTokens.requestsWithoutUsage, 0);
  assert.notEqual(summary.timeToFirstTokenMs.p99, null);
  assert.equal(target.seen[0]?.path, '/api/chat');
  assert.deepEqual(target.seen[0]?.body['options'], { num_predict: 32 });
  assert.equal(target.seen[0]?.body['stream'], true);
});

test('non-streamed /api/generate sends an explicit stream:false and reads eval_count', async (t) => {
  const target = await startFakeTarget((_request, res) =>
    answerJson(res, 200, { model: 'm', response: 'ok', done: true, eval_count: 4 }),
  );
  t.after(() => target.close());

  const { summary } = await runJson([
    '--url', target.origin, '--api', 'ollama-generate', '--model', 'm', '--prompt', 'hi', '--requests', '2',
  ]);

  assert.equal(summary.outputTokens.total, 8);
  assert.equal(target.seen[0]?.path, '/api/generate');
  assert.deepEqual(target.seen[0]?.body, { model: 'm', prompt: 'hi', stream: false });
});

test('a prompts file mixes text lines and JSONL conversations, used round-robin', async (t) => {
  const target = await startFakeTarget((_request, res) =>
    answerJson(res, 200, { model: 'm', message: { role: 'assistant', content: 'ok' }, done: true, eval_count: 1 }),
  );
  t.after(() => target.close());
  const directory = await mkdtemp(join(tmpdir(), 'bench-prompts-'));
  const file = join(directory, 'prompts.jsonl');
  const conversation = [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'why?' }];
  await writeFile(file, `plain question\n\n${JSON.stringify({ messages: conversation })}\n`);

  const { code } = await runJson([
    '--url', target.origin, '--api', 'ollama-chat', '--model', 'm', '--prompts-file', file, '--requests', '3',
  ]);

  assert.equal(code, 0);
  assert.deepEqual(
    target.seen.map((request) => request.body['messages']),
    [[{ role: 'user', content: 'plain question' }], conversation, [{ role: 'user', content: 'plain question' }]],
  );

  const stderr = captureOutput();
  const refused = await runBenchCommand(
    ['--url', target.origin, '--api', 'ollama-generate', '--model', 'm', '--prompts-file', file],
    { stdout: captureOutput(), stderr },
  );
  assert.equal(refused, 2);
  assert.match(stderr.text(), /takes text prompts/);
});

test('an {"error"} line mid-stream counts as an error body', async (t) => {
  const target = await startFakeTarget((_request, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    res.write(`${JSON.stringify({ model: 'm', message: { role: 'assistant', content: 'a' }, done: false })}\n`);
    res.end(`${JSON.stringify({ error: 'an error was encountered while running the model' })}\n`);
  });
  t.after(() => target.close());

  const { code, summary } = await runJson([
    '--url', target.origin, '--api', 'ollama-chat', '--model', 'm', '--stream', '--requests', '2',
  ]);

  assert.equal(code, 1);
  assert.equal(summary.errors.responseErrors, 2);
});
