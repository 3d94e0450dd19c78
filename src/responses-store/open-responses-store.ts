import type { Config } from '../config/config-schema.ts';
import { ConfigError } from '../config/load-config.ts';
import { MemoryResponsesStore } from './memory-responses-store.ts';
import type { ResponsesStore, ResponsesStoreLimits } from './responses-store.ts';

/** Limits read from the current config at each write, so a reload applies to new responses. */
export const readStoreLimits = (getConfig: () => Config) => (): ResponsesStoreLimits => getConfig().responsesStore;

/**
 * The configured store: Redis when `responsesStore.backend` says so, or by default when `redisUrl`
 * is set (a follow-up may reach another replica); otherwise this process's memory.
 */
export async function openResponsesStore(getConfig: () => Config): Promise<ResponsesStore> {
  const config = getConfig();
  const backend = config.responsesStore.backend ?? (config.redisUrl === undefined ? 'memory' : 'redis');
  if (backend === 'memory') return new MemoryResponsesStore({ limits: readStoreLimits(getConfig) });
  if (config.redisUrl === undefined) throw new ConfigError('responsesStore.backend is redis but redisUrl is not set');
  // Loaded only when Redis is configured, like the shared limits.
  const [{ connectRedis }, { RedisResponsesStore }] = await Promise.all([import('../scheduler/redis-client.ts'), import('./redis-responses-store.ts')]);
  let redis;
  try {
    redis = await connectRedis(config.redisUrl);
  } catch (error) {
    throw new ConfigError(`the responses store needs Redis at ${config.redisUrl}, which cannot be reached: ${(error as Error).message}`);
  }
  return new RedisResponsesStore({ redis, limits: readStoreLimits(getConfig) });
}
