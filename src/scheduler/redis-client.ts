import { Redis } from 'ioredis';

/** Fail fast rather than queue: a command to an unreachable Redis errors at once, never hangs. */
const CONNECT_TIMEOUT_MS = 2_000;
const COMMAND_TIMEOUT_MS = 2_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * An ioredis connection for the shared limits: no offline queue, one retry per command, a command
 * timeout, and reconnection in the background so the limits recover when Redis comes back.
 * Resolves once connected; rejects if the first connection fails.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
  });
  // errors surface on the commands that meet them; the connection's own event would crash the process
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}
