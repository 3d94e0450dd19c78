import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import type { StatusStreamEvent } from '../../src/openai/sidecar-status-stream-event.ts';
import { describeKeyRows } from '../../src/status/describe-key-rows.ts';
import { readKeyCounters } from '../../src/status/read-key-counters.ts';

describe('per-key status', () => {
  test('requests and 429s per key are read from the per-key counter, when one is registered', async () => {
    const registry = new Registry();
    assert.deepEqual(await readKeyCounters(registry), new Map());
    const counter = new Counter({ name: 'llm_sidecar_key_requests_total', help: 'per key', labelNames: ['key', 'model', 'status'], registers: [registry] });
    counter.inc({ key: 'team-a', model: 'llama3.2:latest', status: '200' }, 3);
    counter.inc({ key: 'team-a', model: 'gemma3:latest', status: '429' });
    counter.inc({ key: 'batch', model: 'llama3.2:latest', status: '200' });
    assert.deepEqual(await readKeyCounters(registry), new Map([['team-a', { requests: 4, limited: 1 }], ['batch', { requests: 1, limited: 0 }]]));
  });

  test('rows join the keys the status lists with the traffic of each; over budget or a recent 429 is limited', () => {
    const event = {
      status: {
        keys: [
          { name: 'team-a', tokens_today: 900, tokens_month: 5000, limits: { daily_tokens: 1000, monthly_tokens: null } },
          { name: 'nightly', tokens_today: 1000, tokens_month: 1000, limits: { daily_tokens: 1000, monthly_tokens: null } },
        ],
      },
      live: { keys: { 'team-a': { requests: 12, requests_per_s: 0.5, limited: 2, limited_recently: 0 }, legacy: { requests: 1, requests_per_s: null, limited: 1, limited_recently: 1 } } },
    } as unknown as StatusStreamEvent;
    assert.deepEqual(describeKeyRows(event), [
      { name: 'team-a', requests: 12, requests_per_s: 0.5, tokens_today: 900, tokens_month: 5000, daily_tokens: 1000, limited: false },
      { name: 'nightly', requests: null, requests_per_s: null, tokens_today: 1000, tokens_month: 1000, daily_tokens: 1000, limited: true },
      { name: 'legacy', requests: 1, requests_per_s: null, tokens_today: null, tokens_month: null, daily_tokens: null, limited: true },
    ]);
  });
});
