import type { ModelStatus, StatusResponse } from '../openai/sidecar-status-response.ts';
import type { SchedulerSnapshot } from '../scheduler/scheduler.ts';
import type { UpstreamPool } from '../upstreams/upstream-pool.ts';

/** `/v1/status` `upstreams`: one entry per node of the pool. */
export function describeUpstreams(pool: UpstreamPool, scheduler: SchedulerSnapshot): StatusResponse['upstreams'] {
  return pool.nodes.map((node) => {
    const state = node.health.snapshot;
    const isoOrNull = (epochMs: number | null): string | null => (epochMs === null ? null : new Date(epochMs).toISOString());
    return {
      name: node.name,
      kind: node.kind,
      url: node.url,
      reachable: state.healthy === true,
      version: state.version,
      round_trip_ms: state.roundTripMs,
      last_error: state.lastError,
      checked_at: isoOrNull(state.lastCheckAt),
      busy_until: state.busyUntil !== null && state.busyUntil > Date.now() ? isoOrNull(state.busyUntil) : null,
      in_flight: scheduler.inFlightByNode[node.name] ?? 0,
      budget: node.budget,
      models_available: node.inventory.tags.map((tag) => tag.name),
      models_loaded: node.inventory.loadedModels(),
    };
  });
}

/** A model's `nodes`: those that have it, with its requests running there. */
export function describeModelNodes(pool: UpstreamPool, scheduler: SchedulerSnapshot, model: string): ModelStatus['nodes'] {
  const byNode = scheduler.models[model]?.activeByNode ?? {};
  return pool.nodes
    .filter((node) => node.inventory.has(model))
    .map((node) => ({ name: node.name, active: byNode[node.name] ?? 0, loaded: node.inventory.isLoaded(model) }));
}
