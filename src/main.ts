import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createApp, type GatewayApp } from './app.ts';
import type { Config } from './config/config-schema.ts';
import { ConfigError, loadConfig } from './config/load-config.ts';
import { overloaded } from './errors/gateway-error.ts';
import { createLogger } from './observability/create-logger.ts';
import type { DistributedLimiter } from './scheduler/distributed-limiter.ts';

export interface ServeOptions {
  configFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Install SIGTERM/SIGINT/SIGHUP handlers (the CLI does; embedders may not want them). */
  handleSignals?: boolean;
}

export interface RunningGateway {
  gateway: GatewayApp;
  server: Server;
  url: string;
  /** Drains (grace period from config), closes the server and the upstream pool. */
  shutdown(): Promise<void>;
}

/** load config → createApp → listen → graceful shutdown on SIGTERM, reload on SIGHUP. */
export async function serve(options: ServeOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const configFile = options.configFile ?? env['LLM_SIDECAR_CONFIG'];
  const config = loadConfig({ file: configFile, env });
  const logger = createLogger({ level: config.logLevel });
  const onDegradedChange = (degraded: boolean): void => {
    if (degraded) logger.warn('Redis is unavailable: serving under this replica\'s share of the shared limits until it answers');
    else logger.info('Redis answers again: limits are shared again');
  };
  const shared = config.redisUrl === undefined ? undefined : await connectSharedLimits(config, onDegradedChange);
  if (shared) logger.info('limits are shared with other replicas through Redis');
  const gateway = createApp({ config, logger, ...(shared ? { distributed: shared.limiter, isRedisConnected: shared.isConnected, isRedisDegraded: shared.isDegraded } : {}) });
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, gateway.app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url, upstreams: config.upstreams.filter((upstream) => upstream.enabled).map((upstream) => upstream.url), configFile: configFile ?? null }, 'llm-sidecar listening');
  if (config.apiKeys.length === 0) logger.warn('no API keys configured: every request is accepted (set API_KEYS to require a key)');
  else logger.info({ keys: config.apiKeys.length }, 'API keys required');
  const health = await gateway.health.start();
  for (const node of health.unreachable) logger.warn({ upstream: node.name, url: node.url, error: node.error }, 'upstream is not reachable yet: its requests go to other nodes, or answer 503 until it is');

  let shuttingDown: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (shuttingDown ??= (async () => {
      const grace = gateway.services.getConfig().drainTimeoutMs;
      logger.info({ graceMs: grace }, 'draining');
      const drained = await gateway.drain(grace);
      if (!drained) logger.warn('grace period over: ending the work still in flight');
      if (!drained) gateway.abortInFlight(overloaded('The gateway shut down before this request finished.', 5, 'draining'));
      server.closeIdleConnections();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, drained ? 1_000 : 100).unref();
      });
      await gateway.close();
      await shared?.close();
      logger.info('stopped');
      logger.flush();
    })());

  if (options.handleSignals) {
    process.once('SIGTERM', () => void shutdown().then(() => process.exit(0)));
    process.once('SIGINT', () => void shutdown().then(() => process.exit(0)));
    process.on('SIGHUP', () => reloadConfig(gateway, configFile, env, logger));
  }
  return { gateway, server, url, shutdown };
}

function reloadConfig(gateway: GatewayApp, configFile: string | undefined, env: NodeJS.ProcessEnv, logger: ReturnType<typeof createLogger>): void {
  let next: Config;
  try {
    next = loadConfig({ file: configFile, env });
  } catch (error) {
    logger.error({ error: (error as Error).message }, 'configuration reload refused; keeping the current one');
    return;
  }
  gateway.reload(next);
}

interface SharedLimits {
  limiter: DistributedLimiter;
  isConnected: () => boolean;
  /** True while the replica serves under local limits because Redis is away (`redisFailure: local`). */
  isDegraded: () => boolean;
  close(): Promise<void>;
}

/**
 * Redis connections for limits shared across replicas; a Redis that cannot be reached stops start-up.
 * With `redisFailure: local`, losing Redis later means serving under local limits, not refusing.
 */
async function connectSharedLimits(config: Config, onDegradedChange: (degraded: boolean) => void): Promise<SharedLimits> {
  const url = config.redisUrl ?? '';
  // Loaded only when Redis is configured: ioredis costs memory a single replica does not need.
  const [{ connectRedis }, { RedisDistributedLimiter }, { LocalFallbackLimiter }] = await Promise.all([
    import('./scheduler/redis-client.ts'),
    import('./scheduler/redis-distributed-limiter.ts'),
    import('./scheduler/local-fallback-limiter.ts'),
  ]);
  let redis;
  let subscriber;
  try {
    redis = await connectRedis(url);
    subscriber = await connectRedis(url);
  } catch (error) {
    redis?.disconnect();
    throw new ConfigError(`REDIS_URL is set but Redis at ${url} cannot be reached: ${(error as Error).message}`);
  }
  const limiter = new RedisDistributedLimiter({ redis, subscriber, leaseMs: config.redisLeaseMs });
  await limiter.listen();
  const fallback = config.redisFailure === 'local' ? new LocalFallbackLimiter({ shared: limiter, onDegradedChange }) : undefined;
  return {
    limiter: fallback ?? limiter,
    isConnected: () => redis.status === 'ready',
    isDegraded: () => fallback?.degraded ?? false,
    async close() {
      fallback?.close();
      limiter.close();
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}

export { ConfigError };
