import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { findRedisUnavailableReason, startRedisServer, type RunningRedis } from '../scheduler/redis-server.ts';
import { chatModelKey, postChat } from '../traffic/traffic-client.ts';
import { spawnGateway, type GatewayProcess } from '../traffic/spawn-gateway.ts';

const unavailableReason = findRedisUnavailableReason();

describe('two gateway processes, two nodes, one Redis', { skip: unavailableReason ?? false }, () => {
  let redis: RunningRedis;
  let sims: Simulator[] = [];
  let replicas: GatewayProcess[] = [];

  before(async () => {
    redis = await startRedisServer();
    sims = [await startSimulator(), await startSimulator()];
    // maxConcurrent 1 per node, shared by both replicas: each node runs at most one request at once
    const config = { logLevel: 'info', resources: { enabled: false }, redisLeaseMs: 1_000, models: { [chatModelKey]: { maxConcurrent: 1, queueTimeoutMs: 20_000 } } };
    const ollamaUrl = sims.map((sim) => sim.url).join(',');
    replicas = await Promise.all([0, 1].map(() => spawnGateway({ ollamaUrl, config, env: { REDIS_URL: redis.url } })));
  });
  after(async () => {
    await Promise.all(replicas.map((replica) => replica.kill()));
    for (const sim of sims) await sim.close();
    await redis.stop();
  });

  it('shares per-(node, model) slots: each node sees at most one request at once, and both nodes serve', async () => {
    for (const sim of sims) sim.setOptions({ tokensPerSecond: 200 });
    const responses = await Promise.all(Array.from({ length: 16 }, (_, index) => postChat(replicas[index % 2]!.url, { content: `request ${index}` })));
    assert.deepEqual(responses.map((response) => response.status), Array(16).fill(200));
    await Promise.all(responses.map((response) => response.text()));
    assert.deepEqual(sims.map((sim) => sim.stats.maxConcurrency[chatModelKey]), [1, 1]);
    assert.equal(sims.reduce((total, sim) => total + (sim.stats.requests['/api/chat'] ?? 0), 0), 16);
  });

  it('with Redis killed, both replicas keep serving under local limits and say so; when it is back they share again', async () => {
    const degraded = replicas.map((replica) => replica.whenLogged("Redis is unavailable: serving under this replica's share of the shared limits until it answers"));
    const port = Number(new URL(redis.url).port);
    await redis.stop();
    const whileDown = await Promise.all(Array.from({ length: 8 }, (_, index) => postChat(replicas[index % 2]!.url, { content: `down ${index}` })));
    assert.deepEqual(whileDown.map((response) => response.status), Array(8).fill(200));
    await Promise.all(degraded);
    const status = (await (await fetch(`${replicas[0]!.url}/v1/status`)).json()) as { redis: { degraded: boolean } };
    assert.equal(status.redis.degraded, true);
    assert.equal((await fetch(`${replicas[0]!.url}/readyz`)).status, 200);
    assert.match(await (await fetch(`${replicas[0]!.url}/metrics`)).text(), /llm_sidecar_redis_degraded 1/);

    const recovered = replicas.map((replica) => replica.whenLogged('Redis answers again: limits are shared again'));
    redis = await startRedisServer(port);
    await Promise.all(recovered);
    for (const sim of sims) sim.stats.reset();
    const afterwards = await Promise.all(Array.from({ length: 8 }, (_, index) => postChat(replicas[index % 2]!.url, { content: `back ${index}` })));
    assert.deepEqual(afterwards.map((response) => response.status), Array(8).fill(200));
    await Promise.all([...whileDown, ...afterwards].map((response) => response.text()));
    assert.deepEqual(sims.map((sim) => sim.stats.maxConcurrency[chatModelKey]), [1, 1]);
  });
});
