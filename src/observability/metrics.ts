import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SchedulerSnapshot } from '../scheduler/scheduler-types.ts';
import { createModelLimitGauges } from './model-limit-gauges.ts';

/** Seconds: from 5 ms to 10 minutes, for whole requests. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];
/** Seconds: finer, for time to first token and queue wait. */
const SHORT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

const PREFIX = 'llm_sidecar_';

/**
 * prom-client's defaults that are gauges named `_total`, which Prometheus reserves for counters
 * (`promtool check metrics` rejects them). Each is the sum of its `{type}` sibling, which stays.
 */
const MISNAMED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** Every metric of the gateway, on a registry owned by one app instance. */
export interface GatewayMetrics {
  registry: Registry;
  requestsTotal: Counter<'model' | 'route' | 'status'>;
  /** `status` is the class (`2xx`, `4xx`, `5xx`), so series stay bounded. */
  requestDuration: Histogram<'model' | 'route' | 'status'>;
  timeToFirstToken: Histogram<'model'>;
  queueWait: Histogram<'model'>;
  /** Read from the scheduler at each scrape once `trackScheduler` was called. */
  activeRequests: Gauge<'model'>;
  /** Read from the scheduler at each scrape once `trackScheduler` was called. */
  queuedRequests: Gauge<'model'>;
  tokensTotal: Counter<'model' | 'kind'>;
  /** Read from the scheduler's per-model counts at each scrape once `trackScheduler` was called: do not increment it elsewhere. */
  rejectedRequests: Counter<'model' | 'reason'>;
  /** Counts a rejection decided outside the scheduler (e.g. a key's model scope) in `rejected_requests_total`. */
  countRejection(model: string, reason: string): void;
  /** Requests of each API key (its configured name), by model and status. */
  keyRequests: Counter<'key' | 'model' | 'status'>;
  /** Tokens of each API key (its configured name), by model and kind. */
  keyTokens: Counter<'key' | 'model' | 'kind'>;
  upstreamErrors: Counter<'upstream' | 'reason'>;
  upstreamUp: Gauge<'upstream'>;
  modelPulls: Counter<'model' | 'result'>;
  /**
   * Makes every scrape read `readSnapshot()` for the scheduler-owned series: active and queued
   * requests, rejections, admission paused, and the resource monitor's readings.
   */
  trackScheduler(readSnapshot: () => SchedulerSnapshot): void;
}

/** Creates the metrics on a fresh registry (or the given one), with Node's default process metrics. */
export function createMetrics(registry: Registry = new Registry()): GatewayMetrics {
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  for (const name of MISNAMED_DEFAULT_METRICS) registry.removeSingleMetric(PREFIX + name);
  let readSnapshot: (() => SchedulerSnapshot) | undefined;
  const registers = [registry];
  const otherRejections = new Map<string, { model: string; reason: string; count: number }>();

  const activeRequests: Gauge<'model'> = new Gauge({
    name: `${PREFIX}active_requests`,
    help: 'Requests holding a slot of the model now.',
    labelNames: ['model'],
    registers,
    collect: (): void => setPerModel(activeRequests, readSnapshot?.(), (model) => model.active),
  });
  const queuedRequests: Gauge<'model'> = new Gauge({
    name: `${PREFIX}queued_requests`,
    help: 'Requests waiting for a slot of the model now.',
    labelNames: ['model'],
    registers,
    collect: (): void => setPerModel(queuedRequests, readSnapshot?.(), (model) => model.queued),
  });
  const rejectedRequests: Counter<'model' | 'reason'> = new Counter({
    name: `${PREFIX}rejected_requests_total`,
    help: 'Requests turned away or ended by traffic control, by reason (queue_full, queue_timeout, overloaded, draining, aborted, redis_unavailable, ended, scope).',
    labelNames: ['model', 'reason'],
    registers,
    collect: (): void => {
      copyRejections(rejectedRequests, readSnapshot?.());
      for (const { model, reason, count } of otherRejections.values()) rejectedRequests.inc({ model, reason }, count);
    },
  });
  createResourceGauges(registers, () => readSnapshot?.());
  createModelLimitGauges(PREFIX, registers, () => readSnapshot?.());

  return {
    registry,
    requestsTotal: new Counter({ name: `${PREFIX}requests_total`, help: 'Requests answered, by model, route and HTTP status.', labelNames: ['model', 'route', 'status'], registers }),
    requestDuration: new Histogram({ name: `${PREFIX}request_duration_seconds`, help: 'Time from request to the end of the response, queue included, by status class (2xx, 4xx, 5xx).', labelNames: ['model', 'route', 'status'], buckets: DURATION_BUCKETS, registers }),
    timeToFirstToken: new Histogram({ name: `${PREFIX}time_to_first_token_seconds`, help: 'Time from when the request got its slot to the first generated token sent to the client (queue wait excluded; non-streamed answers: derived from Ollama timings).', labelNames: ['model'], buckets: SHORT_BUCKETS, registers }),
    queueWait: new Histogram({ name: `${PREFIX}queue_wait_seconds`, help: 'Time spent waiting for a slot of the model.', labelNames: ['model'], buckets: SHORT_BUCKETS, registers }),
    activeRequests,
    queuedRequests,
    tokensTotal: new Counter({ name: `${PREFIX}tokens_total`, help: 'Tokens processed, by kind (prompt or completion).', labelNames: ['model', 'kind'], registers }),
    rejectedRequests,
    countRejection(model, reason) {
      const id = `${model}\u0000${reason}`;
      const entry = otherRejections.get(id) ?? { model, reason, count: 0 };
      entry.count += 1;
      otherRejections.set(id, entry);
    },
    keyRequests: new Counter({ name: `${PREFIX}key_requests_total`, help: 'Requests answered per API key (configured name), by model and HTTP status.', labelNames: ['key', 'model', 'status'], registers }),
    keyTokens: new Counter({ name: `${PREFIX}key_tokens_total`, help: 'Tokens processed per API key (configured name), by model and kind (prompt or completion).', labelNames: ['key', 'model', 'kind'], registers }),
    upstreamErrors: new Counter({ name: `${PREFIX}upstream_errors_total`, help: 'Failures talking to an upstream, by reason.', labelNames: ['upstream', 'reason'], registers }),
    upstreamUp: new Gauge({ name: `${PREFIX}upstream_up`, help: '1 when the upstream answered its last health check, else 0.', labelNames: ['upstream'], registers }),
    modelPulls: new Counter({ name: `${PREFIX}model_pulls_total`, help: 'Model pulls, by result.', labelNames: ['model', 'result'], registers }),
    trackScheduler(reader) {
      readSnapshot = reader;
    },
  };
}

