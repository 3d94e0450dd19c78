import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { LocalFallbackLimiter } from '../../src/scheduler/local-fallback-limiter.ts';
import { connectRedis } from '../../src/scheduler/redis-client.ts';
import { RedisDistributedLimiter } from '../../src/scheduler/redis-distributed-limiter.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { findRedisUnavailableReason, startRedisServer, type RunningRedis } from '../scheduler/redis-server.ts';
import { makeConfig } from '../scheduler/scheduler-harness.ts';

const unavailableReason = findRedisUnavailableReason();

interface Replica {
  scheduler: Scheduler;
  fallback: LocalFallbackLimiter;
  limiter: RedisDistributedLimiter;
  connections: Redis[];
  /** Resolves the next time the replica enters (true) or leaves (false) degraded mode. */
  nextChange(): Promise<boolean>;
}

describe('redisFailure: local', { skip: unavailableReason ?? false }, () => {
  let server: RunningRedis | undefined;
  const replicas: Replica[] = [];
  after(async () => {
    for (const replica of replicas) {
      replica.fallback.close();
      replica.limiter.close();
      for (const connection of replica.connections) connection.disconnect();
    }
    await server?.stop();
  });

  async function startReplica(url: string): Promise<Replica> {
    const connections = [await connectRedis(url), await connectRedis(url)];
    const [redis, subscriber] = connections as [Redis, Redis];
    const limiter = new RedisDistributedLimiter({ redis, subscriber, keyPrefix: 'failover:', leaseMs: 2_000 });
    await limiter.listen();
    let listeners: Array<(degraded: boolean) => void> = [];
    const fallback = new LocalFallbackLimiter({ shared: limiter, probeMs: 100, settleMs: 2_500, onDegradedChange: (degraded) => {
      for (const listener of listeners.splice(0)) listener(degraded);
    } });
    const config = makeConfig({ models: { m: { maxConcurrent: 2 } } });
    const replica: Replica = {
      scheduler: new Scheduler({ getConfig: () => config, distributed: fallback }),
      fallback,
      limiter,
      connections,
      nextChange: () => new Promise((resolve) => listeners.push(resolve)),
    };
    replicas.push(replica);
    listeners = [];
    return replica;
  }

  it('keeps serving under each replica’s share while Redis is killed, and goes back to shared leases without exceeding the limit', async () => {
    server = await startRedisServer();
    const port = Number(new URL(server.url).port);
    const pair = [await startReplica(server.url), await startReplica(server.url)];
    // both replicas have beaten: each knows there are two
    for (const replica of pair) await replica.limiter.ping();
    assert.deepEqual(pair.map((replica) => replica.limiter.replicasSeen()), [2, 2]);

    // Phases: shared (before the kill), local (both degraded), back (from the restart on).
    let phase: 'shared' | 'local' | 'back' = 'shared';
    const active = new Map<Replica, number>(pair.map((replica) => [replica, 0]));
    const maxTotal = { shared: 0, local: 0, back: 0 };
    const maxPerReplicaLocal = new Map<Replica, number>(pair.map((replica) => [replica, 0]));
    let served = 0;
    const failures: unknown[] = [];
    let running = true;
    const worker = async (replica: Replica): Promise<void> => {
      while (running) {
        try {
          const lease = await replica.scheduler.acquire('m');
          const startedIn = phase;
          active.set(replica, active.get(replica)! + 1);
          const total = [...active.values()].reduce((sum, count) => sum + count, 0);
          maxTotal[phase] = Math.max(maxTotal[phase], total);
          if (startedIn === 'local') maxPerReplicaLocal.set(replica, Math.max(maxPerReplicaLocal.get(replica)!, active.get(replica)!));
          for (let tick = 0; tick < 5; tick += 1) await new Promise(setImmediate);
          active.set(replica, active.get(replica)! - 1);
          served += 1;
          lease.release();
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, index) => worker(pair[index % 2]!));

    const degraded = pair.map((replica) => replica.nextChange());
    await server.stop();
    assert.deepEqual(await Promise.all(degraded), [true, true]);
    assert.ok(pair.every((replica) => replica.fallback.degraded));
    phase = 'local';
    const servedWhileDown = served;
    // wait for work to be served under local limits before bringing Redis back
    while (served < servedWhileDown + 20) await new Promise(setImmediate);

    const recovered = pair.map((replica) => replica.nextChange());
    phase = 'back';
    server = await startRedisServer(port);
    assert.deepEqual(await Promise.all(recovered), [false, false]);
    const servedAfter = served;
    while (served < servedAfter + 20) await new Promise(setImmediate);
    running = false;
    await Promise.all(workers);

    assert.deepEqual(failures, []);
    assert.ok(maxTotal.shared <= 2 && maxTotal.back <= 2, `at most 2 at once across replicas: ${JSON.stringify(maxTotal)}`);
    // while Redis is away each replica keeps to its share: 2 ÷ 2 replicas
    assert.deepEqual([...maxPerReplicaLocal.values()], [1, 1]);
  });
});
