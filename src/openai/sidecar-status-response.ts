/** The body of `GET /v1/status`: the gateway, its upstream, every model it knows, and the host. */
import { z } from 'zod';
import { keyStatusSchema } from '../keys/describe-keys.ts';

/** One node of the pool. */
const upstreamStatusSchema = z.object({
  name: z.string(),
  kind: z.enum(['ollama', 'openai']),
  url: z.string(),
  /** Answered its last check (or request); false before the first one. */
  reachable: z.boolean(),
  /** Ollama's version at the last health check. */
  version: z.string().nullable(),
  round_trip_ms: z.number().nullable(),
  last_error: z.string().nullable(),
  checked_at: z.string().nullable(),
  /** Skipped for new work until then after a 503 "server busy". */
  busy_until: z.string().nullable(),
  in_flight: z.number(),
  /** The node's `maxConcurrent` (all models together); null: none. */
  budget: z.number().nullable(),
  models_available: z.array(z.string()),
  models_loaded: z.array(z.string()),
});

const loadedModelSchema = z.object({
  size_bytes: z.number().nullable(),
  vram_bytes: z.number().nullable(),
  expires_at: z.string().nullable(),
  context_length: z.number().nullable(),
});

const modelLimitsStatusSchema = z.object({
  max_concurrent: z.number(),
  max_queue: z.number(),
  queue_timeout_ms: z.number(),
  /** Requests per refill of the rate reservoir, when the model has one. */
  reservoir: z.object({ amount: z.number(), refresh_interval_ms: z.number() }).nullable(),
});

const modelStatusSchema = z.object({
  /** Ollama's canonical name; limits, metrics and status are keyed by it. */
  name: z.string(),
  /** Listed under `models` in the gateway's config. */
  configured: z.boolean(),
  /** In Ollama's `/api/tags`; null when the list could not be read. */
  available: z.boolean().nullable(),
  /** In Ollama's `/api/ps` now; null when not loaded. */
  loaded: loadedModelSchema.nullable(),
  aliases: z.array(z.string()),
  limits: modelLimitsStatusSchema,
  /**
   * Requests the rate reservoir lets start in its current window, now (null without a reservoir).
   * This replica's reservoir: with Redis the shared token bucket applies too and is not counted here.
   */
  reservoir_left: z.number().nullable(),
  active: z.number(),
  queued: z.number(),
  /** How long the request that has waited longest in the queue has waited; null when none waits. */
  oldest_wait_ms: z.number().nullable(),
  served: z.number(),
  rejected: z.record(z.string(), z.number()),
  average_latency_ms: z.number().nullable(),
  p95_latency_ms: z.number().nullable(),
  /** A pull of this model under way. */
  pulling: z.object({ status: z.string(), percent: z.number().nullable(), waiting: z.number(), started_at: z.string() }).nullable(),
  /** The nodes that have the model, with its requests running on each. */
  nodes: z.array(z.object({ name: z.string(), active: z.number(), loaded: z.boolean() })),
});

const resourcesStatusSchema = z.object({
  host_memory: z.object({ total_bytes: z.number(), available_bytes: z.number().nullable() }),
  cgroup_memory: z.object({ limit_bytes: z.number().nullable(), usage_bytes: z.number().nullable() }),
  /** CPUs allowed by the cgroup quota, null when unlimited. */
  cpu_quota: z.number().nullable(),
  cpus: z.number(),
  load_average: z.array(z.number()),
  /** Event-loop delay since the previous status request. */
  event_loop_delay_ms: z.object({ mean: z.number(), p99: z.number(), max: z.number() }),
  admission_paused: z.boolean(),
  pause_reasons: z.array(z.string()),
});

export const statusResponseSchema = z.object({
  version: z.string(),
  started_at: z.string(),
  uptime_s: z.number(),
  draining: z.boolean(),
  upstreams: z.array(upstreamStatusSchema),
  models: z.array(modelStatusSchema),
  /** Problems reading Ollama's lists; the rest of the status is still current. */
  errors: z.array(z.string()),
  in_flight: z.number(),
  queued: z.number(),
  resources: resourcesStatusSchema,
  /** `degraded`: Redis is away and this replica serves under its share of the shared limits. */
  redis: z.object({ configured: z.boolean(), connected: z.boolean().nullable(), degraded: z.boolean() }),
  /** The API keys in force (by name), their scopes, limits and tokens today; empty without keys. */
  keys: z.array(keyStatusSchema),
});
export type StatusResponse = z.infer<typeof statusResponseSchema>;
export type ModelStatus = z.infer<typeof modelStatusSchema>;
export type ResourcesStatus = z.infer<typeof resourcesStatusSchema>;
