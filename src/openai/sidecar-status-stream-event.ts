/** One event of `GET /v1/status/stream`: the status, live rates, the recent past and recent errors. */
import { z } from 'zod';
import { statusResponseSchema } from './sidecar-status-response.ts';

const liveModelStatsSchema = z.object({
  requests_per_s: z.number().nullable(),
  /** Completion tokens per second. */
  tokens_per_s: z.number().nullable(),
  /** Time to first token, estimated from the histogram buckets like Prometheus's `histogram_quantile`. */
  ttft_p50_ms: z.number().nullable(),
  ttft_p95_ms: z.number().nullable(),
});

const liveKeyStatsSchema = z.object({
  /** Requests since the gateway started. */
  requests: z.number(),
  requests_per_s: z.number().nullable(),
  /** Requests answered 429 since the gateway started. */
  limited: z.number(),
  /** Requests answered 429 within the window. */
  limited_recently: z.number(),
});

const historyPointSchema = z.object({
  queued: z.number(),
  active: z.number(),
  tokens_per_s: z.number().nullable(),
  ttft_p50_ms: z.number().nullable(),
});

const recentErrorSchema = z.object({
  at: z.string(),
  status: z.number(),
  code: z.string().nullable(),
  message: z.string(),
  model: z.string().nullable(),
  route: z.string(),
});

export const statusStreamEventSchema = z.object({
  status: statusResponseSchema,
  /** Per model (by the status's model name) and per named API key: rates over the last `window_s` seconds. */
  live: z.object({ window_s: z.number(), models: z.record(z.string(), liveModelStatsSchema), keys: z.record(z.string(), liveKeyStatsSchema) }),
  /** Samples every `interval_s` seconds, oldest first, from a fixed-size ring buffer (15 minutes by default). */
  history: z.object({ interval_s: z.number(), samples: z.array(z.object({ at: z.string(), models: z.record(z.string(), historyPointSchema) })) }),
  /** The latest errors the gateway answered with, newest first. */
  recent_errors: z.array(recentErrorSchema),
  /** The gateway process itself. */
  gateway: z.object({ pid: z.number(), rss_bytes: z.number(), heap_used_bytes: z.number(), cpu_percent: z.number().nullable() }),
});
export type StatusStreamEvent = z.infer<typeof statusStreamEventSchema>;
