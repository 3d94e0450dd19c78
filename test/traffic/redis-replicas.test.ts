import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { findRedisUnavailableReason, startRedisServer, type RunningRedis } from '../scheduler/redis-server.ts';
import { chatModelKey, postChat, until } from './traffic-client.ts';
import { spawnGateway, type GatewayProcess } from './spawn-gateway.ts';

const unavailableReason = findRedisUnavailableReason();
if (unavailableReason !== null && process.env['CI'] === 'true') {
  it('has redis-server under CI', () => assert.fail(unavailableReason));
}

const leaseMs = 1_000;

describe('two gateway processes sharing one model limit through Redis', { skip: unavailableReason ?? false }, () => {
  let redis: RunningRedis;
  let sim: Simulator;
  let replicas: GatewayProcess[] = [];

  before(async () => {
    redis = await startRedisServer();
    sim = await startSimulator();
    // `refuse`: the last test is about what a client sees when Redis is away and replicas do not fall back
    const config = { logLevel: 'info', resources: { enabled: false }, redisLeaseMs: leaseMs, redisFailure: 'refuse', models: { [chatModelKey]: { maxConcurrent: 2, queueTimeoutMs: 10_000 } } };
    replicas = await Promise.all([0, 1].map(() => spawnGateway({ ollamaUrl: sim.url, config, env: { REDIS_URL: redis.url } })));
  });
  after(async () => {
    sim.gate.release();
    await Promise.all(replicas.map((replica) => replica.kill()));
    await sim.close();
    await redis.stop();
  });

  function servedBy(replica: GatewayProcess): number {
    return replica.logs.filter((line) => line['msg'] === 'request' && line['route'] === '/v1/chat/completions' && line['status'] === 200).length;
  }

  it('20 concurrent requests split across both: Ollama never sees more than 2 at once, all 20 succeed', async () => {
    // 12 tokens at 100 a second: each request holds its slot about 120 ms, so they contend.
    sim.setOptions({ tokensPerSecond: 100 });
    const responses = await Promise.all(Array.from({ length: 20 }, (_, index) => postChat(replicas[index % 2]!.url, { content: `request ${index}` })));
    sim.setOptions({ tokensPerSecond: 0 });
    assert.deepEqual(responses.map((response) => response.status), Array(20).fill(200));
    await Promise.all(responses.map((response) => response.text()));
    assert.equal(sim.stats.maxConcurrency[chatModelKey], 2);
    // Each process logs its request line as the response closes: wait for both to have written them.
    await until(() => replicas.every((replica) => servedBy(replica) === 10), 'ten requests served by each replica');
  });

  it('a replica killed while holding both slots gives them back within the lease time', async () => {
    const [doomed, survivor] = replicas as [GatewayProcess, GatewayProcess];
    sim.gate.hold();
    const held = [postChat(doomed.url).catch(() => undefined), postChat(doomed.url).catch(() => undefined)];
    await sim.gate.whenWaiting(2);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    await Promise.all(held);
    sim.gate.release();
    const startedAt = Date.now();
    const responses = await Promise.all([postChat(survivor.url), postChat(survivor.url)]);
    const waitedMs = Date.now() - startedAt;
    assert.deepEqual(responses.map((response) => response.status), [200, 200], 'both slots came back');
    assert.ok(waitedMs < leaseMs + 1_500, `the slots came back within the lease (${waitedMs} ms)`);
  });

  it('Redis going away gives 503 redis_unavailable quickly, never a hang', async () => {
    const survivor = replicas[1]!;
    await redis.stop();
    const response = await postChat(survivor.url);
    assert.equal(response.status, 503);
    assert.match(response.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'redis_unavailable');
  });
});
