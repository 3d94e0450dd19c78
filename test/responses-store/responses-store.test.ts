import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildConfig } from '../../src/config/load-config.ts';
import { openResponsesStore } from '../../src/responses-store/open-responses-store.ts';
import { connectRedis } from '../../src/scheduler/redis-client.ts';
import { MemoryResponsesStore } from '../../src/responses-store/memory-responses-store.ts';
import { RedisResponsesStore } from '../../src/responses-store/redis-responses-store.ts';
import type { ResponsesStore, ResponsesStoreLimits, StoredResponse } from '../../src/responses-store/responses-store.ts';
import { buildResponseObject } from '../../src/translate/responses/build-response-object.ts';
import { findRedisUnavailableReason, startRedisServer, type RunningRedis } from '../scheduler/redis-server.ts';

function record(id: string): StoredResponse {
  const response = buildResponseObject({}, { id, createdAt: 1, model: 'm' }, { status: 'completed', output: [], usage: null, completedAt: 2 });
  return { response, input: [{ type: 'message', role: 'user', content: `question ${id}` }] };
}

/** The same behaviour from both backends; `now` is a hand-driven clock. */
function describeStore(name: string, create: (limits: () => ResponsesStoreLimits, now: () => number) => Promise<ResponsesStore>, skip: string | false = false): void {
  describe(name, { skip }, () => {
    let clock = 1_000_000;
    let limits: ResponsesStoreLimits = { maxResponses: 2, maxAgeMs: 10_000 };
    let store: ResponsesStore;
    before(async () => {
      store = await create(() => limits, () => clock);
    });
    after(() => store.close());

    test('keeps a response for its owner only', async () => {
      await store.save('key-a', record('resp_1'));
      assert.equal((await store.get('key-a', 'resp_1'))?.input[0]?.type, 'message');
      assert.equal(await store.get('key-b', 'resp_1'), undefined);
      assert.equal(await store.get('key-a', 'resp_unknown'), undefined);
    });

    test('the oldest go beyond maxResponses, per owner', async () => {
      await store.save('key-c', record('resp_c1'));
      clock += 1;
      await store.save('key-c', record('resp_c2'));
      clock += 1;
      await store.save('key-d', record('resp_d1'));
      clock += 1;
      await store.save('key-c', record('resp_c3'));
      assert.equal(await store.get('key-c', 'resp_c1'), undefined);
      assert.ok(await store.get('key-c', 'resp_c2'));
      assert.ok(await store.get('key-c', 'resp_c3'));
      assert.ok(await store.get('key-d', 'resp_d1'));
    });

    test('delete says whether there was one; another owner cannot delete it', async () => {
      await store.save('key-e', record('resp_e'));
      assert.equal(await store.delete('key-f', 'resp_e'), false);
      assert.equal(await store.delete('key-e', 'resp_e'), true);
      assert.equal(await store.get('key-e', 'resp_e'), undefined);
      assert.equal(await store.delete('key-e', 'resp_e'), false);
    });

    test('a response is forgotten after maxAgeMs', { skip: name.includes('Redis') ? 'Redis expires by its own clock (PX); covered by the TTL check below' : false }, async () => {
      limits = { maxResponses: 2, maxAgeMs: 10_000 };
      await store.save('key-g', record('resp_g'));
      clock += 9_999;
      assert.ok(await store.get('key-g', 'resp_g'));
      clock += 1;
      assert.equal(await store.get('key-g', 'resp_g'), undefined);
    });
  });
}

describeStore('memory responses store', async (limits, now) => new MemoryResponsesStore({ limits, now }));

const redisUnavailable = findRedisUnavailableReason();
let redisServer: RunningRedis | undefined;
after(() => redisServer?.stop());
describeStore(
  'Redis responses store',
  async (limits, now) => {
    redisServer = await startRedisServer();
    const redis = await connectRedis(redisServer.url);
    return new RedisResponsesStore({ redis, limits, now });
  },
  redisUnavailable ?? false,
);

describe('Redis responses store: expiry', { skip: redisUnavailable ?? false }, () => {
  test('each stored response carries maxAgeMs as its Redis TTL', async () => {
    const server = await startRedisServer();
    const redis = await connectRedis(server.url);
    const probe = await connectRedis(server.url);
    const store = new RedisResponsesStore({ redis, limits: () => ({ maxResponses: 5, maxAgeMs: 60_000 }) });
    await store.save('key-ttl', record('resp_ttl'));
    const keys = await probe.keys('llm-sidecar:responses:*:resp_ttl');
    assert.equal(keys.length, 1);
    const ttl = await probe.pttl(keys[0]!);
    assert.ok(ttl > 0 && ttl <= 60_000, `ttl ${ttl}`);
    assert.ok(!keys[0]!.includes('key-ttl'), 'the owner is hashed into the key name');
    probe.disconnect();
    await store.close();
    await server.stop();
  });
});

describe('openResponsesStore picks the backend from the config', () => {
  const configWith = (input: Record<string, unknown>) => () => buildConfig(input);
  test('memory by default; redis without redisUrl is a config error', async () => {
    const store = await openResponsesStore(configWith({}));
    assert.ok(store instanceof MemoryResponsesStore);
    await store.close();
    await assert.rejects(openResponsesStore(configWith({ responsesStore: { backend: 'redis' } })), /redisUrl is not set/);
  });

  test('Redis when redisUrl is set, unless memory is asked for', { skip: redisUnavailable ?? false }, async () => {
    const server = await startRedisServer();
    try {
      const shared = await openResponsesStore(configWith({ redisUrl: server.url }));
      assert.ok(shared instanceof RedisResponsesStore);
      await shared.close();
      const local = await openResponsesStore(configWith({ redisUrl: server.url, responsesStore: { backend: 'memory' } }));
      assert.ok(local instanceof MemoryResponsesStore);
    } finally {
      await server.stop();
    }
  });
});
