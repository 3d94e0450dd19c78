import { availableParallelism, freemem, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Request, Response } from 'express';
import type { Config } from '../../config/config-schema.ts';
import { describeKeys } from '../../keys/describe-keys.ts';
import type { RunningModel, RunningModels } from '../../models/model-memory-readings.ts';
import type { ActivePull, PullCoordinator } from '../../models/pull-coordinator.ts';
import { canonicalModelName, modelKey } from '../../config/model-key.ts';
import { gatewayVersion } from '../../observability/gateway-version.ts';
import type { OllamaTag } from '../../ollama/wire.ts';
import type { ModelStatus, ResourcesStatus, StatusResponse } from '../../openai/sidecar-status-response.ts';
import type { ModelSnapshot } from '../../scheduler/model-lane.ts';
import { resolveModelLimits } from '../../scheduler/model-limits.ts';
import { readContainerReadings } from '../../scheduler/resource-readings.ts';
import type { SchedulerSnapshot } from '../../scheduler/scheduler.ts';
import { describeModelNodes, describeUpstreams } from '../describe-upstream-status.ts';
import type { QueueWaits } from '../../status/queue-waits.ts';
import { createLastKnownReader, type LastKnown } from '../../status/read-last-known.ts';
import type { GatewayServices } from '../gateway-services.ts';

export interface StatusDeps {
  pulls: PullCoordinator;
  /** What the Ollama nodes have loaded (their `/api/ps`, cached briefly). */
  runningModels: Pick<RunningModels, 'read'>;
  /** How long each model's oldest queued request has waited. */
  queueWaits?: QueueWaits;
  /** Whether the shared-limits Redis answers; omitted when the app does not use Redis. */
  isRedisConnected?: () => boolean;
  /** Whether the replica serves under local limits while Redis is away. */
  isRedisDegraded?: () => boolean;
}


/**
 * Builds the body of `GET /v1/status` (and of each status stream event): the gateway's version and
 * uptime, the upstream's last health check, each model (configured, in `/api/tags`, loaded in
 * `/api/ps`, aliases, limits, counts, latency), the host's resources and Redis. Cheap and never slow:
 * Ollama's lists come from short-lived caches, and while a cache refresh waits on a slow Ollama the
 * status answers from the last lists it had.
 */
