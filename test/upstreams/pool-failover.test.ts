import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI from 'openai';
import { until } from '../traffic/traffic-client.ts';
import { chat, startPoolStack } from './pool-stack.ts';

async function metricsText(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

test('a node that refuses connections: the request fails over to another node and the node is marked down', async () => {
  const stack = await startPoolStack([{ name: 'a' }, { name: 'b' }]);
  try {
    // both equally idle: a, first in the config, is chosen first
    await stack.sims.get('a')!.close();
    for (let index = 0; index < 3; index += 1) await chat(stack, 'llama3.2', `q${index}`);
    assert.equal(stack.sims.get('b')!.stats.requests['/api/chat'], 3);
    assert.equal(stack.gateway.services.pool.node('a')?.health.snapshot.healthy, false);
    // the first request met the refusal; the node was down for the others
    assert.match(await metricsText(stack.url), /llm_sidecar_upstream_failovers_total\{upstream="a"\} 1/);
  } finally {
    await stack.close();
  }
});

test('a refusal of one request fails over too, though the node still answers its health checks', async () => {
  const stack = await startPoolStack([{ name: 'a' }, { name: 'b' }]);
  try {
    stack.sims.get('a')!.injectFault({ kind: 'refuse' });
    const answer = await chat(stack, 'llama3.2', 'once');
    assert.ok(answer.choices[0]?.message.content);
    assert.deepEqual([stack.sims.get('a')!.stats.requests['/api/chat'], stack.sims.get('b')!.stats.requests['/api/chat']], [1, 1]);
  } finally {
    await stack.close();
  }
});

test('a node answering 503 "server busy" is skipped for the cool-down; the request is served elsewhere', async () => {
  const stack = await startPoolStack([{ name: 'a' }, { name: 'b' }], { busyCooldownMs: 60_000 });
  try {
    // warm on a, so a is the first choice
    await fetch(`${stack.sims.get('a')!.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'llama3.2', prompt: '' }) });
    await stack.gateway.health.check();
    stack.sims.get('a')!.injectFault({ kind: 'status503busy' });
    await chat(stack, 'llama3.2', 'one');
    await chat(stack, 'llama3.2', 'two');
    assert.equal(stack.sims.get('a')!.stats.requests['/api/chat'], 1);
    assert.equal(stack.sims.get('b')!.stats.requests['/api/chat'], 2);
    const status = (await (await fetch(`${stack.url}/v1/status`)).json()) as { upstreams: Array<{ name: string; reachable: boolean; busy_until: string | null }> };
    const nodeA = status.upstreams.find((node) => node.name === 'a');
    assert.equal(nodeA?.reachable, true);
    assert.ok(nodeA?.busy_until !== null);
  } finally {
    await stack.close();
  }
});

test('a node killed mid-run: its started streams end with an SSE error, queued requests go elsewhere, and it rejoins when back', async () => {
  const stack = await startPoolStack([{ name: 'a', sim: { tokensPerSecond: 50 } }, { name: 'b', sim: { tokensPerSecond: 50 } }], { models: { 'llama3.2': { maxConcurrent: 1 } } });
  try {
    const streams = await Promise.all([0, 1].map((index) => stack.openai.chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: `story ${index}` }], stream: true })));
    const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
    for (const iterator of iterators) await iterator.next();
    // both nodes busy: this one waits in the model's queue
    const queued = chat(stack, 'llama3.2', 'queued');
    await until(() => stack.gateway.services.scheduler.snapshot().models['llama3.2:latest']?.queued === 1, 'one queued');
    const onA = stack.gateway.services.scheduler.snapshot().models['llama3.2:latest']?.activeByNode;
    assert.deepEqual(onA, { a: 1, b: 1 });
    await stack.sims.get('a')!.close();
    const outcomes = await Promise.all(
      iterators.map(async (iterator) => {
        try {
          for (let next = await iterator.next(); !next.done; next = await iterator.next());
          return 'completed';
        } catch (error) {
          return error instanceof OpenAI.APIError ? 'sse-error' : `other: ${String(error)}`;
        }
      }),
    );
    assert.deepEqual(outcomes.toSorted(), ['completed', 'sse-error']);
    const answer = await queued;
    assert.ok((answer.choices[0]?.message.content ?? '').length > 0);
    assert.equal(stack.sims.get('b')!.stats.requests['/api/chat'], 2);
    assert.equal(stack.gateway.services.pool.node('a')?.health.snapshot.healthy, false);
    const back = await stack.restart('a');
    await stack.gateway.health.check();
    assert.equal(stack.gateway.services.pool.node('a')?.health.snapshot.healthy, true);
    stack.sims.get('b')!.gate.hold();
    const pending = chat(stack, 'llama3.2', 'after');
    await stack.sims.get('b')!.gate.whenWaiting(1);
    await chat(stack, 'llama3.2', 'rejoined');
    assert.equal(back.stats.requests['/api/chat'], 1);
    stack.sims.get('b')!.gate.release();
    await pending;
  } finally {
    await stack.close();
  }
});

test('status and metrics describe each node', async () => {
  const stack = await startPoolStack([{ name: 'a', sim: { models: [{ name: 'llama3.2' }] }, upstream: { maxConcurrent: 3 } }, { name: 'b', sim: { models: [{ name: 'llama3.2' }, { name: 'qwen3' }] } }]);
  try {
    stack.sims.get('a')!.gate.hold();
    stack.sims.get('b')!.gate.hold();
    // settled either way, so a failed assertion is reported as itself, not as the requests cut by close()
    const pending = [chat(stack, 'llama3.2', 'x'), chat(stack, 'qwen3', 'y')].map((request) => request.catch((error: unknown) => error));
    await until(() => stack.gateway.services.scheduler.snapshot().inFlight === 2, 'two running');
    const status = (await (await fetch(`${stack.url}/v1/status`)).json()) as {
      upstreams: Array<{ name: string; kind: string; url: string; reachable: boolean; in_flight: number; budget: number | null; models_available: string[] }>;
      models: Array<{ name: string; nodes: Array<{ name: string; active: number }> }>;
    };
    assert.deepEqual(status.upstreams.map((node) => [node.name, node.kind, node.reachable, node.budget, node.models_available.toSorted()]), [
      ['a', 'ollama', true, 3, ['llama3.2:latest']],
      ['b', 'ollama', true, null, ['llama3.2:latest', 'qwen3:latest']],
    ]);
    assert.equal(status.upstreams.reduce((total, node) => total + node.in_flight, 0), 2);
    assert.deepEqual(status.models.find((model) => model.name === 'qwen3:latest')?.nodes, [{ name: 'b', active: 1, loaded: true }]);
    const metrics = await metricsText(stack.url);
    assert.match(metrics, /llm_sidecar_upstream_in_flight\{upstream="b"\} 1/);
    assert.match(metrics, /llm_sidecar_upstream_up\{upstream="a"\} 1/);
    for (const sim of stack.sims.values()) sim.gate.release();
    await Promise.all(pending);
    assert.match(await metricsText(stack.url), /llm_sidecar_upstream_requests_total\{upstream="b",outcome="ok"\} 1/);
  } finally {
    await stack.close();
  }
});
