import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KeyIdentity, KeyLimits } from '../../src/keys/key-ring.ts';
import { LocalKeyLimiter } from '../../src/keys/local-key-limiter.ts';
import { formatResetDuration } from '../../src/keys/rate-limit-headers.ts';
import { tokensToReserve } from '../../src/keys/reserve-tokens.ts';
import { TokenBucket } from '../../src/keys/token-bucket.ts';

const identity = (limits: KeyLimits, name = 'k'): KeyIdentity => ({ name, allowsModel: () => true, routes: new Set(['openai']), limits });

describe('TokenBucket', () => {
  test('refills continuously, may go into debt, and reports when it is full again', () => {
    const bucket = new TokenBucket(60, 60_000, 0);
    assert.equal(bucket.take(50, 0), true);
    assert.equal(bucket.remaining(0), 10);
    assert.equal(bucket.take(11, 0), false);
    assert.equal(bucket.msUntil(11, 0), 1_000);
    assert.equal(bucket.remaining(1_000), 11);
    bucket.adjust(-20, 1_000);
    assert.equal(bucket.remaining(1_000), 0, 'a debt shows as nothing left');
    assert.equal(bucket.msUntilFull(1_000), 69_000);
    assert.equal(bucket.take(100, 70_000), true, 'more than the capacity needs a full bucket');
  });
});

describe('LocalKeyLimiter', () => {
  test('the token reservation is corrected at settlement, upwards and downwards', async () => {
    const limiter = new LocalKeyLimiter();
    const key = identity({ tpm: 100 });
    const first = await limiter.admit({ identity: key, reserveTokens: 80, now: 0, retryAfterCapSeconds: 60 });
    assert.ok(first.ok);
    assert.equal(first.admission.headers['x-ratelimit-remaining-tokens'], '20');
    first.admission.settle(10, 0);
    const second = await limiter.admit({ identity: key, reserveTokens: 10, now: 0, retryAfterCapSeconds: 60 });
    assert.ok(second.ok);
    assert.equal(second.admission.headers['x-ratelimit-remaining-tokens'], '80', '100 - 10 used - 10 reserved');
    second.admission.settle(90, 0);
    second.admission.settle(0, 0);
    const third = await limiter.admit({ identity: key, reserveTokens: 1, now: 0, retryAfterCapSeconds: 60 });
    assert.equal(third.ok, false, 'used 100 of 100: nothing left');
    assert.ok(!third.ok && third.error.retryAfterSeconds === 1);
  });

  test('maxConcurrent counts places until settled; keys do not share state', async () => {
    const limiter = new LocalKeyLimiter();
    const first = await limiter.admit({ identity: identity({ maxConcurrent: 1 }), reserveTokens: 1, now: 0, retryAfterCapSeconds: 60 });
    assert.ok(first.ok);
    assert.deepEqual(first.admission.headers, {}, 'no rate, no headers');
    assert.equal((await limiter.admit({ identity: identity({ maxConcurrent: 1 }), reserveTokens: 1, now: 0, retryAfterCapSeconds: 60 })).ok, false);
    assert.equal((await limiter.admit({ identity: identity({ maxConcurrent: 1 }, 'other'), reserveTokens: 1, now: 0, retryAfterCapSeconds: 60 })).ok, true);
    first.admission.settle(0, 0);
    assert.equal((await limiter.admit({ identity: identity({ maxConcurrent: 1 }), reserveTokens: 1, now: 0, retryAfterCapSeconds: 60 })).ok, true);
  });

  test('a reload that changes a rate starts its bucket afresh', async () => {
    const limiter = new LocalKeyLimiter();
    assert.equal((await limiter.admit({ identity: identity({ rpm: 1 }), reserveTokens: 1, now: 0, retryAfterCapSeconds: 60 })).ok, true);
    assert.equal((await limiter.admit({ identity: identity({ rpm: 1 }), reserveTokens: 1, now: 0, retryAfterCapSeconds: 60 })).ok, false);
    assert.equal((await limiter.admit({ identity: identity({ rpm: 5 }), reserveTokens: 1, now: 0, retryAfterCapSeconds: 60 })).ok, true);
  });
});

describe('reservations and header spelling', () => {
  test('the request bound or the default', () => {
    assert.equal(tokensToReserve({ max_tokens: 20 }), 20);
    assert.equal(tokensToReserve({ max_completion_tokens: 30, max_tokens: 20 }), 30);
    assert.equal(tokensToReserve({ options: { num_predict: 40 } }), 40);
    assert.equal(tokensToReserve({ options: { num_predict: -1 } }), 1024);
    assert.equal(tokensToReserve(undefined), 1024);
    assert.equal(tokensToReserve({ max_tokens: 20, n: 3 }), 60, 'every choice may use its bound');
  });

  test("OpenAI's reset durations", () => {
    assert.equal(formatResetDuration(250), '250ms');
    assert.equal(formatResetDuration(1_500), '1.5s');
    assert.equal(formatResetDuration(8_640), '8.64s');
    assert.equal(formatResetDuration(360_000), '6m0s');
  });
});
