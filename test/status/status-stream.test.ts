import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { StatusStreamEvent } from '../../src/openai/sidecar-status-stream-event.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { postJson } from '../sidecar/read-stream.ts';
import { openStatusEvents } from './read-status-events.ts';

const LLAMA = 'llama3.2:latest';
const modelOf = (event: StatusStreamEvent, name = LLAMA) => event.status.models.find((model) => model.name === name);

describe('GET /v1/status/stream', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: { logLevel: 'silent', models: { 'llama3.2': { maxConcurrent: 1 } } },
      sim: { timeToFirstTokenMs: 20, tokensPerAnswer: 30 },
      app: { statusHistoryIntervalMs: 50 },
    });
  });
  after(() => stack.close());

  test('opens with retry:, then a whole snapshot; queued and active follow the simulator gate', async () => {
    const events = await openStatusEvents(stack.url);
    try {
      const first = await events.next();
      assert.equal(events.retryMs, 2000);
      assert.equal(first.status.upstreams[0]?.reachable, true);
      assert.ok(first.gateway.rss_bytes > 0);

      stack.sim!.gate.hold();
      const requests = Array.from({ length: 3 }, () => postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'wait your turn' }));
      await stack.sim!.gate.whenWaiting(1);
      const busy = await events.next((event) => modelOf(event)?.queued === 2);
      assert.equal(modelOf(busy)?.active, 1);
      assert.ok((modelOf(busy)?.oldest_wait_ms ?? -1) >= 0, 'the oldest queued request has a wait');
      assert.equal(busy.status.queued, 2);

      stack.sim!.gate.release();
      for (const response of await Promise.all(requests)) assert.equal(response.status, 200);
      const idle = await events.next((event) => modelOf(event)?.queued === 0 && modelOf(event)?.active === 0);
      assert.equal(idle.status.in_flight, 0);
      assert.equal(modelOf(idle)?.oldest_wait_ms, null);
    } finally {
      events.close();
    }
  });

  test('history samples and live rates show the tokens and time to first token of past requests', async () => {
    for (let index = 0; index < 2; index += 1) assert.equal((await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'count me', stream: true })).status, 200);
    const events = await openStatusEvents(stack.url);
    try {
      const withTraffic = await events.next((event) => (event.live.models[LLAMA]?.tokens_per_s ?? 0) > 0 && event.history.samples.some((sample) => (sample.models[LLAMA]?.tokens_per_s ?? 0) > 0));
      const live = withTraffic.live.models[LLAMA]!;
      assert.ok((live.requests_per_s ?? 0) > 0);
      assert.ok(live.ttft_p50_ms !== null && live.ttft_p50_ms > 0, `TTFT p50 ${live.ttft_p50_ms}`);
      assert.ok(live.ttft_p95_ms! >= live.ttft_p50_ms);
      assert.equal(withTraffic.history.interval_s, 0.05);
      assert.ok(withTraffic.history.samples.length <= 90, 'the ring buffer keeps at most 90 samples');
    } finally {
      events.close();
    }
  });

  test('recent errors list what the gateway answered with, newest first', async () => {
    const events = await openStatusEvents(stack.url);
    try {
      assert.equal((await postJson(`${stack.url}/v1/llm/no-such-model`, { prompt: 'hi' })).status, 404);
      const event = await events.next((candidate) => candidate.recent_errors.length > 0);
      assert.equal(event.recent_errors[0]?.status, 404);
      assert.equal(event.recent_errors[0]?.route, '/v1/llm/no-such-model');
    } finally {
      events.close();
    }
  });
});

describe('GET /v1/status/stream with API keys', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: {
        logLevel: 'silent',
        apiKeys: ['sk-operator', { name: 'team-a', key: 'sk-team-a', routes: ['openai', 'sidecar'], dailyTokens: 1_000_000 }],
      },
    });
  });
  after(() => stack.close());

  test('needs the admin scope: a key for the API only gets 403', async () => {
    const refused = await fetch(`${stack.url}/v1/status/stream`, { headers: { authorization: 'Bearer sk-team-a' } });
    assert.equal(refused.status, 403);
    await refused.arrayBuffer();
  });

  test("each key's requests, 429s and tokens today", async () => {
    for (let index = 0; index < 2; index += 1) {
      const answer = await fetch(`${stack.url}/v1/llm/llama3.2`, { method: 'POST', headers: { authorization: 'Bearer sk-team-a' }, body: JSON.stringify({ prompt: 'count me' }) });
      assert.equal(answer.status, 200);
      await answer.arrayBuffer();
    }
    const events = await openStatusEvents(stack.url, { authorization: 'Bearer sk-operator' });
    try {
      const event = await events.next((candidate) => (candidate.live.keys['team-a']?.requests ?? 0) >= 2);
      assert.equal(event.live.keys['team-a']?.limited, 0);
      const listed = (event.status as unknown as { keys: Array<{ name: string; tokens_today: number }> }).keys.find((key) => key.name === 'team-a');
      assert.ok((listed?.tokens_today ?? 0) > 0);
    } finally {
      events.close();
    }
  });

  test('needs a key: 401 without, events with', async () => {
    const refused = await fetch(`${stack.url}/v1/status/stream`);
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
    const events = await openStatusEvents(stack.url, { authorization: 'Bearer sk-operator' });
    try {
      assert.ok((await events.next()).status.version);
    } finally {
      events.close();
    }
  });
});