export function createStatusReader(services: GatewayServices, deps: StatusDeps): () => Promise<StatusResponse> {
  const startedAt = services.now();
  const eventLoopDelay = monitorEventLoopDelay({ resolution: 20 });
  eventLoopDelay.enable();
  const readTags = createLastKnownReader(() => services.catalog.list());
  const readRunning = createLastKnownReader(() => deps.runningModels.read());
  return async () => {
    const config = services.getConfig();
    const errors: string[] = [];
    const [tags, running] = await Promise.all([readTags(), readRunning()]).then(([tagsRead, runningRead]) => [
      valueNotingError(errors, 'model list (/api/tags)', tagsRead),
      valueNotingError(errors, 'loaded models (/api/ps)', runningRead),
    ] as const);
    const scheduler = services.scheduler.snapshot();
    const body: StatusResponse = {
      version: gatewayVersion,
      started_at: new Date(startedAt).toISOString(),
      uptime_s: Math.round((services.now() - startedAt) / 1000),
      draining: services.isDraining(),
      upstreams: describeUpstreams(services.pool, scheduler),
      models: describeModels(config, tags, running, scheduler, deps.pulls.active(), deps.queueWaits).map((model) => ({ ...model, nodes: describeModelNodes(services.pool, scheduler, model.name) })),
      errors,
      in_flight: scheduler.inFlight,
      queued: scheduler.queued,
      resources: describeResources(scheduler, eventLoopDelay),
      redis: { configured: config.redisUrl !== undefined, connected: deps.isRedisConnected?.() ?? (config.redisUrl === undefined ? false : null), degraded: deps.isRedisDegraded?.() ?? false },
      keys: await describeKeys(services.keys).catch((error: unknown) => {
        errors.push(`Cannot read the usage counts of the keys: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      }),
    };
    eventLoopDelay.reset();
    return body;
  };
}

/** `GET /v1/status`. */
export function statusHandler(readStatus: () => Promise<StatusResponse>) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.json(await readStatus());
  };
}

/** The value read (possibly from before a failed refresh), noting the failure for the status's `errors`. */
function valueNotingError<T>(errors: string[], what: string, read: LastKnown<T>): T | undefined {
  if (read.error !== undefined) errors.push(`Cannot read Ollama's ${what}: ${read.error instanceof Error ? read.error.message : JSON.stringify(read.error)}`);
  return read.value;
}

/** Every model the gateway knows of: configured, alias targets, in Ollama's lists, or with traffic. */
function describeModels(
  config: Config,
  tags: OllamaTag[] | undefined,
  running: RunningModel[] | undefined,
  scheduler: SchedulerSnapshot,
  pulls: ActivePull[],
  queueWaits: QueueWaits | undefined,
): Array<Omit<ModelStatus, 'nodes'>> {
  const names = new Map<string, string>();
  const add = (name: string): void => {
    const key = modelKey(name);
    if (!names.has(key)) names.set(key, canonicalModelName(name));
  };
  // Ollama's spelling first, so a listed model is reported the way Ollama lists it.
  for (const tag of tags ?? []) add(tag.name);
  for (const model of running ?? []) add(model.name);
  for (const name of [...Object.keys(config.models), ...Object.values(config.aliases), ...Object.keys(scheduler.models)]) add(name);
  for (const pull of pulls) add(pull.model);
  const tagKeys = new Set((tags ?? []).map((tag) => modelKey(tag.name)));
  const configuredKeys = new Set(Object.keys(config.models).map(modelKey));
  return [...names].map(([key, name]) => {
    const lane = findByKey(scheduler.models, key);
    const loaded = running?.find((model) => modelKey(model.name) === key);
    const pull = pulls.find((candidate) => modelKey(candidate.model) === key);
    const limits = lane?.limits ?? resolveModelLimits(config, name);
    return {
      name,
      configured: configuredKeys.has(key),
      available: tags === undefined ? null : tagKeys.has(key),
      loaded:
        loaded === undefined
          ? null
          : { size_bytes: loaded.size ?? null, vram_bytes: loaded.size_vram ?? null, expires_at: loaded.expires_at ?? null, context_length: loaded.context_length ?? null },
      aliases: Object.entries(config.aliases).filter(([, target]) => modelKey(target) === key).map(([alias]) => alias),
      limits: {
        max_concurrent: limits.maxConcurrent,
        max_queue: limits.maxQueue,
        queue_timeout_ms: limits.queueTimeoutMs,
        reservoir: limits.reservoir === null ? null : { amount: limits.reservoir.amount, refresh_interval_ms: limits.reservoir.refreshIntervalMs },
      },
      reservoir_left: lane?.reservoirLeft ?? limits.reservoir?.amount ?? null,
      active: lane?.active ?? 0,
      queued: lane?.queued ?? 0,
      oldest_wait_ms: queueWaits?.oldestWaitMs(name) ?? null,
      served: lane?.served ?? 0,
      rejected: lane?.rejected ?? {},
      average_latency_ms: lane === undefined || lane.served === 0 ? null : Math.round(lane.averageServiceMs * 100) / 100,
      p95_latency_ms: lane?.p95ServiceMs == null ? null : Math.round(lane.p95ServiceMs * 100) / 100,
      pulling: pull === undefined ? null : { status: pull.progress?.status ?? 'starting', percent: pull.progress?.percent ?? null, waiting: pull.waiting, started_at: pull.startedAt },
    };
  });
}

function findByKey(models: Record<string, ModelSnapshot>, key: string): ModelSnapshot | undefined {
  for (const [name, snapshot] of Object.entries(models)) if (modelKey(name) === key) return snapshot;
  return undefined;
}

function describeResources(scheduler: SchedulerSnapshot, eventLoopDelay: ReturnType<typeof monitorEventLoopDelay>): ResourcesStatus {
  const container = readContainerReadings('/');
  const toMs = (ns: number): number => (Number.isFinite(ns) ? Math.round(ns / 1e4) / 100 : 0);
  return {
    host_memory: { total_bytes: totalmem(), available_bytes: container.hostAvailableMemoryBytes ?? freemem() },
    cgroup_memory: { limit_bytes: container.cgroupMemoryLimitBytes, usage_bytes: container.cgroupMemoryUsageBytes },
    cpu_quota: container.cpuQuota,
    cpus: availableParallelism(),
    load_average: loadavg().map((value) => Math.round(value * 100) / 100),
    event_loop_delay_ms: { mean: toMs(eventLoopDelay.mean), p99: toMs(eventLoopDelay.percentile(99)), max: toMs(eventLoopDelay.max) },
    admission_paused: scheduler.paused,
    pause_reasons: scheduler.resources?.reasons ?? [],
  };
}
