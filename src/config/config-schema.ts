/**
 * The gateway's configuration: one schema, from which the type is inferred and `schemas/config.json`
 * is exported. Every field has a default, so an empty file (or none) is a valid config.
 */
import { z } from 'zod';
import { apiKeySchema } from './key-entry-schema.ts';

const nonNegativeInt = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();

export const memoryCostSchema = z.union([z.enum(['small', 'medium', 'high']), positiveInt]);

/** Limits and defaults that apply per model; `defaults` holds the values unlisted models get. */
export const modelLimitsSchema = z.strictObject({
  maxConcurrent: positiveInt.default(2),
  maxQueue: nonNegativeInt.default(100),
  queueTimeoutMs: positiveInt.default(60_000),
  /** Total time for one request, queue excluded. */
  requestTimeoutMs: positiveInt.default(600_000),
  /** Until Ollama accepts the connection. One pool per upstream, so only `defaults` has it, read at start-up. */
  connectTimeoutMs: positiveInt.default(5_000),
  /** Until Ollama's response headers arrive (covers model load). */
  firstByteTimeoutMs: positiveInt.default(300_000),
  /** Longest silence between two streamed chunks. */
  idleTimeoutMs: positiveInt.default(120_000),
});

export const modelConfigSchema = z.strictObject({
  maxConcurrent: positiveInt.optional(),
  maxQueue: nonNegativeInt.optional(),
  queueTimeoutMs: positiveInt.optional(),
  requestTimeoutMs: positiveInt.optional(),
  firstByteTimeoutMs: positiveInt.optional(),
  idleTimeoutMs: positiveInt.optional(),
  /** Requests per minute (a Bottleneck reservoir refilled every minute). */
  rpm: positiveInt.optional(),
  /** A reservoir of this many requests refilled every `refreshIntervalMs`. */
  reservoir: positiveInt.optional(),
  refreshIntervalMs: positiveInt.optional(),
  memoryCost: memoryCostSchema.optional(),
  pullOnDemand: z.boolean().optional(),
  /** Ollama options added under whatever the client sets (e.g. `num_ctx`). */
  options: z.record(z.string(), z.unknown()).optional(),
  keepAlive: z.union([z.string(), z.number()]).optional(),
  /** Models that serve this one's requests when its queue is full, its wait would pass `spillAfterMs`, or no node for it is healthy. */
  fallbacks: z.array(z.string().min(1)).optional(),
  /** Spill to a fallback instead of queueing when the expected queue wait is longer than this. */
  spillAfterMs: positiveInt.optional(),
});

export const upstreamSchema = z.strictObject({
  name: z.string().min(1).default('local'),
  /** The server's root; the gateway appends `/api/…` (Ollama) or `/v1/…` (OpenAI-compatible). */
  url: z.url({ protocol: /^https?$/ }),
  kind: z.enum(['ollama', 'openai']).default('ollama'),
  /** Breaks ties between equally busy nodes: the heavier node is chosen first. */
  weight: z.number().positive().default(1),
  /** Requests this node runs at once, all models together (a model's `maxConcurrent` applies on each node). Unset = no node budget. */
  maxConcurrent: positiveInt.optional(),
  /** Restricts the node to these models; for `openai` kind, the models it serves when its `/v1/models` is not to be trusted. */
  models: z.array(z.string().min(1)).optional(),
  /** Sent as `Authorization: Bearer` to an `openai` kind upstream; never logged. */
  apiKey: z.string().min(1).optional(),
  enabled: z.boolean().default(true),
});

export const routingSchema = z.strictObject({
  strategy: z.enum(['loaded-least-busy', 'least-busy', 'round-robin', 'affinity']).default('loaded-least-busy'),
  /** For `affinity`: a hash of the system prompt and first user message, or the client's `X-Session-Id`. */
  affinityKey: z.enum(['conversation', 'header']).optional(),
});

