import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { StatusResponse } from '../../src/openai/sidecar-status-response.ts';
import type { StatusStreamEvent } from '../../src/openai/sidecar-status-stream-event.ts';
import { startStack, type TestStack } from '../support/start-gateway.ts';
import { postJson } from '../sidecar/read-stream.ts';
import { openStatusEvents } from './read-status-events.ts';

const LLAMA = 'llama3.2:latest';
const AMOUNT = 3;
const leftIn = (event: StatusStreamEvent): number | null | undefined => event.status.models.find((model) => model.name === LLAMA)?.reservoir_left;

describe('the rate reservoir left, in /v1/status and its stream', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      // Long enough for two quick requests to fall in the first window, short enough to wait for the refresh.
      config: { logLevel: 'silent', models: { 'llama3.2': { reservoir: AMOUNT, refreshIntervalMs: 3_000 } } },
      app: { statusHistoryIntervalMs: 50 },
    });
  });
  after(() => stack.close());

  test('shows the amount, then the amount less the requests that started, then the amount again after the refresh', async () => {
    const before = (await (await fetch(`${stack.url}/v1/status`)).json()) as StatusResponse;
    const model = before.models.find((candidate) => candidate.name === LLAMA);
    assert.deepEqual(model?.limits.reservoir, { amount: AMOUNT, refresh_interval_ms: 3_000 });
    assert.equal(model?.reservoir_left, AMOUNT);

    const events = await openStatusEvents(stack.url);
    try {
      for (let index = 0; index < 2; index += 1) assert.equal((await postJson(`${stack.url}/v1/llm/llama3.2`, { prompt: 'take a token' })).status, 200);
      const after = (await (await fetch(`${stack.url}/v1/status`)).json()) as StatusResponse;
      assert.equal(after.models.find((candidate) => candidate.name === LLAMA)?.reservoir_left, AMOUNT - 2);
      await events.next((event) => leftIn(event) === AMOUNT - 2);
      // no request from here on: the refresh alone brings the count back
      await events.next((event) => leftIn(event) === AMOUNT);
    } finally {
      events.close();
    }
  });
});
