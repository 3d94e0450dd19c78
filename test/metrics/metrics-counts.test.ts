import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type TestStack } from '../support/start-gateway.ts';

/** Every sample of the exposition, keyed `name{labels}` exactly as written. */
function samplesOf(exposition: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of exposition.split('\n')) {
    const match = /^(\w+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

describe('metrics count a known concurrent mix exactly', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startStack({
      requireSimulator: true,
      config: {
        logLevel: 'silent',
        retries: { attempts: 0, baseDelayMs: 1, maxDelayMs: 1 },
        models: { gemma3: { maxConcurrent: 1, maxQueue: 0 } },
        // A queued stream opens at once with `: queued position=N`, which tells the test where it is.
        queueHeartbeat: { openAfterMs: 1, intervalMs: 60_000 },
      },
    });
    // What app.ts should do once; harmless if it already does.
    stack.gateway.services.metrics.trackScheduler(() => stack.gateway.services.scheduler.snapshot());
  });
  after(() => stack.close());

  test('successes, streams, 400, 404, 429, a client disconnect and an upstream error', async () => {
    const { sim } = stack;
    const post = (body: unknown, signal?: AbortSignal, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
    const statusOf = async (pending: Promise<Response>): Promise<number> => {
      const response = await pending;
      await response.arrayBuffer();
      return response.status;
    };
    const chat = { model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] };

    sim!.injectFault({ kind: 'status500', route: '/api/chat' });
    assert.equal(await statusOf(post(chat)), 502);

    sim!.gate.hold();
    const gemmaHolder = statusOf(post({ ...chat, model: 'gemma3' }));
    await sim!.gate.whenWaiting(1);
    // Four plain and two streamed answers wait together behind the gate: two run, four queue.
    const answers = [...Array.from({ length: 4 }, () => statusOf(post(chat))), ...Array.from({ length: 2 }, () => statusOf(post({ ...chat, stream: true })))];
    await sim!.gate.whenWaiting(3);
    const busy = samplesOf(await (await fetch(`${stack.url}/metrics`)).text());
    assert.equal(busy.get('llm_sidecar_active_requests{model="llama3.2:latest"}'), 2);
    assert.equal(busy.get('llm_sidecar_queued_requests{model="llama3.2:latest"}'), 4);

    // A streaming client leaves while queued: the heartbeat comment proves it waits in the queue.
    const closed = new Promise<void>((resolve) => {
      stack.server.prependListener('request', (req, res) => {
        if (req.headers['x-request-id'] === 'leaving') res.once('close', () => resolve());
      });
    });
    const leaving = new AbortController();
    const stream = await post({ ...chat, stream: true }, leaving.signal, { 'x-request-id': 'leaving' });
    const reader = stream.body!.getReader();
    assert.match(new TextDecoder().decode((await reader.read()).value), /^: queued position=5/);
    leaving.abort();
    await reader.read().catch(() => undefined);
    // The gateway's own close handlers ran in the same 'close' emit, before this continuation.
    await closed;

    const refusals = await Promise.all([statusOf(post({ ...chat, model: 'gemma3' })), statusOf(post({ ...chat, temperature: 'hot' })), statusOf(post({ ...chat, model: 'no-such-model' }))]);
    assert.deepEqual(refusals, [429, 400, 404]);
    sim!.gate.release();
    assert.deepEqual(await Promise.all(answers), [200, 200, 200, 200, 200, 200]);
    assert.equal(await gemmaHolder, 200);

    const samples = samplesOf(await (await fetch(`${stack.url}/metrics`)).text());
    const requests = (model: string, status: number): number | undefined => samples.get(`llm_sidecar_requests_total{model="${model}",route="/v1/chat/completions",status="${status}"}`);
    assert.equal(requests('llama3.2:latest', 200), 6);
    assert.equal(requests('gemma3:latest', 200), 1);
    assert.equal(requests('gemma3:latest', 429), 1);
    assert.equal(requests('llama3.2:latest', 499), 1);
    assert.equal(requests('llama3.2:latest', 502), 1);
    // A body that fails validation never reaches model resolution: no model label to give it.
    assert.equal(requests('none', 400), 1);
    assert.equal(requests('none', 404), 1);
    const durations = (statusClass: string): number | undefined => samples.get(`llm_sidecar_request_duration_seconds_count{model="llama3.2:latest",route="/v1/chat/completions",status="${statusClass}"}`);
    assert.deepEqual([durations('2xx'), durations('4xx'), durations('5xx')], [6, 1, 1], 'answers, the client that left (499), the upstream error (502)');
    assert.equal(samples.get('llm_sidecar_queue_wait_seconds_count{model="llama3.2:latest"}'), 7, 'six answers and the upstream error got a slot; the client that left never did');
    assert.equal(samples.get('llm_sidecar_rejected_requests_total{model="llama3.2:latest",reason="aborted"}'), 1);
    // Every answer has a first token: measured for the two streams, estimated from Ollama's timings for the four plain ones.
    assert.equal(samples.get('llm_sidecar_time_to_first_token_seconds_count{model="llama3.2:latest"}'), 6);
    assert.equal(samples.get('llm_sidecar_tokens_total{model="llama3.2:latest",kind="completion"}'), 6 * 12);
    assert.equal(samples.get('llm_sidecar_rejected_requests_total{model="gemma3:latest",reason="queue_full"}'), 1);
    assert.equal(samples.get('llm_sidecar_active_requests{model="llama3.2:latest"}'), 0);
    assert.equal(samples.get('llm_sidecar_queued_requests{model="llama3.2:latest"}'), 0);
    // The configured limits, beside the counts, for utilisation: gemma3's own, llama3.2 the defaults.
    assert.equal(samples.get('llm_sidecar_model_max_concurrent{model="gemma3:latest"}'), 1);
    assert.equal(samples.get('llm_sidecar_model_max_queue{model="gemma3:latest"}'), 0);
    assert.equal(samples.get('llm_sidecar_model_max_concurrent{model="llama3.2:latest"}'), 2);
    assert.equal(samples.get('llm_sidecar_model_max_queue{model="llama3.2:latest"}'), 100);
    assert.equal([...samples.keys()].filter((key) => key.includes('no-such-model')).length, 0);
  });

  test('an Ollama failure that reaches the client counts in upstream_errors_total', async () => {
    const before = samplesOf(await (await fetch(`${stack.url}/metrics`)).text());
    const count = (samples: Map<string, number>): number => [...samples].filter(([key]) => key.startsWith('llm_sidecar_upstream_errors_total{upstream="local"')).reduce((sum, [, value]) => sum + value, 0);
    stack.sim!.injectFault({ kind: 'status500', route: '/api/chat' });
    const response = await fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] }) });
    await response.arrayBuffer();
    assert.equal(response.status, 502);
    assert.equal(count(samplesOf(await (await fetch(`${stack.url}/metrics`)).text())) - count(before), 1);
  });
});
