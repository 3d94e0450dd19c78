import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../src/scheduler/redis-client.ts';
import { RedisDistributedLimiter } from '../../src/scheduler/redis-distributed-limiter.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { findRedisUnavailableReason, startRedisServer, type RunningRedis } from './redis-server.ts';
import { makeConfig } from './scheduler-harness.ts';

const unavailableReason = findRedisUnavailableReason();
if (unavailableReason !== null && process.env.CI === 'true') {
  it('has redis-server under CI', () => assert.fail(unavailableReason));
}

/** One gateway replica: its own connections, shared limiter and scheduler. */
interface Replica {
  scheduler: Scheduler;
  limiter: RedisDistributedLimiter;
  connections: Redis[];
}

describe('shared limits through Redis', { skip: unavailableReason ?? false }, () => {
  let server: RunningRedis;
  const replicas: Replica[] = [];
  let prefixCounter = 0;

  before(async () => {
    server = await startRedisServer();
  });
  after(async () => {
    for (const replica of replicas) {
      replica.limiter.close();
      for (const connection of replica.connections) connection.disconnect();
    }
    await server.stop();
  });

  async function startReplica(keyPrefix: string, leaseMs = 10_000, maxConcurrent = 2): Promise<Replica> {
    const connections = [await connectRedis(server.url), await connectRedis(server.url)];
    const [redis, subscriber] = connections as [Redis, Redis];
    const limiter = new RedisDistributedLimiter({ redis, subscriber, keyPrefix, leaseMs });
    await limiter.listen();
    const config = makeConfig({ models: { m: { maxConcurrent } } });
    const replica = { scheduler: new Scheduler({ getConfig: () => config, distributed: limiter }), limiter, connections };
    replicas.push(replica);
    return replica;
  }

  function nextPrefix(): string {
    prefixCounter += 1;
    return `test${prefixCounter}:`;
  }

  it('two replicas sharing maxConcurrent 2 never run more than 2, and all 20 requests complete', async () => {
    const prefix = nextPrefix();
    const pair = [await startReplica(prefix), await startReplica(prefix)];
    let active = 0;
    let maxActive = 0;
    const run = async (index: number): Promise<void> => {
      const lease = await (pair[index % 2] as Replica).scheduler.acquire('m');
      active += 1;
      maxActive = Math.max(maxActive, active);
      for (let tick = 0; tick < 3; tick += 1) await new Promise(setImmediate);
      active -= 1;
      lease.release();
    };
    await Promise.all(Array.from({ length: 20 }, (_, index) => run(index)));
    assert.equal(maxActive, 2);
    for (const replica of pair) assert.equal(replica.scheduler.snapshot().models.m?.served, 10);
  });

  it('gives a dead replica’s slots back within the lease time', async () => {
    const prefix = nextPrefix();
    const leaseMs = 400;
    const doomed = await startReplica(prefix, leaseMs);
    const survivor = await startReplica(prefix, leaseMs);
    await doomed.scheduler.acquire('m');
    await doomed.scheduler.acquire('m');
    doomed.limiter.close(); // stops refreshing its leases, as a crashed process would
    for (const connection of doomed.connections) connection.disconnect();
    const startedAt = performance.now();
    const lease = await survivor.scheduler.acquire('m');
    const waitedMs = performance.now() - startedAt;
    assert.ok(waitedMs < leaseMs * 2, `waited ${waitedMs} ms`);
    lease.release();
  });

  it('shares the token bucket: the third request of a reservoir of 2 waits, then times out', async () => {
    const prefix = nextPrefix();
    const pair = [await startReplica(prefix), await startReplica(prefix)];
    const reservoir = { amount: 2, refreshIntervalMs: 60_000 };
    const request = { maxConcurrent: 10, reservoir, timeoutMs: 100, signal: new AbortController().signal };
    const [first, second] = pair as [Replica, Replica];
    (await first.limiter.acquire('m', request)).release();
    (await second.limiter.acquire('m', request)).release();
    await assert.rejects(first.limiter.acquire('m', request), { status: 503, code: 'queue_timeout' });
  });

  it('stops waiting for a shared slot when the client aborts', async () => {
    const replica = await startReplica(nextPrefix(), 10_000, 1);
    const holder = await replica.scheduler.acquire('m');
    const controller = new AbortController();
    const request = { maxConcurrent: 1, reservoir: null, timeoutMs: 60_000, signal: controller.signal };
    const waiting = replica.limiter.acquire('m', request);
    controller.abort(new Error('client left'));
    await assert.rejects(waiting, { message: 'client left' });
    holder.release();
  });

  it('answers 503 redis_unavailable, never hangs, when Redis dies mid-run', async () => {
    const prefix = nextPrefix();
    const [first, second] = [await startReplica(prefix, 10_000, 1), await startReplica(prefix, 10_000, 1)];
    const holder = await first.scheduler.acquire('m');
    // its local slot is free, the shared one is not: it waits on Redis
    const waiting = assert.rejects(second.scheduler.acquire('m'), { status: 503, code: 'redis_unavailable' });
    await server.stop();
    await waiting;
    await assert.rejects(second.scheduler.acquire('m'), { status: 503, code: 'redis_unavailable' });
    const model = second.scheduler.snapshot().models.m;
    assert.deepEqual([model?.active, model?.rejected.redis_unavailable], [0, 2]);
    holder.release();
  });
});
