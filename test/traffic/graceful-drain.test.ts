import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { chatModelKey, followBody, postChat } from './traffic-client.ts';
import { spawnGateway, type GatewayProcess } from './spawn-gateway.ts';

/** A gateway process with one slot for the chat model, so a second stream queues. */
function drainConfig(drainTimeoutMs: number): Record<string, unknown> {
  return { logLevel: 'info', resources: { enabled: false }, drainTimeoutMs, models: { [chatModelKey]: { maxConcurrent: 1 } } };
}

describe('graceful drain on SIGTERM (real gateway process)', () => {
  let sim: Simulator;
  let gateway: GatewayProcess | undefined;

  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());
  afterEach(async () => {
    sim.gate.release();
    sim.setOptions({ tokensPerSecond: 0 });
    await gateway?.kill();
    gateway = undefined;
  });

  async function readyStatus(url: string): Promise<number> {
    return (await fetch(`${url}/readyz`)).status;
  }

  test('readiness turns 503, new requests get 503 draining, in-flight streams finish, exit 0', async () => {
    gateway = await spawnGateway({ ollamaUrl: sim.url, config: drainConfig(10_000) });
    const { url } = gateway;
    assert.equal(await readyStatus(url), 200);
    sim.gate.hold();
    const running = postChat(url, { stream: true, content: 'running' });
    await sim.gate.whenWaiting(1);
    const queued = postChat(url, { stream: true, content: 'queued' });
    await waitForQueued(url, 1);

    gateway.child.kill('SIGTERM');
    await gateway.whenLogged('draining');
    assert.equal(await readyStatus(url), 503);
    const refused = await postChat(url);
    assert.equal(refused.status, 503);
    assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'draining');

    sim.gate.release();
    for (const pending of [running, queued]) {
      const response = await pending;
      assert.equal(response.status, 200);
      const transcript = await followBody(response).rest();
      assert.equal(transcript.done, true, 'the accepted stream finished');
      assert.equal(transcript.error, undefined);
    }
    assert.equal(await gateway.exited, 0);
    assert.equal(sim.stats.requests['/api/chat'], 2, 'the refused request never reached Ollama');
  });

  test('past the grace period a running stream ends with an SSE error event and a queued one with 503; exit 0', async () => {
    gateway = await spawnGateway({ ollamaUrl: sim.url, config: drainConfig(300) });
    const { url } = gateway;
    // Two tokens a second: the running stream is still producing when the grace period ends.
    sim.setOptions({ tokensPerSecond: 2 });
    const runningResponse = await postChat(url, { stream: true, content: 'long answer' });
    assert.equal(runningResponse.status, 200);
    const running = followBody(runningResponse);
    await running.waitFor(/data: /);
    const queued = postChat(url, { stream: true, content: 'queued' });
    await waitForQueued(url, 1);

    gateway.child.kill('SIGTERM');
    const transcript = await running.rest();
    assert.equal(transcript.error?.code, 'draining');
    assert.equal(transcript.done, false);
    const queuedResponse = await queued;
    assert.equal(queuedResponse.status, 503);
    assert.equal(((await queuedResponse.json()) as { error: { code: string } }).error.code, 'draining');
    assert.equal(await gateway.exited, 0);
    assert.ok(gateway.logs.some((line) => line['msg'] === 'grace period over: ending the work still in flight'));
  });
});

/** The process's own count of queued requests, from `/v1/status`. */
async function waitForQueued(url: string, count: number): Promise<void> {
  for (;;) {
    const status = (await (await fetch(`${url}/v1/status`)).json()) as { queued: number };
    if (status.queued === count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
