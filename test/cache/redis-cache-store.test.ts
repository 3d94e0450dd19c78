import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { RedisCacheStore } from '../../src/cache/redis-cache-store.ts';
import { connectRedis } from '../../src/scheduler/redis-client.ts';
import { findRedisUnavailableReason, startRedisServer, type RunningRedis } from '../scheduler/redis-server.ts';

const skip = findRedisUnavailableReason() ?? false;

describe('the Redis cache store', { skip }, () => {
  let redis: RunningRedis;
  let clients: Redis[];
  before(async () => {
    redis = await startRedisServer();
    clients = [await connectRedis(redis.url), await connectRedis(redis.url)];
  });
  after(async () => {
    for (const client of clients) client.disconnect();
    await redis.stop();
  });

  test('what one replica keeps, another replays; with the TTL set on the key', async () => {
    const [first, second] = clients.map((client) => new RedisCacheStore(client, { ttlMs: 60_000, maxBytes: 1_000_000 }));
    await first!.set('k1', { kind: 'sse', events: [{ id: 'a' }, { id: 'b' }] });
    assert.deepEqual(await second!.get('k1'), { kind: 'sse', events: [{ id: 'a' }, { id: 'b' }] });
    const ttl = await clients[0]!.pttl('llm-sidecar:cache:k1');
    assert.ok(ttl > 0 && ttl <= 60_000, String(ttl));
    assert.equal(await second!.get('absent'), undefined);
  });

  test('an answer over maxBytes is not kept', async () => {
    const store = new RedisCacheStore(clients[0]!, { ttlMs: 60_000, maxBytes: 50 });
    await store.set('big', { kind: 'json', body: { text: 'x'.repeat(100) } });
    assert.equal(await store.get('big'), undefined);
  });

  test('a Redis that is gone is a miss, not a failure', async () => {
    const client = await connectRedis(redis.url);
    const store = new RedisCacheStore(client, { ttlMs: 60_000, maxBytes: 1_000_000 });
    client.disconnect();
    await store.set('k2', { kind: 'json', body: 1 });
    assert.equal(await store.get('k1'), undefined);
  });
});