export const configSchema = z.strictObject({
  listen: z
    .strictObject({ host: z.string().min(1).default('127.0.0.1'), port: z.number().int().min(0).max(65_535).default(4000) })
    .default({ host: '127.0.0.1', port: 4000 }),
  upstreams: z.array(upstreamSchema).min(1).default([{ name: 'local', url: 'http://127.0.0.1:11434', kind: 'ollama', weight: 1, enabled: true }]),
  routing: routingSchema.default({ strategy: 'loaded-least-busy' }),
  /** How often each node is checked (Ollama `GET /api/version`, OpenAI-compatible `GET /v1/models`). */
  healthCheckIntervalMs: positiveInt.default(5_000),
  /** How long a node that answered 503 "server busy" is skipped. */
  busyCooldownMs: positiveInt.default(2_000),
  /** Plain keys or key entries (name, scopes, limits); combined with `API_KEYS` and `apiKeysFile`. */
  apiKeys: z.array(apiKeySchema).default([]),
  /** A YAML or JSON file holding a list of key entries, re-read on SIGHUP. */
  apiKeysFile: z.string().min(1).optional(),
  /** Where per-key usage counters are kept without Redis (SQLite); default `<dataDir>/usage.db`. */
  usageDb: z.string().min(1).optional(),
  /** Directory for the gateway's own files; default `$XDG_DATA_HOME/llm-sidecar` or `~/.local/share/llm-sidecar`. */
  dataDir: z.string().min(1).optional(),
  /** PEM certificate and private key files: the gateway serves HTTPS, re-reading both on SIGHUP. */
  tls: z.strictObject({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
  /** Host names accepted besides loopback names while listening on loopback (DNS-rebinding guard); `*` turns the guard off. */
  allowedHosts: z.array(z.string().min(1)).default([]),
  /** Browser origins allowed besides pages on this machine (which always are); `*` allows every origin. */
  corsOrigins: z.array(z.string().min(1)).default([]),
  /** Largest accepted JSON body in bytes (images in messages make bodies large). */
  bodyLimitBytes: positiveInt.default(20 * 1024 * 1024),
  /** Deepest nesting of arrays and objects in a JSON body; deeper bodies are refused with a 400 before they are parsed. */
  maxJsonDepth: positiveInt.default(64),
  defaults: modelLimitsSchema.default(modelLimitsSchema.parse({})),
  models: z.record(z.string(), modelConfigSchema).default({}),
  aliases: z.record(z.string(), z.string().min(1)).default({}),
  /** How long a cached copy of Ollama's model list is trusted. */
  modelListTtlMs: positiveInt.default(2_000),
  retries: z
    .strictObject({ attempts: nonNegativeInt.default(2), baseDelayMs: positiveInt.default(100), maxDelayMs: positiveInt.default(2_000) })
    .default({ attempts: 2, baseDelayMs: 100, maxDelayMs: 2_000 }),
  /** Seconds; the upper bound of any `Retry-After` the gateway sends. */
  retryAfterCapSeconds: positiveInt.default(60),
  /** Grace period on SIGTERM for queued and running work. */
  drainTimeoutMs: positiveInt.default(30_000),
  /** Streaming requests queued longer than `openAfterMs` get their SSE response opened early, with a comment every `intervalMs`. */
  queueHeartbeat: z
    .strictObject({ openAfterMs: positiveInt.default(3_000), intervalMs: positiveInt.default(5_000) })
    .default({ openAfterMs: 3_000, intervalMs: 5_000 }),
  // --- model lifecycle ---
  /** Pull any model missing from Ollama on first request (per model: `models.<name>.pullOnDemand`); names must pass `pullAllowed`. */
  pullOnDemand: z.boolean().default(false),
  /** Names the gateway may pull besides configured models: exact names or `*` globs, e.g. `qwen3:*`; empty = configured models only. */
  pullAllowed: z.array(z.string().min(1)).default([]),
  /** Serve Ollama's store routes (`/api/pull`, `/api/push`, `/api/create`, `/api/copy`, `/api/delete`, `/api/blobs/*`) through the passthrough; 403 otherwise. */
  allowStoreRoutes: z.boolean().default(false),
  /** Most models kept loaded at once on each Ollama node; before loading one more, the least recently used idle model is unloaded. Unset = Ollama decides. */
  maxLoadedModels: positiveInt.optional(),
  /** Bytes of loaded models per Ollama node (size from `/api/ps`, else `/api/tags`) the gateway keeps under, unloading least recently used idle models first. Unset = no budget. */
  maxLoadedBytes: positiveInt.optional(),
  /** With a model budget: how long a request needing a model loaded waits for a busy loaded model to become idle before loading anyway. */
  modelLoadWaitMs: nonNegativeInt.default(30_000),
  /** How long `/v1/status` and model memory trust one reading of Ollama's `/api/ps`. */
  runningModelsTtlMs: positiveInt.default(1_500),
  /** Backpressure across all models: running plus queued requests, and bytes of queued bodies. */
  maxTotalRequests: positiveInt.default(1_000),
  maxQueuedBodyBytes: positiveInt.default(256 * 1024 * 1024),
  /** Resource-aware admission: above any threshold new work queues until readings recover. */
  resources: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Unset: 256 MiB, or 10 % of the container's memory limit when that is less. */
      minFreeMemoryBytes: nonNegativeInt.optional(),
      maxMemoryFraction: z.number().gt(0).max(1).default(0.95),
      maxLoadPerCpu: z.number().positive().default(4),
      maxEventLoopDelayMs: positiveInt.default(200),
    })
    .default({ enabled: true, maxMemoryFraction: 0.95, maxLoadPerCpu: 4, maxEventLoopDelayMs: 200 }),
  /** Exact-match response cache, off by default. */
  cache: z
    .strictObject({
      /** Embeddings per (model, input, dimensions, encoding). */
      embeddings: z.boolean().default(false),
      /** `deterministic`: chat and text completions with temperature 0 or a seed, and no tools. */
      completions: z.enum(['deterministic', 'off']).default('off'),
      /** Bounds of the in-memory cache (least recently used answers go first); Redis keeps only `ttlMs`. */
      maxEntries: positiveInt.default(1_000),
      maxBytes: positiveInt.default(64 * 1024 * 1024),
      ttlMs: positiveInt.default(3_600_000),
    })
    .default({ embeddings: false, completions: 'off', maxEntries: 1_000, maxBytes: 64 * 1024 * 1024, ttlMs: 3_600_000 }),
  redisUrl: z.string().optional(),
  /** A replica's lease on a shared slot expires after this long without renewal (a dead replica's slots come back). */
  redisLeaseMs: positiveInt.default(10_000),
  /** While Redis is unreachable: `local` serves under each replica's share of the shared limits, `refuse` answers 503. */
  redisFailure: z.enum(['local', 'refuse']).default('local'),
  /** Finished Responses API answers kept for `previous_response_id` and `GET /v1/responses/{id}`, per API key. */
  responsesStore: z
    .strictObject({
      /** Unset: Redis when `redisUrl` is set (follow-ups may reach any replica), else this process's memory. */
      backend: z.enum(['memory', 'redis']).optional(),
      maxResponses: positiveInt.default(1_000),
      maxAgeMs: positiveInt.default(86_400_000),
    })
    .default({ maxResponses: 1_000, maxAgeMs: 86_400_000 }),
  /** Image URLs in requests (chat `image_url`, Responses `input_image`, Anthropic URL sources) fetched by the gateway. */
  imageFetch: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Allow loopback, private, link-local and metadata addresses (off: a request cannot make the gateway probe its own network). */
      allowPrivateNetworks: z.boolean().default(false),
      maxBytes: positiveInt.default(20 * 1024 * 1024),
      timeoutMs: positiveInt.default(10_000),
      maxRedirects: nonNegativeInt.default(3),
    })
    .default({ enabled: true, allowPrivateNetworks: false, maxBytes: 20 * 1024 * 1024, timeoutMs: 10_000, maxRedirects: 3 }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` (lines for a person) or `json`; unset = pretty when stdout is a terminal, else JSON. */
  logFormat: z.enum(['pretty', 'json']).optional(),
  logBodies: z.boolean().default(false),
  metricsToken: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;
export type UpstreamConfig = z.infer<typeof upstreamSchema>;
export type RoutingStrategy = z.infer<typeof routingSchema>['strategy'];
export type ConfigInput = z.input<typeof configSchema>;
export type ModelLimits = z.infer<typeof modelLimitsSchema>;
export type ModelConfig = z.infer<typeof modelConfigSchema>;
