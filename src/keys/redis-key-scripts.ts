/**
 * Lua for per-key limits shared by replicas. Each runs atomically on Redis's own clock (`TIME`), so
 * replicas with skewed clocks agree. Buckets are hashes {level, at} refilled continuously by
 * `capacity` per minute, as in the in-process limiter; concurrency is a sorted set of lease ids
 * scored by expiry, so a crashed replica's places come back when its leases expire.
 */

const PRELUDE = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local minute = 60000
local function level_of(key, capacity)
  local state = redis.call('HMGET', key, 'level', 'at')
  local level = tonumber(state[1]) or capacity
  local at = tonumber(state[2]) or now
  return math.min(capacity, level + math.max(0, now - at) * capacity / minute)
end
local function wait_for(level, amount, capacity)
  local missing = math.min(amount, capacity) - level
  if missing <= 0 then return 0 end
  return math.ceil(missing * minute / capacity)
end
local function store(key, level)
  redis.call('HSET', key, 'level', tostring(level), 'at', now)
  redis.call('PEXPIRE', key, minute * 2)
end`;

/**
 * Admission. KEYS: requests bucket, tokens bucket, leases. ARGV: rpm, tpm, maxConcurrent (0 = none),
 * tokens to reserve, lease id, lease ms. Returns {admitted (1/0), wait ms (0 when refused for
 * concurrency), requests level, requests reset ms, tokens level, tokens reset ms}.
 */
export const ADMIT_KEY_SCRIPT = `${PRELUDE}
local rpm, tpm, max_concurrent = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local reserve, lease_ms = tonumber(ARGV[4]), tonumber(ARGV[6])
local requests = rpm > 0 and level_of(KEYS[1], rpm) or 0
local tokens = tpm > 0 and level_of(KEYS[2], tpm) or 0
local wait = 0
if rpm > 0 then wait = math.max(wait, wait_for(requests, 1, rpm)) end
if tpm > 0 then wait = math.max(wait, wait_for(tokens, reserve, tpm)) end
local full = false
if max_concurrent > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  full = redis.call('ZCARD', KEYS[3]) >= max_concurrent
end
local admitted = 0
if wait == 0 and not full then
  admitted = 1
  if rpm > 0 then requests = requests - 1; store(KEYS[1], requests) end
  if tpm > 0 then tokens = tokens - reserve; store(KEYS[2], tokens) end
  if max_concurrent > 0 then
    redis.call('ZADD', KEYS[3], now + lease_ms, ARGV[5])
    redis.call('PEXPIRE', KEYS[3], lease_ms * 2)
  end
end
local requests_reset = rpm > 0 and wait_for(requests, rpm, rpm) or 0
local tokens_reset = tpm > 0 and wait_for(tokens, tpm, tpm) or 0
return {admitted, wait, tostring(requests), requests_reset, tostring(tokens), tokens_reset}`;

/** Settlement. KEYS: tokens bucket, leases. ARGV: tpm (0 = none), tokens to give back (negative: charge), lease id. */
export const SETTLE_KEY_SCRIPT = `${PRELUDE}
local tpm = tonumber(ARGV[1])
if tpm > 0 then store(KEYS[1], math.min(tpm, level_of(KEYS[1], tpm) + tonumber(ARGV[2]))) end
redis.call('ZREM', KEYS[2], ARGV[3])
return 1`;
