import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { createApp, type GatewayApp } from '../../src/app.ts';
import { buildConfig } from '../../src/config/load-config.ts';
import { statusResponseSchema } from '../../src/openai/sidecar-status-response.ts';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { startHeldListsProxy, type HeldListsProxy } from './held-lists-proxy.ts';

describe('GET /v1/status while Ollama is slow to list its models', () => {
  let sim: Simulator;
  let proxy: HeldListsProxy;
  let gateway: GatewayApp;
  let server: Server;
  let url: string;
  before(async () => {
    sim = await startSimulator();
    proxy = await startHeldListsProxy(sim.url);
    // Caches of 1 ms: every status after the first wants a refresh.
    const config = buildConfig({ logLevel: 'silent', resources: { enabled: false }, modelListTtlMs: 1, runningModelsTtlMs: 1, upstreams: [{ name: 'local', url: proxy.url }] });
    gateway = createApp({ config, logger: pino({ level: 'silent' }), healthIntervalMs: 60_000 });
    await gateway.health.start();
    server = createServer(gateway.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    proxy.release();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gateway.close();
    await proxy.close();
    await sim.close();
  });

  const readStatus = async () => statusResponseSchema.parse(await (await fetch(`${url}/v1/status`)).json());

  test('answers from the last known lists while the refresh is held, and catches up after', async () => {
    const primed = await readStatus();
    assert.equal(primed.models.find((model) => model.name === 'llama3.2:latest')?.available, true);

    proxy.hold();
    // Once the 1 ms caches have expired, a status starts both refreshes and they park at the proxy.
    while (proxy.held < 2) await readStatus();
    const duringHold = await readStatus();
    assert.equal(proxy.held, 2, 'both list refreshes are still held upstream while the status answered');
    assert.deepEqual(duringHold.errors, []);
    assert.equal(duringHold.models.find((model) => model.name === 'llama3.2:latest')?.available, true, 'from the last known list');

    sim.addModel({ name: 'added-meanwhile:latest' });
    proxy.release();
    let caughtUp = await readStatus();
    while (!caughtUp.models.some((model) => model.name === 'added-meanwhile:latest')) caughtUp = await readStatus();
    assert.equal(caughtUp.models.find((model) => model.name === 'added-meanwhile:latest')?.available, true);
  });

  test('a status before any list was read waits for it: nothing known yet', async () => {
    const fresh = createApp({ config: buildConfig({ logLevel: 'silent', resources: { enabled: false }, upstreams: [{ name: 'local', url: proxy.url }] }), logger: pino({ level: 'silent' }), healthIntervalMs: 60_000 });
    const freshServer = createServer(fresh.app);
    await new Promise<void>((resolve) => freshServer.listen(0, '127.0.0.1', resolve));
    try {
      proxy.hold();
      const answer = fetch(`http://127.0.0.1:${(freshServer.address() as AddressInfo).port}/v1/status`).then((response) => response.json());
      await proxy.whenHeld(2);
      proxy.release();
      const status = statusResponseSchema.parse(await answer);
      assert.equal(status.models.find((model) => model.name === 'llama3.2:latest')?.available, true);
    } finally {
      freshServer.closeAllConnections();
      await new Promise<void>((resolve) => freshServer.close(() => resolve()));
      await fresh.close();
    }
  });
});
