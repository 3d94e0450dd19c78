import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Config } from './config/config-schema.ts';
import { gatewayError, notFound, type GatewayError } from './errors/gateway-error.ts';
import type { GenerationContext } from './generation/generation-context.ts';
import type { GenerationPipeline } from './generation/run-generation.ts';
import { PoolUpstreams } from './generation/pool-upstreams.ts';
import { corsMiddleware } from './http/cors.ts';
import { errorMiddleware } from './http/error-middleware.ts';
import type { GatewayServices } from './http/gateway-services.ts';
import { jsonBodyParser } from './http/json-body-parser.ts';
import { observeRequest } from './http/observe-request.ts';
import { contextOf, requestContextMiddleware } from './http/request-context.ts';
import { authenticateKey } from './http/authenticate-key.ts';
import { countKeyUsage } from './http/count-key-usage.ts';
import { hostGuard } from './http/host-guard.ts';
import { chatCompletionsHandler } from './http/routes/chat-completions.ts';
import { completionsHandler } from './http/routes/completions.ts';
import { embeddingsHandler } from './http/routes/embeddings.ts';
import { healthzHandler, readyzHandler, rootHandler } from './http/routes/health.ts';
import { docsRouter } from './http/routes/docs.ts';
import { metricsHandler } from './http/routes/metrics.ts';
import { listModelsHandler, retrieveModelHandler } from './http/routes/models.ts';
import { llmGenerateHandler } from './http/routes/llm-generate.ts';
import { llmPullHandler } from './http/routes/llm-pull.ts';
import { createOllamaPassthrough, PASSTHROUGH_GENERATION_PATHS, PASSTHROUGH_STORE_PATHS } from './http/routes/ollama-passthrough.ts';
import { ollamaUnionListingHandler } from './http/routes/ollama-union-listing.ts';
import { ollamaShowOnNode } from './http/routes/ollama-show-on-node.ts';
import { statusHandler } from './http/routes/status.ts';
import { statusStreamHandler } from './http/routes/status-stream.ts';
import { statusPageRouter } from './http/routes/status-page.ts';
import { noteRecentErrors } from './http/note-recent-errors.ts';
import { createStatusFeed } from './http/status-feed.ts';
import { QueueWaits } from './status/queue-waits.ts';
import { usageHandler } from './http/routes/usage.ts';
import { buildKeyRing } from './keys/build-key-ring.ts';
import type { KeyLimiter } from './keys/key-limiter.ts';
import type { KeyRing } from './keys/key-ring.ts';
import { LocalKeyLimiter } from './keys/local-key-limiter.ts';
import { anthropicCountTokensHandler, anthropicMessagesHandler } from './http/routes/anthropic-messages.ts';
import { createResponseHandler, deleteResponseHandler, listInputItemsHandler, retrieveResponseHandler } from './http/routes/responses.ts';
import { MemoryResponsesStore } from './responses-store/memory-responses-store.ts';
import { readStoreLimits } from './responses-store/open-responses-store.ts';
import type { ResponsesStore } from './responses-store/responses-store.ts';
import { NodeModelMemories } from './models/node-model-memories.ts';
import { ModelPolicies } from './models/model-policies.ts';
import { PullCoordinator } from './models/pull-coordinator.ts';
import { createPullOnDemand } from './models/pull-on-demand.ts';
import { ModelCatalog } from './models/model-catalog.ts';
import { createLogger } from './observability/create-logger.ts';
import { createMetrics, type GatewayMetrics } from './observability/metrics.ts';
import { createRepeatBackoff, type RepeatBackoff } from './observability/repeat-backoff.ts';
import type { RequestTracer } from './observability/request-tracer.ts';
import type { ResponseCacheStore } from './cache/cached-response.ts';
import { createResponseCache } from './cache/create-response-cache.ts';
import { OllamaClient } from './ollama/ollama-client.ts';
import type { AdmissionGate } from './scheduler/admission-gate.ts';
import type { DistributedLimiter } from './scheduler/distributed-limiter.ts';
import { ResourceMonitor } from './scheduler/resource-monitor.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import type { UpstreamNode } from './upstreams/upstream-node.ts';
import { UpstreamPool } from './upstreams/upstream-pool.ts';
import { SqliteUsageStore } from './usage/sqlite-usage-store.ts';
import { UsageLedger } from './usage/usage-ledger.ts';
import type { UsageStore } from './usage/usage-store.ts';

