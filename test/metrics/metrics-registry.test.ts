import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMetrics } from '../../src/observability/metrics.ts';
import type { ModelSnapshot, RejectReason } from '../../src/scheduler/model-lane.ts';
import type { SchedulerSnapshot } from '../../src/scheduler/scheduler-types.ts';

const noRejections: Record<RejectReason, number> = { queue_full: 0, queue_timeout: 0, overloaded: 0, draining: 0, aborted: 0, redis_unavailable: 0, ended: 0 };

function laneOf(active: number, queued: number, rejected: Partial<Record<RejectReason, number>> = {}): ModelSnapshot {
  return {
    limits: { maxConcurrent: 2, maxQueue: 10, queueTimeoutMs: 60_000, reservoir: null, memoryCostBytes: 0 },
    active,
    queued,
    served: 0,
    rejected: { ...noRejections, ...rejected },
    averageServiceMs: 0,
    p95ServiceMs: null,
    reservoirLeft: null,
  };
}

function snapshotOf(models: Record<string, ModelSnapshot>, overrides: Partial<SchedulerSnapshot> = {}): SchedulerSnapshot {
  return { models, inFlight: 0, inFlightByNode: {}, queued: 0, queuedBytes: 0, draining: false, paused: false, resources: null, ...overrides };
}

/** `name{labels} value` lines of one metric, as a map from the label text to the value. */
function samplesOf(exposition: string, name: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of exposition.split('\n')) {
    const match = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name) samples.set(match[2] ?? '', Number(match[3]));
  }
  return samples;
}

