import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Server as TlsServer } from 'node:https';
import type { Redis } from 'ioredis';
import { createApp, type AppDependencies, type GatewayApp } from './app.ts';
import { RedisCacheStore } from './cache/redis-cache-store.ts';
import type { Config } from './config/config-schema.ts';
import { ConfigError, loadConfig } from './config/load-config.ts';
import { gatewayError } from './errors/gateway-error.ts';
import { createGatewayServer } from './http/create-gateway-server.ts';
import { readTlsCredentials } from './http/read-tls-credentials.ts';
import { buildKeyRing } from './keys/build-key-ring.ts';
import type { KeyRing } from './keys/key-ring.ts';
import { chooseLogFormat, createLogger } from './observability/create-logger.ts';
import type { DistributedLimiter } from './scheduler/distributed-limiter.ts';
import { gatewayVersion } from './observability/gateway-version.ts';
import { loadRequestTracer } from './observability/load-request-tracer.ts';
import { SqliteUsageStore } from './usage/sqlite-usage-store.ts';
import { resolveUsageDbPath } from './usage/resolve-usage-db-path.ts';
import { openResponsesStore } from './responses-store/open-responses-store.ts';

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
  const logger = createLogger({ level: config.logLevel, format: chooseLogFormat(config.logFormat, process.stdout.isTTY === true) });
  const onDegradedChange = (degraded: boolean): void => {
    if (degraded) logger.warn('Redis is unavailable: serving under this replica\'s share of the shared limits until it answers');
    else logger.info('Redis answers again: limits are shared again');
  };
  const shared = config.redisUrl === undefined ? undefined : await connectSharedLimits(config, onDegradedChange);
  if (shared) logger.info('limits are shared with other replicas through Redis');
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: only then is the OpenTelemetry SDK loaded.
  const tracer = await loadRequestTracer(env, gatewayVersion);
  if (tracer.enabled) logger.info('tracing requests with OpenTelemetry (OTLP/HTTP)');
  const keys = buildKeyRing(config);
  // With Redis the replicas share cached answers too (the store is only used when `cache` turns it on).
  const cacheStore = shared ? new RedisCacheStore(shared.redis, { ttlMs: config.cache.ttlMs, maxBytes: config.cache.maxBytes }) : undefined;
  // the store reads its limits from the config in force, which SIGHUP may replace
  let running: GatewayApp | undefined;
  const responsesStore = await openResponsesStore(() => running?.services.getConfig() ?? config);
  const gateway = createApp({
    config,
    logger,
    keys,
    tracer,
    responsesStore,
    ...(await openKeyStores(config, env, keys, shared?.redis)),
    ...(shared ? { distributed: shared.limiter, isRedisConnected: shared.isConnected, isRedisDegraded: shared.isDegraded } : {}),
    ...(cacheStore ? { cacheStore } : {}),
  });
  running = gateway;
  const serverOptions = { keepAliveTimeout: 65_000, requestTimeout: 0 };
  const server = createGatewayServer(gateway.app, serverOptions, config.tls === undefined ? undefined : readTlsCredentials(config.tls));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const url = `${config.tls === undefined ? 'http' : 'https'}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url, upstreams: config.upstreams.filter((upstream) => upstream.enabled).map((upstream) => upstream.url), configFile: configFile ?? null }, 'llm-sidecar listening');
  if (keys.isOpen) logger.warn('no API keys configured: every request is accepted (set API_KEYS to require a key)');
  else logger.info({ keys: keys.names() }, 'API keys required');
  const health = await gateway.health.start();
  for (const node of health.unreachable) {
    logger.warn(
      { upstream: node.name, url: node.url, error: node.error },
      `No Ollama answers at ${node.url}. Start Ollama there, set OLLAMA_URL to where it runs, or try \`npm run demo\` (a simulated Ollama). Until then its requests go to other nodes, or answer 503.`,
    );
  }

  let shuttingDown: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (shuttingDown ??= (async () => {
      const grace = gateway.services.getConfig().drainTimeoutMs;
      logger.info({ graceMs: grace }, 'draining');
      const drained = await gateway.drain(grace);
      if (!drained) logger.warn('grace period over: ending the work still in flight');
      if (!drained) gateway.abortInFlight(gatewayError('draining', 'The gateway shut down before this request finished.'));
      server.closeIdleConnections();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, drained ? 1_000 : 100).unref();
      });
      await gateway.close();
      await tracer.shutdown();
      await shared?.close();
      logger.info('stopped');
      logger.flush();
    })());

  if (options.handleSignals) {
    process.once('SIGTERM', () => void shutdown().then(() => process.exit(0)));
    process.once('SIGINT', () => void shutdown().then(() => process.exit(0)));
    process.on('SIGHUP', () => reloadConfig(gateway, server, configFile, env, logger));
  }
  return { gateway, server, url, shutdown };
}

/** SIGHUP: the config, the keys (apiKeysFile re-read) and the TLS files; any problem keeps all of the current ones. */
function reloadConfig(gateway: GatewayApp, server: Server, configFile: string | undefined, env: NodeJS.ProcessEnv, logger: ReturnType<typeof createLogger>): void {
  let next: Config;
  let keys: KeyRing;
  let credentials: ReturnType<typeof readTlsCredentials> | undefined;
  try {
    next = loadConfig({ file: configFile, env });
    keys = buildKeyRing(next);
    credentials = next.tls === undefined ? undefined : readTlsCredentials(next.tls);
  } catch (error) {
    logger.error({ error: (error as Error).message }, 'configuration reload refused; keeping the current one');
    return;
  }
  // An HTTP server cannot become HTTPS (or back) without a restart; new certificates apply to new connections.
  if (credentials !== undefined && 'setSecureContext' in server) (server as TlsServer).setSecureContext(credentials);
  gateway.reload(next, keys);
}

/**
 * Where per-key limits and usage live: with Redis, shared by the replicas (usage kept in Redis);
 * without, in this process with usage in the SQLite file. Without keys there is no usage to keep,
 * so no file is created.
 */
async function openKeyStores(config: Config, env: NodeJS.ProcessEnv, keys: KeyRing, redis: Redis | undefined): Promise<Pick<AppDependencies, 'usageStore' | 'keyLimiter'>> {
  if (redis !== undefined) {
    const [{ RedisUsageStore }, { RedisKeyLimiter }] = await Promise.all([import('./usage/redis-usage-store.ts'), import('./keys/redis-key-limiter.ts')]);
    const leaseMs = config.defaults.queueTimeoutMs + config.defaults.requestTimeoutMs;
    return { usageStore: new RedisUsageStore(redis), keyLimiter: new RedisKeyLimiter({ redis, leaseMs }) };
  }
  if (keys.isOpen) return {};
  const path = resolveUsageDbPath(config, env);
  try {
    return { usageStore: new SqliteUsageStore(path) };
  } catch (error) {
    throw new ConfigError(`usageDb: the usage database ${path} cannot be opened: ${(error as Error).message}`);
  }
}

interface SharedLimits {
  redis: Redis;
  /** The limiter the scheduler uses: Redis's, or its local fallback while Redis is away. */
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
    redis,
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
