import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCacheKey } from '../../src/cache/cache-key.ts';
import { chooseCacheUse, isDeterministic } from '../../src/cache/cache-policy.ts';
import { MemoryCacheStore } from '../../src/cache/memory-cache-store.ts';
import { stableJson } from '../../src/cache/stable-json.ts';

const answer = (text: string) => ({ kind: 'json' as const, body: { text } });

describe('cache keys', () => {
  test('stable JSON sorts keys at every depth and drops undefined members', () => {
    assert.equal(stableJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  test('key order does not change the key; the route, the request and the answer shape do', () => {
    const key = createCacheKey('/v1/embeddings', { model: 'm', input: ['a'] }, { encodingFormat: 'float' });
    assert.equal(createCacheKey('/v1/embeddings', { input: ['a'], model: 'm' }, { encodingFormat: 'float' }), key);
    assert.notEqual(createCacheKey('/v1/embeddings', { model: 'm', input: ['b'] }, { encodingFormat: 'float' }), key);
    assert.notEqual(createCacheKey('/v1/embeddings', { model: 'm', input: ['a'] }, { encodingFormat: 'base64' }), key);
    assert.notEqual(createCacheKey('/v1/completions', { model: 'm', input: ['a'] }, { encodingFormat: 'float' }), key);
    assert.match(key, /^[0-9a-f]{64}$/);
  });
});

describe('what is cached', () => {
  test('deterministic: temperature 0 or a seed, and no tools', () => {
    assert.equal(isDeterministic({ temperature: 0 }), true);
    assert.equal(isDeterministic({ seed: 7, temperature: 0.8 }), true);
    assert.equal(isDeterministic({}), false);
    assert.equal(isDeterministic({ temperature: 0.2 }), false);
    assert.equal(isDeterministic({ temperature: 0, tools: [{ type: 'function' }] }), false);
    assert.equal(isDeterministic({ temperature: 0, tools: [] }), true);
  });

  test('Cache-Control: no-cache refreshes, no-store leaves the cache out', () => {
    assert.equal(chooseCacheUse(true, undefined), 'lookup');
    assert.equal(chooseCacheUse(true, 'No-Cache'), 'refresh');
    assert.equal(chooseCacheUse(true, 'max-age=0, no-store'), 'none');
    assert.equal(chooseCacheUse(false, undefined), 'none');
  });
});

describe('the memory store', () => {
  test('keeps at most maxEntries, dropping the least recently used', async () => {
    const store = new MemoryCacheStore({ maxEntries: 2, maxBytes: 1_000_000, ttlMs: 60_000, now: () => 0 });
    await store.set('a', answer('A'));
    await store.set('b', answer('B'));
    assert.deepEqual(await store.get('a'), answer('A'));
    await store.set('c', answer('C'));
    assert.equal(await store.get('b'), undefined, 'b was the least recently used');
    assert.deepEqual(await store.get('a'), answer('A'));
    assert.deepEqual(await store.get('c'), answer('C'));
    assert.equal(store.size, 2);
  });

  test('keeps at most maxBytes; an answer larger than the budget is not kept', async () => {
    const entryBytes = JSON.stringify(answer('x'.repeat(100))).length;
    const store = new MemoryCacheStore({ maxEntries: 100, maxBytes: entryBytes * 2, ttlMs: 60_000, now: () => 0 });
    for (const key of ['a', 'b', 'c']) await store.set(key, answer('x'.repeat(100)));
    assert.equal(store.size, 2);
    assert.ok(store.bytes <= entryBytes * 2);
    assert.equal(await store.get('a'), undefined);
    await store.set('huge', answer('x'.repeat(1_000)));
    assert.equal(await store.get('huge'), undefined);
    assert.equal(store.size, 2);
  });

  test('an entry expires after ttlMs', async () => {
    let clock = 0;
    const store = new MemoryCacheStore({ maxEntries: 10, maxBytes: 1_000_000, ttlMs: 1_000, now: () => clock });
    await store.set('a', answer('A'));
    clock = 999;
    assert.deepEqual(await store.get('a'), answer('A'));
    clock = 1_000;
    assert.equal(await store.get('a'), undefined);
    assert.equal(store.bytes, 0);
  });
});