describe('createMetrics', () => {
  test('has every metric of DESIGN.md with its type', async () => {
    const exposition = await createMetrics().registry.metrics();
    const types = new Map([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1]!, match[2]!]));
    const expected: Record<string, string> = {
      llm_sidecar_requests_total: 'counter',
      llm_sidecar_request_duration_seconds: 'histogram',
      llm_sidecar_time_to_first_token_seconds: 'histogram',
      llm_sidecar_queue_wait_seconds: 'histogram',
      llm_sidecar_active_requests: 'gauge',
      llm_sidecar_queued_requests: 'gauge',
      llm_sidecar_tokens_total: 'counter',
      llm_sidecar_rejected_requests_total: 'counter',
      llm_sidecar_upstream_errors_total: 'counter',
      llm_sidecar_upstream_up: 'gauge',
      llm_sidecar_model_pulls_total: 'counter',
      llm_sidecar_admission_paused: 'gauge',
      llm_sidecar_model_max_concurrent: 'gauge',
      llm_sidecar_model_max_queue: 'gauge',
      llm_sidecar_process_cpu_seconds_total: 'counter',
      llm_sidecar_process_resident_memory_bytes: 'gauge',
      llm_sidecar_nodejs_active_handles: 'gauge',
    };
    for (const [name, type] of Object.entries(expected)) assert.equal(types.get(name), type, name);
  });

  test('only counters end in _total: the misnamed default gauges are gone', async () => {
    const exposition = await createMetrics().registry.metrics();
    const misnamed = [...exposition.matchAll(/^# TYPE (\S+_total) (\S+)$/gm)].filter((match) => match[2] !== 'counter').map((match) => match[1]);
    assert.deepEqual(misnamed, []);
  });

  test('durations span 5 ms to 10 minutes; first token and queue wait start finer', async () => {
    const metrics = createMetrics();
    metrics.requestDuration.observe({ model: 'm', route: '/r', status: '2xx' }, 1);
    metrics.timeToFirstToken.observe({ model: 'm' }, 1);
    const exposition = await metrics.registry.metrics();
    const bounds = (name: string): number[] => [...samplesOf(exposition, `${name}_bucket`).keys()].map((labels) => /le="([^"]+)"/.exec(labels)![1]!).filter((le) => le !== '+Inf').map(Number);
    const duration = bounds('llm_sidecar_request_duration_seconds');
    assert.equal(duration[0], 0.005);
    assert.equal(duration.at(-1), 600);
    assert.ok(bounds('llm_sidecar_time_to_first_token_seconds')[0]! < 0.005);
  });

  test('without trackScheduler the scheduler gauges have no samples', async () => {
    const exposition = await createMetrics().registry.metrics();
    assert.equal(samplesOf(exposition, 'llm_sidecar_active_requests').size, 0);
    assert.equal(samplesOf(exposition, 'llm_sidecar_admission_paused').size, 0);
  });

  test('trackScheduler: each scrape reads active, queued, rejections, admission and resources', async () => {
    const metrics = createMetrics();
    let snapshot = snapshotOf(
      { 'llama3.2:latest': laneOf(2, 5, { queue_full: 3, aborted: 1 }), 'qwen3:latest': laneOf(0, 0) },
      {
        paused: true,
        resources: {
          paused: true,
          reasons: ['memory'],
          readings: { hostAvailableMemoryBytes: 1024, cgroupMemoryLimitBytes: null, cgroupMemoryUsageBytes: 512, cpuCount: 2, loadAverage: 0.5, eventLoopDelayMs: 20 },
        },
      },
    );
    metrics.trackScheduler(() => snapshot);
    let exposition = await metrics.registry.metrics();
    assert.deepEqual(samplesOf(exposition, 'llm_sidecar_active_requests'), new Map([['{model="llama3.2:latest"}', 2], ['{model="qwen3:latest"}', 0]]));
    assert.deepEqual(samplesOf(exposition, 'llm_sidecar_queued_requests').get('{model="llama3.2:latest"}'), 5);
    assert.equal(samplesOf(exposition, 'llm_sidecar_model_max_concurrent').get('{model="llama3.2:latest"}'), 2);
    assert.equal(samplesOf(exposition, 'llm_sidecar_model_max_queue').get('{model="qwen3:latest"}'), 10);
    assert.deepEqual(
      samplesOf(exposition, 'llm_sidecar_rejected_requests_total'),
      new Map([['{model="llama3.2:latest",reason="queue_full"}', 3], ['{model="llama3.2:latest",reason="aborted"}', 1]]),
    );
    assert.equal(samplesOf(exposition, 'llm_sidecar_admission_paused').get(''), 1);
    assert.deepEqual(samplesOf(exposition, 'llm_sidecar_model_max_concurrent'), new Map([['{model="llama3.2:latest"}', 2], ['{model="qwen3:latest"}', 2]]));
    assert.equal(samplesOf(exposition, 'llm_sidecar_model_max_queue').get('{model="qwen3:latest"}'), 10);
    assert.equal(samplesOf(exposition, 'llm_sidecar_host_memory_available_bytes').get(''), 1024);
    assert.equal(samplesOf(exposition, 'llm_sidecar_cgroup_memory_limit_bytes').size, 0, 'an unlimited cgroup has no sample');
    assert.equal(samplesOf(exposition, 'llm_sidecar_cgroup_memory_usage_bytes').get(''), 512);
    assert.equal(samplesOf(exposition, 'llm_sidecar_cpu_quota_cores').get(''), 2);
    assert.equal(samplesOf(exposition, 'llm_sidecar_load_average_1m').get(''), 0.5);
    assert.equal(samplesOf(exposition, 'llm_sidecar_event_loop_delay_seconds').get(''), 0.02);

    // The next scrape sees the new state: a model the scheduler dropped leaves no stale series.
    snapshot = snapshotOf({ 'llama3.2:latest': laneOf(1, 0, { queue_full: 4, aborted: 1 }) });
    exposition = await metrics.registry.metrics();
    assert.deepEqual(samplesOf(exposition, 'llm_sidecar_active_requests'), new Map([['{model="llama3.2:latest"}', 1]]));
    assert.equal(samplesOf(exposition, 'llm_sidecar_rejected_requests_total').get('{model="llama3.2:latest",reason="queue_full"}'), 4);
    assert.equal(samplesOf(exposition, 'llm_sidecar_admission_paused').get(''), 0);
    assert.equal(samplesOf(exposition, 'llm_sidecar_host_memory_available_bytes').size, 0, 'no readings, no sample');
  });

  test('two apps in one process keep separate registries', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.requestsTotal.inc({ model: 'm', route: '/r', status: '200' });
    assert.match(await first.registry.metrics(), /llm_sidecar_requests_total\{model="m",route="\/r",status="200"\} 1/);
    assert.doesNotMatch(await second.registry.metrics(), /llm_sidecar_requests_total\{/);
  });
});