export interface AppDependencies {
  config: Config;
  logger?: Logger;
  metrics?: GatewayMetrics;
  now?: () => number;
  /** Replaces the keep-alive pool to Ollama (tests). */
  dispatcher?: Dispatcher;
  /** Replaces `healthCheckIntervalMs`; readiness and status read the latest result. */
  healthIntervalMs?: number;
  /** Limits shared with other replicas (Redis); in-process limits when absent. */
  distributed?: DistributedLimiter;
  /** Whether the Redis behind `distributed` is connected now (for `/v1/status`). */
  isRedisConnected?: () => boolean;
  /** Whether the replica serves under local limits because Redis is away (for `/v1/status` and metrics). */
  isRedisDegraded?: () => boolean;
  /** Replaces the resource monitor built from `config.resources` (tests). */
  resources?: AdmissionGate;
  /** Spans per request (OpenTelemetry, see `loadRequestTracer`); nothing is traced without it. */
  tracer?: RequestTracer;
  /** Time between two samples of the status history (10 s; tests shorten it). */
  statusHistoryIntervalMs?: number;
  /** Where cached answers live (Redis when replicas share them); in memory within `config.cache` bounds when absent. */
  cacheStore?: ResponseCacheStore;
  /** The keys in force; built from `config` (apiKeys, API_KEYS, apiKeysFile) when absent. */
  keys?: KeyRing;
  /** Per-key rates shared with other replicas (Redis); in-process when absent. */
  keyLimiter?: KeyLimiter;
  /** Where usage is kept; `config.usageDb` (SQLite), else in memory, when absent. */
  usageStore?: UsageStore;
  /** How often counted usage is written to the store. */
  usageFlushIntervalMs?: number;
  /** The address the server listens on, for the Host guard; `config.listen.host` when absent. */
  listenHost?: string;
  /** Where `/v1/responses` keeps finished answers (see `openResponsesStore`); this process's memory when absent. */
  responsesStore?: ResponsesStore;
}

/** The pool's health checks, as the process and tests drive them. */
export interface GatewayHealth {
  /** Checks every node once, then keeps checking; resolves after the first round. */
  start(): Promise<{ ready: boolean; unreachable: Array<{ name: string; url: string; error: string | null }> }>;
  /** Checks every node now. */
  check(): Promise<void>;
  stop(): void;
}

