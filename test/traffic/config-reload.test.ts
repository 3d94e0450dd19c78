import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { chatModelKey, postChat } from './traffic-client.ts';
import { spawnGateway, type GatewayProcess } from './spawn-gateway.ts';

interface ModelStatus {
  name: string;
  active: number;
  queued: number;
  limits: { max_concurrent: number };
}

function reloadConfig(maxConcurrent: number): Record<string, unknown> {
  return { logLevel: 'info', resources: { enabled: false }, models: { [chatModelKey]: { maxConcurrent, maxQueue: 5 } } };
}

describe('SIGHUP reload (real gateway process)', () => {
  let sim: Simulator;
  let gateway: GatewayProcess;

  before(async () => {
    sim = await startSimulator();
    gateway = await spawnGateway({ ollamaUrl: sim.url, config: reloadConfig(1) });
  });
  after(async () => {
    sim.gate.release();
    await gateway.kill();
    await sim.close();
  });

  async function chatModelStatus(): Promise<ModelStatus> {
    const status = (await (await fetch(`${gateway.url}/v1/status`)).json()) as { models: ModelStatus[] };
    return status.models.find((model) => model.name === chatModelKey)!;
  }

  async function waitForModel(check: (model: ModelStatus) => boolean): Promise<ModelStatus> {
    for (;;) {
      const model = await chatModelStatus();
      if (check(model)) return model;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  test('new limits apply to new work; queued and running requests are kept and finish', async () => {
    sim.gate.hold();
    const running = postChat(gateway.url, { content: 'running' });
    await sim.gate.whenWaiting(1);
    const queued = [postChat(gateway.url, { content: 'queued 1' }), postChat(gateway.url, { content: 'queued 2' })];
    await waitForModel((model) => model.queued === 2);

    gateway.writeConfig(reloadConfig(3));
    const reloaded = gateway.whenLogged('configuration reloaded');
    gateway.child.kill('SIGHUP');
    await reloaded;

    // The raised limit starts both queued requests at once; new work then queues behind them.
    await sim.gate.whenWaiting(3);
    const late = postChat(gateway.url, { content: 'after reload' });
    const model = await waitForModel((candidate) => candidate.queued === 1);
    assert.equal(model.limits.max_concurrent, 3);
    assert.equal(model.active, 3);

    sim.gate.release();
    for (const pending of [running, ...queued, late]) assert.equal((await pending).status, 200);
    assert.equal(sim.stats.maxConcurrency[chatModelKey], 3);
    assert.equal(sim.stats.requests['/api/chat'], 4);
  });

  test('an invalid config on SIGHUP is refused and the running one is kept', async () => {
    gateway.writeConfig({ models: { [chatModelKey]: { maxConcurrent: -1 } } });
    const refused = gateway.whenLogged('configuration reload refused; keeping the current one');
    gateway.child.kill('SIGHUP');
    await refused;
    assert.equal((await postChat(gateway.url)).status, 200);
    assert.equal((await chatModelStatus()).limits.max_concurrent, 3);
    assert.equal(gateway.child.exitCode, null);
  });
});