type ModelReading = SchedulerSnapshot['models'][string];

/** Replaces the gauge's series with one per model the scheduler knows (models it dropped disappear). */
function setPerModel(gauge: Gauge<'model'>, snapshot: SchedulerSnapshot | undefined, pick: (model: ModelReading) => number): void {
  if (snapshot === undefined) return;
  gauge.reset();
  for (const [model, reading] of Object.entries(snapshot.models)) gauge.set({ model }, pick(reading));
}

/** The scheduler keeps cumulative counts per model and reason; the counter mirrors them. */
function copyRejections(counter: Counter<'model' | 'reason'>, snapshot: SchedulerSnapshot | undefined): void {
  counter.reset();
  if (snapshot === undefined) return;
  for (const [model, reading] of Object.entries(snapshot.models)) {
    for (const [reason, count] of Object.entries(reading.rejected)) if (count > 0) counter.inc({ model, reason }, count);
  }
}

/** Admission state and the resource monitor's last readings; a reading the host cannot give has no sample. */
function createResourceGauges(registers: Registry[], readSnapshot: () => SchedulerSnapshot | undefined): void {
  const gaugeOf = (name: string, help: string, read: (snapshot: SchedulerSnapshot) => number | null | undefined): void => {
    const gauge: Gauge = new Gauge({
      name: PREFIX + name,
      help,
      registers,
      collect: () => {
        const snapshot = readSnapshot();
        const value = snapshot === undefined ? undefined : read(snapshot);
        // prom-client gives a gauge without labels a 0 it never had: an unknown reading has no sample instead.
        if (value === null || value === undefined) gauge.remove();
        else gauge.set(value);
      },
    });
  };
  const readings = (snapshot: SchedulerSnapshot) => snapshot.resources?.readings ?? null;
  gaugeOf('admission_paused', '1 while the resource monitor holds new work in its queues, else 0.', (snapshot) => (snapshot.paused ? 1 : 0));
  gaugeOf('host_memory_available_bytes', 'Memory the host can give without swapping (MemAvailable).', (snapshot) => readings(snapshot)?.hostAvailableMemoryBytes);
  gaugeOf('cgroup_memory_limit_bytes', "The container's memory limit; absent when unlimited.", (snapshot) => readings(snapshot)?.cgroupMemoryLimitBytes);
  gaugeOf('cgroup_memory_usage_bytes', "The container's memory use.", (snapshot) => readings(snapshot)?.cgroupMemoryUsageBytes);
  gaugeOf('cpu_quota_cores', 'CPUs the cgroup quota allows, or the host CPU count when unlimited.', (snapshot) => readings(snapshot)?.cpuCount);
  gaugeOf('load_average_1m', 'One-minute load average of the host.', (snapshot) => readings(snapshot)?.loadAverage);
  gaugeOf('event_loop_delay_seconds', 'Mean event loop delay over the resource monitor\'s last sampling period.', (snapshot) => {
    const delayMs = readings(snapshot)?.eventLoopDelayMs;
    return delayMs === undefined ? undefined : delayMs / 1000;
  });
}
