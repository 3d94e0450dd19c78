import assert from 'node:assert/strict';
import { test } from 'node:test';
import { upstreamUnavailable } from '../../src/errors/gateway-error.ts';
import { until } from '../traffic/traffic-client.ts';
import { startPoolStack, type PoolStack } from './pool-stack.ts';

async function ask(stack: PoolStack, model: string): Promise<{ status: number; model: string | undefined; servedBy: string | null }> {
  const response = await fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
  const body = (await response.json()) as { model?: string };
  return { status: response.status, model: body.model, servedBy: response.headers.get('x-llm-sidecar-served-by') };
}

const nodes = [
  { name: 'big-node', sim: { models: [{ name: 'big' }] } },
  { name: 'small-node', sim: { models: [{ name: 'small' }] } },
];

test('a full queue spills to the first fallback that can start now; the answer and a header say which', async () => {
  const stack = await startPoolStack(nodes, { models: { big: { maxConcurrent: 1, maxQueue: 0, fallbacks: ['small'] } } });
  try {
    stack.sims.get('big-node')!.gate.hold();
    const running = ask(stack, 'big');
    await stack.sims.get('big-node')!.gate.whenWaiting(1);
    assert.deepEqual(await ask(stack, 'big'), { status: 200, model: 'small:latest', servedBy: 'small:latest' });
    assert.match(await (await fetch(`${stack.url}/metrics`)).text(), /llm_sidecar_model_spills_total\{model="big:latest",fallback="small:latest"\} 1/);
    stack.sims.get('big-node')!.gate.release();
    assert.deepEqual(await running, { status: 200, model: 'big', servedBy: null });
  } finally {
    await stack.close();
  }
});

test('a wait longer than spillAfterMs spills; a short one queues', async () => {
  const stack = await startPoolStack(nodes, { models: { big: { maxConcurrent: 1, fallbacks: ['small'], spillAfterMs: 1_000 } } });
  try {
    stack.sims.get('big-node')!.gate.hold();
    const running = ask(stack, 'big');
    await stack.sims.get('big-node')!.gate.whenWaiting(1);
    // before any request finished the expected service time is the 5 s prior: more than 1 s
    assert.equal((await ask(stack, 'big')).servedBy, 'small:latest');
    stack.sims.get('big-node')!.gate.release();
    await running;
  } finally {
    await stack.close();
  }
});

test('no healthy node for the model spills at once', async () => {
  const stack = await startPoolStack(nodes, { models: { big: { fallbacks: ['small'] } } });
  try {
    stack.gateway.services.pool.reportFailure('big-node', upstreamUnavailable('refused'));
    assert.deepEqual(await ask(stack, 'big'), { status: 200, model: 'small:latest', servedBy: 'small:latest' });
    assert.equal(stack.sims.get('big-node')!.stats.requests['/api/chat'], undefined);
  } finally {
    await stack.close();
  }
});

test('a fallback that cannot start now is not used: the request queues for its own model', async () => {
  const stack = await startPoolStack(nodes, { models: { big: { maxConcurrent: 1, maxQueue: 1, fallbacks: ['small'] }, small: { maxConcurrent: 1 } } });
  try {
    for (const sim of stack.sims.values()) sim.gate.hold();
    const first = [ask(stack, 'big'), ask(stack, 'small')];
    await stack.sims.get('big-node')!.gate.whenWaiting(1);
    await stack.sims.get('small-node')!.gate.whenWaiting(1);
    const queued = ask(stack, 'big');
    await until(() => stack.gateway.services.scheduler.snapshot().models['big:latest']?.queued === 1, 'queued for big');
    for (const sim of stack.sims.values()) sim.gate.release();
    assert.equal((await queued).servedBy, null);
    await Promise.all(first);
  } finally {
    await stack.close();
  }
});
