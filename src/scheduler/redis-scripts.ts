/**
 * Lua scripts for the shared limits. Each runs atomically in Redis and reads Redis's own clock
 * (`TIME`), so replicas with skewed clocks still agree on lease expiry and refills.
 */

const NOW_MS = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * Semaphore acquire. KEYS[1]: sorted set of lease ids scored by expiry. ARGV: lease id, limit,
 * lease ms. Drops expired leases (a dead replica's), then adds this one if below the limit.
 * Returns 1 when acquired, 0 when full.
 */
export const ACQUIRE_LEASE_SCRIPT = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
  return 1
end
return 0`;

/** Semaphore refresh. KEYS[1], ARGV: lease id, lease ms. Returns 0 when the lease had already expired. */
export const REFRESH_LEASE_SCRIPT = `${NOW_MS}
local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expiry or tonumber(expiry) <= now then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1`;

/** Semaphore release. KEYS[1], KEYS[2]: release channel. ARGV: lease id, model key (published). */
export const RELEASE_LEASE_SCRIPT = `redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('PUBLISH', KEYS[2], ARGV[2])
return 1`;

/**
 * Token bucket. KEYS[1]: hash {tokens, at}. ARGV: capacity, refill interval ms (capacity tokens per
 * interval, added continuously). Returns 0 when a token was taken, otherwise the ms until one will be.
 */
export const TAKE_TOKEN_SCRIPT = `${NOW_MS}
local capacity = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - at) * capacity / interval)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) * interval / capacity)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], interval * 2)
return wait`;

/**
 * Semaphore adopt: registers a lease that is already running (one started while Redis was away),
 * whether or not the set is full, so leases granted from now on count it. KEYS[1], ARGV: lease id, lease ms.
 */
export const ADOPT_LEASE_SCRIPT = `${NOW_MS}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1`;

/**
 * Replica heartbeat. KEYS[1]: sorted set of replica ids scored by last beat. ARGV: replica id, window
 * ms. Returns how many replicas beat within the window (this one included).
 */
export const REPLICA_HEARTBEAT_SCRIPT = `${NOW_MS}
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return redis.call('ZCARD', KEYS[1])`;
