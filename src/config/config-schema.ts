/**
 * The gateway's configuration: one schema, from which the type is inferred and `schemas/config.json`
 * is exported. Every field has a default, so an empty file (or none) is a valid config.
 */
import { z } from 'zod';

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
  connectTimeoutMs: positiveInt.optional(),
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
});

export const upstreamSchema = z.strictObject({
  name: z.string().min(1).default('local'),
  url: z.url({ protocol: /^https?$/ }),
});

export const configSchema = z.strictObject({
  listen: z
    .strictObject({ host: z.string().min(1).default('127.0.0.1'), port: z.number().int().min(0).max(65_535).default(4000) })
    .default({ host: '127.0.0.1', port: 4000 }),
  upstreams: z.array(upstreamSchema).min(1).default([{ name: 'local', url: 'http://127.0.0.1:11434' }]),
  apiKeys: z.array(z.string().min(1)).default([]),
  /** Largest accepted JSON body in bytes (images in messages make bodies large). */
  bodyLimitBytes: positiveInt.default(20 * 1024 * 1024),
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
  redisUrl: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  logBodies: z.boolean().default(false),
  metricsToken: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ModelLimits = z.infer<typeof modelLimitsSchema>;
export type ModelConfig = z.infer<typeof modelConfigSchema>;
