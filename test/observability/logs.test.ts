import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chooseLogFormat } from '../../src/observability/create-logger.ts';
import { formatPrettyLog } from '../../src/observability/format-pretty-log.ts';
import { createRepeatBackoff } from '../../src/observability/repeat-backoff.ts';
import { roundDuration } from '../../src/observability/round-duration.ts';
import { startCli } from '../cli/cli-process.ts';

describe('log lines for people', () => {
  test('a request line leads with method, route, status, model and duration, then key=value', () => {
    const line = JSON.stringify({ level: 30, time: '2026-12-01T20:10:06.516Z', service: 'llm-sidecar', msg: 'request', requestId: 'r1', method: 'POST', route: '/v1/chat/completions', model: 'llama3.2:latest', alias: 'gpt-4o-mini', key: 'team-a', client: '127.0.0.1', status: 200, durationMs: 812 });
    assert.equal(formatPrettyLog(line), '20:10:06.516 INFO  POST /v1/chat/completions 200 llama3.2:latest 812ms requestId=r1 alias=gpt-4o-mini key=team-a client=127.0.0.1\n');
  });

  test('other lines show the message, then the fields; strings with spaces are quoted', () => {
    const line = JSON.stringify({ level: 40, time: '2026-12-01T20:10:06.516Z', msg: 'Ollama is unreachable', upstream: 'http://127.0.0.1:11434', error: 'is unreachable (ECONNREFUSED).', attempt: { n: 2 } });
    assert.equal(formatPrettyLog(line), '20:10:06.516 WARN  Ollama is unreachable upstream=http://127.0.0.1:11434 error="is unreachable (ECONNREFUSED)." attempt={"n":2}\n');
  });

  test('a line that is not JSON passes through', () => {
    assert.equal(formatPrettyLog('plain text'), 'plain text\n');
  });

  test('pretty on a terminal, JSON otherwise, unless configured', () => {
    assert.equal(chooseLogFormat(undefined, true), 'pretty');
    assert.equal(chooseLogFormat(undefined, false), 'json');
    assert.equal(chooseLogFormat('json', true), 'json');
    assert.equal(chooseLogFormat('pretty', false), 'pretty');
  });

  test('durations: a tenth of a millisecond below 10 ms, whole milliseconds above', () => {
    assert.equal(roundDuration(0.123456), 0.1);
    assert.equal(roundDuration(9.96), 10);
    assert.equal(roundDuration(812.4567), 812);
  });
});

describe('a warning that repeats', () => {
  test('is reported at once, then after 10 s, 20 s, 40 s ... up to the cap; reset starts over', () => {
    const backoff = createRepeatBackoff({ firstRepeatMs: 10_000, maxRepeatMs: 40_000 });
    const reportedAt = [0, 5_000, 10_000, 15_000, 29_000, 30_000, 69_000, 70_000, 109_000, 110_000, 150_000].filter((now) => backoff.shouldReport(now));
    assert.deepEqual(reportedAt, [0, 10_000, 30_000, 70_000, 110_000, 150_000]);
    backoff.reset();
    assert.equal(backoff.shouldReport(151_000), true);
    assert.equal(backoff.shouldReport(152_000), false);
  });
});

describe('serve without Ollama', () => {
  test('says once what to do, in plain words; JSON logs when stdout is not a terminal', async () => {
    // Port 9 (discard) on loopback: nothing listens there.
    const gateway = await startCli(['serve'], /No Ollama answers at[^\n]*\n/, { env: { PORT: '0', HOST: '127.0.0.1', OLLAMA_URL: 'http://127.0.0.1:9' } });
    try {
      const lines = gateway.stdout().trim().split('\n').map((text) => JSON.parse(text) as { msg: string });
      const advice = lines.filter((line) => line.msg.startsWith('No Ollama answers at'));
      assert.equal(advice.length, 1);
      assert.match(advice[0]?.msg ?? '', /set OLLAMA_URL/);
      assert.match(advice[0]?.msg ?? '', /npm run demo/);
    } finally {
      await gateway.stop();
    }
  });

  test('LOG_FORMAT=pretty gives lines for people even when stdout is not a terminal', async () => {
    const gateway = await startCli(['serve'], /No Ollama answers at[^\n]*\n/, { env: { PORT: '0', HOST: '127.0.0.1', OLLAMA_URL: 'http://127.0.0.1:9', LOG_FORMAT: 'pretty' } });
    try {
      assert.match(gateway.stdout(), /^\d\d:\d\d:\d\d\.\d{3} INFO  llm-sidecar listening url=http:\/\/127\.0\.0\.1:\d+/m);
    } finally {
      await gateway.stop();
    }
  });
});
