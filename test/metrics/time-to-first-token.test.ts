import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';

let clock = 0;
let stack: TestStack;
before(async () => {
  stack = await startStack({
    requireSimulator: true,
    app: { now: () => clock },
    config: { logLevel: 'silent', models: { gemma3: { maxConcurrent: 1, maxQueue: 5 } } },
  });
});
after(() => stack.close());

/** The histogram's sum and count for gemma3, from a scrape. */
async function timeToFirstToken(): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  const read = (suffix: string): number => Number(text.match(new RegExp(`^llm_sidecar_time_to_first_token_seconds_${suffix}\\{model="gemma3:latest"\\} (\\S+)$`, 'm'))?.[1]);
  return { sum: read('sum'), count: read('count') };
}

async function whenQueued(count: number): Promise<void> {
  while ((stack.gateway.services.scheduler.snapshot().models['gemma3:latest']?.queued ?? 0) < count) await new Promise((resolve) => setImmediate(resolve));
}

test('time to first token counts from the slot: a request that queued 5 s and then answered at once has a TTFT of 0', async () => {
  const body = JSON.stringify({ model: 'gemma3', stream: true, messages: [{ role: 'user', content: 'first token' }] });
  const send = (): Promise<string> => fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', body }).then((response) => response.text());
  stack.sim!.gate.hold();
  // The gateway's clock stands still unless moved: the first request gets the slot at 0, the second queues at 0.
  const holder = send();
  await stack.sim!.gate.whenWaiting(1);
  const queued = send();
  await whenQueued(1);
  clock = 5_000;
  stack.sim!.gate.release();
  await Promise.all([holder, queued]);
  // The holder waited 5 s for Ollama after its slot (5 s of TTFT); the queued one got its slot at 5 s
  // and its first token at 5 s: 0. Counted from arrival it would have been 5 s too.
  assert.deepEqual(await timeToFirstToken(), { sum: 5, count: 2 });
});