export interface GatewayApp {
  app: Express;
  services: GatewayServices;
  health: GatewayHealth;
  /** Swaps in a new validated config (and keys, re-read from it unless given): limits apply to new work, nothing queued or running is dropped. */
  reload(config: Config, keys?: KeyRing): void;
  /** Ends every queued and running request with `error` (an SSE error event for streams). */
  abortInFlight(error: GatewayError): void;
  /** Stops admitting work (readiness turns 503); resolves when queued and running work is done or `timeoutMs` passed. */
  drain(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Builds the gateway: one Express app with its own services, registry and limiters. Does not listen. */
export function createApp(dependencies: AppDependencies): GatewayApp {
  let config = dependencies.config;
  // Per-model policy is resolved once per configuration; the hot path only looks it up.
  let policies = new ModelPolicies(config);
  let draining = false;
  const getConfig = (): Config => config;
  const now = dependencies.now ?? (() => performance.timeOrigin + performance.now());
  const logger = dependencies.logger ?? createLogger({ level: config.logLevel });
  const metrics = dependencies.metrics ?? createMetrics();
  // Checks go on at their own pace (readiness needs them); the warning for a node that stays down repeats less and less often.
  const unreachableWarnings = new Map<string, RepeatBackoff>();
  const warnUnreachable = (node: UpstreamNode): void => {
    let backoff = unreachableWarnings.get(node.name);
    if (backoff === undefined) unreachableWarnings.set(node.name, (backoff = createRepeatBackoff({ firstRepeatMs: 10_000, maxRepeatMs: 300_000 })));
    if (backoff.shouldReport(now())) logger.warn({ upstream: node.name, url: node.url, error: node.health.snapshot.lastError }, 'upstream is unreachable');
  };
  const pool = new UpstreamPool({
    getConfig,
    checkIntervalMs: dependencies.healthIntervalMs,
    dispatcher: dependencies.dispatcher,
    onHealthChange: (node) => {
      const state = node.health.snapshot;
      metrics.upstreamUp.set({ upstream: node.name }, state.healthy === true ? 1 : 0);
      if (state.healthy !== true) return warnUnreachable(node);
      unreachableWarnings.get(node.name)?.reset();
      logger.info({ upstream: node.name, url: node.url, version: state.version }, 'upstream is reachable');
    },
    onCheckFailed: (node) => warnUnreachable(node),
  });
  // Model-less native calls (pulls, the passthrough) go to the first Ollama node.
  const ollama = pool.firstOllamaNode()?.client ?? new OllamaClient({ name: config.upstreams[0]!.name, baseUrl: config.upstreams[0]!.url, connectTimeoutMs: config.defaults.connectTimeoutMs, retry: () => config.retries });
  // One shared pull per model; a finished pull refreshes the model list.
  const pulls = new PullCoordinator({
    pullTarget: () => pool.leastBusyOllamaNode(scheduler.snapshot().inFlightByNode)?.client ?? ollama,
    metrics,
    logger,
    getConfig,
    onPulled: () => catalog.invalidate(),
  });
  const catalog = new ModelCatalog({
    getConfig,
    getPolicies: () => policies,
    listModels: (signal) => pool.listModels(signal ?? AbortSignal.timeout(10_000)),
    pullMissing: createPullOnDemand({ getConfig, pulls }),
  });
  const monitor = dependencies.resources === undefined && config.resources.enabled ? new ResourceMonitor({ thresholds: config.resources }) : undefined;
  monitor?.start();
  const resources = dependencies.resources ?? monitor;
  // LRU model memory per Ollama node: a no-op unless maxLoadedModels/maxLoadedBytes is set; a stage of the pipeline.
  const memory = new NodeModelMemories({
    getConfig,
    nodes: pool,
    listModels: () => catalog.list(),
    activeByNode: () => Object.fromEntries(Object.entries(scheduler.snapshot().models).map(([name, lane]) => [name, lane.activeByNode])),
    logger,
  });
  const scheduler = new Scheduler({
    getConfig,
    getGlobalLimits: () => ({ maxTotalRequests: config.maxTotalRequests, maxQueuedBodyBytes: config.maxQueuedBodyBytes }),
    ...(resources ? { resources } : {}),
    ...(dependencies.distributed ? { distributed: dependencies.distributed } : {}),
    nodes: pool,
  });
  metrics.trackScheduler(() => scheduler.snapshot());
  metrics.trackUpstreams(() => {
    const inFlight = scheduler.snapshot().inFlightByNode;
    return {
      inFlightByNode: pool.nodes.map((node) => ({ name: node.name, inFlight: inFlight[node.name] ?? 0 })),
      redisDegraded: dependencies.isRedisDegraded?.() ?? (dependencies.distributed === undefined ? null : false),
    };
  });
  let keyRing = dependencies.keys ?? buildKeyRing(config);
  const ledger = new UsageLedger({
    store: dependencies.usageStore ?? new SqliteUsageStore(config.usageDb ?? ':memory:'),
    now,
    ...(dependencies.usageFlushIntervalMs === undefined ? {} : { flushIntervalMs: dependencies.usageFlushIntervalMs }),
    onFlushError: (error) => logger.error({ error: (error as Error).message }, 'usage counts could not be written; kept for the next attempt'),
  });
  ledger.start();
  const keys = { ring: () => keyRing, limiter: dependencies.keyLimiter ?? new LocalKeyLimiter(), ledger };
  const queueWaits = new QueueWaits(now);
  const pipeline: GenerationPipeline = {
    scheduler,
    memory,
    upstreams: new PoolUpstreams(pool, metrics),
    metrics,
    now,
    retryPolicy: () => config.retries,
    noteQueued: (model) => queueWaits.enter(model),
    ...(dependencies.tracer ? { tracer: dependencies.tracer } : {}),
  };
  const cache = createResponseCache(config.cache, metrics.registry, now, dependencies.cacheStore);
  const services: GatewayServices = { getConfig, catalog, scheduler, pipeline, ollama, pool, metrics, keys, logger, now, isDraining: () => draining, ...(cache ? { cache } : {}) };
  const health: GatewayHealth = {
    async start() {
      await pool.start();
      const unreachable = pool.nodes.filter((node) => node.health.snapshot.healthy !== true);
      return { ready: pool.isReady(), unreachable: unreachable.map((node) => ({ name: node.name, url: node.url, error: node.health.snapshot.lastError })) };
    },
    check: () => pool.checkAll(),
    stop: () => pool.stop(),
  };

  const statusFeed = createStatusFeed(
    services,
    { pulls, runningModels: { read: () => memory.readLoaded() }, queueWaits, ...(dependencies.isRedisConnected ? { isRedisConnected: dependencies.isRedisConnected } : {}), ...(dependencies.isRedisDegraded ? { isRedisDegraded: dependencies.isRedisDegraded } : {}) },
    dependencies.statusHistoryIntervalMs === undefined ? {} : { historyIntervalMs: dependencies.statusHistoryIntervalMs },
  );
  const responsesStore = dependencies.responsesStore ?? new MemoryResponsesStore({ limits: readStoreLimits(getConfig) });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestContextMiddleware(now));
  const inFlight = new Set<GenerationContext>();
  app.use((_req, res, next) => {
    const context = contextOf(res);
    inFlight.add(context);
    res.once('close', () => inFlight.delete(context));
    next();
  });
  // Before anything else answers: a page on another site must not reach a loopback gateway by DNS rebinding.
  app.use(hostGuard(() => ({ listenHost: dependencies.listenHost ?? config.listen.host, allowedHosts: config.allowedHosts })));
  app.use(helmet(apiHelmetOptions));
  app.use(observeRequest(services));
  app.use(noteRecentErrors(statusFeed.recentErrors, now));
  app.use(corsMiddleware(() => config.corsOrigins));
  // The API description, Swagger UI and the status page (not its data) are public, so they come before the key check.
  app.use(docsRouter());
  app.use(statusPageRouter());
  // With METRICS_TOKEN set, the scraper authenticates with that token instead of an API key.
  app.use(authenticateKey(() => keyRing, (path) => path === '/metrics' && config.metricsToken !== undefined));
  app.use(countKeyUsage(services));
  const json = jsonBodyParser({ limitBytes: config.bodyLimitBytes, maxDepth: () => config.maxJsonDepth });

  app.get('/', rootHandler());
  app.get('/healthz', healthzHandler());
  app.get('/readyz', readyzHandler(services));
  app.get('/metrics', metricsHandler(services));
  app.post('/v1/chat/completions', json, chatCompletionsHandler(services));
  app.post('/v1/completions', json, completionsHandler(services));
  app.post('/v1/embeddings', json, embeddingsHandler(services));
  app.post('/v1/responses', json, createResponseHandler(services, responsesStore));
  app.get('/v1/responses/:id', retrieveResponseHandler(responsesStore));
  app.get('/v1/responses/:id/input_items', listInputItemsHandler(responsesStore));
  app.delete('/v1/responses/:id', deleteResponseHandler(responsesStore));
  app.post('/v1/messages', json, anthropicMessagesHandler(services));
  app.post('/v1/messages/count_tokens', json, anthropicCountTokensHandler(services));
  app.get('/v1/models', listModelsHandler(services));
  app.get('/v1/models/*model', retrieveModelHandler(services));
  // Sidecar routes and Ollama's native API; `/api/*` bodies are parsed only where needed.
  app.get('/v1/status', statusHandler(statusFeed.readStatus));
  app.get('/v1/status/stream', statusStreamHandler(statusFeed.broadcaster));
  app.get('/v1/usage', usageHandler(services));
  app.post('/v1/llm/*model/pull', json, llmPullHandler(services, pulls));
  app.post('/v1/llm/*model', json, llmGenerateHandler(services));
  const passthrough = createOllamaPassthrough(services, { onStoreChanged: () => catalog.invalidate(), pulls });
  for (const path of PASSTHROUGH_GENERATION_PATHS) app.post(path, json, passthrough.generation);
  app.post('/api/pull', json, passthrough.store);
  for (const path of PASSTHROUGH_STORE_PATHS.filter((path) => path !== '/api/pull')) app.all(path, passthrough.store);
  // Several Ollama nodes list their union; a key limited to some models sees only those in Ollama's own lists too.
  app.get('/api/tags', ollamaUnionListingHandler(services, '/api/tags'));
  app.get('/api/ps', ollamaUnionListingHandler(services, '/api/ps'));
  app.post('/api/show', ollamaShowOnNode(services, json));
  app.all('/api/*rest', passthrough.forward);

  app.use(methodOrRouteNotFound(app));
  app.use(errorMiddleware);

  return {
    app,
    services,
    health,
    reload(next, nextKeys) {
      keyRing = nextKeys ?? buildKeyRing(next);
      config = next;
      policies = new ModelPolicies(next);
      scheduler.applyLimits();
      // added nodes join after their first check, removed ones finish their requests and leave; the
      // model list is then the new nodes' union at once
      pool.apply(next).then(() => catalog.invalidate()).catch((error: unknown) => logger.error({ error: (error as Error).message }, 'applying the upstream list failed'));
      logger.info('configuration reloaded');
    },
    async drain(timeoutMs) {
      draining = true;
      scheduler.drain();
      const idle = scheduler.whenIdle().then(() => true);
      const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, timeoutMs, false).unref());
      return Promise.race([idle, timeout]);
    },
    abortInFlight(error) {
      scheduler.rejectAll(error);
      for (const context of inFlight) context.abort.abort(error);
    },
    async close() {
      statusFeed.close();
      pool.stop();
      pulls.close();
      monitor?.stop();
      scheduler.close();
      await ledger.close();
      await responsesStore.close();
      await pool.close();
    },
  };
}

/** A JSON/SSE API needs no CSP beyond "load nothing"; the docs page sets its own. */
const apiHelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'cross-origin' as const },
};

/** Unknown paths answer 404 and known paths with another method 405, both in OpenAI's error shape. */
function methodOrRouteNotFound(app: Express): RequestHandler {
  return (req, _res, next) => {
    const router = (app as unknown as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> }; match?: (path: string) => boolean }> } }).router;
    const allowed = router.stack.filter((layer) => layer.route !== undefined && layer.match?.(req.path)).flatMap((layer) => Object.keys(layer.route!.methods));
    if (allowed.length > 0) {
      _res.setHeader('allow', [...new Set(allowed.map((method) => method.toUpperCase()))].join(', '));
      return next(gatewayError('method_not_allowed', `Method ${req.method} is not allowed on ${req.path}.`));
    }
    next(notFound(`Unknown request URL: ${req.method} ${req.path}.`, 'unknown_url'));
  };
}
