import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { findRedisUnavailableReason, startRedisServer, type RunningRedis } from '../scheduler/redis-server.ts';
import { spawnGateway, type GatewayProcess } from '../traffic/spawn-gateway.ts';

const unavailableReason = findRedisUnavailableReason();
if (unavailableReason !== null && process.env['CI'] === 'true') {
  it('has redis-server under CI', () => assert.fail(unavailableReason));
}

describe('per-key limits, budgets and usage shared by two replicas through Redis', { skip: unavailableReason ?? false }, () => {
  let redis: RunningRedis;
  let sim: Simulator;
  let folder: string;
  let replicas: GatewayProcess[] = [];
  const config = {
    logLevel: 'info',
    resources: { enabled: false },
    apiKeys: [
      { name: 'limited', key: 'sk-limited', rpm: 3 },
      { name: 'one-at-a-time', key: 'sk-single', maxConcurrent: 1 },
      { name: 'budget', key: 'sk-budget', dailyTokens: 10 },
      { name: 'ops', key: 'sk-ops' },
    ],
  };
  const start = (): Promise<GatewayProcess[]> => Promise.all([0, 1].map(() => spawnGateway({ ollamaUrl: sim.url, config, env: { REDIS_URL: redis.url, LLM_SIDECAR_DATA_DIR: folder } })));

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'llm-sidecar-redis-keys-'));
    redis = await startRedisServer();
    sim = await startSimulator();
    replicas = await start();
  });
  after(async () => {
    sim.gate.release();
    await Promise.all(replicas.map((replica) => replica.kill()));
    await sim.close();
    await redis.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const chat = async (replica: GatewayProcess, key: string): Promise<Response> => {
    const response = await fetch(`${replica.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hello there' }] }),
    });
    await response.clone().arrayBuffer();
    return response;
  };

  it("a key's rpm counts requests on both replicas", async () => {
    const [a, b] = replicas as [GatewayProcess, GatewayProcess];
    const statuses = [(await chat(a, 'sk-limited')).status, (await chat(b, 'sk-limited')).status, (await chat(a, 'sk-limited')).status];
    assert.deepEqual(statuses, [200, 200, 200]);
    const refused = await chat(b, 'sk-limited');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('x-ratelimit-remaining-requests'), '0');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  });

  it("a key's maxConcurrent holds across replicas", async () => {
    const [a, b] = replicas as [GatewayProcess, GatewayProcess];
    sim.gate.hold();
    const running = chat(a, 'sk-single');
    await sim.gate.whenWaiting(1);
    assert.equal((await chat(b, 'sk-single')).status, 429);
    sim.gate.release();
    assert.equal((await running).status, 200);
    assert.equal((await chat(b, 'sk-single')).status, 200);
  });

  it('usage and budgets are kept in Redis: seen from either replica and after both restart', async () => {
    const [a] = replicas as [GatewayProcess, GatewayProcess];
    assert.equal((await chat(a, 'sk-budget')).status, 200);
    await Promise.all(replicas.map(async (replica) => {
      const stopped = replica.exited;
      replica.child.kill('SIGTERM');
      await stopped;
    }));
    replicas = await start();
    const [, b] = replicas as [GatewayProcess, GatewayProcess];
    const refused = await chat(b, 'sk-budget');
    assert.equal(refused.status, 429);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'insufficient_quota');
    const usage = (await (await fetch(`${b.url}/v1/usage?group_by=key`, { headers: { authorization: 'Bearer sk-ops' } })).json()) as { data: Array<{ key: string; requests: number }> };
    assert.deepEqual(usage.data.map((row) => [row.key, row.requests]), [['budget', 1], ['limited', 3], ['one-at-a-time', 2]]);
  });
});
