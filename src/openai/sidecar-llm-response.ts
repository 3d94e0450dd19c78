/** What `POST /v1/llm/{model}` and `POST /v1/llm/{model}/pull` answer, whole or streamed. */
import { z } from 'zod';
import { usageSchema } from './usage.ts';

export const llmTimingsSchema = z.object({
  /** Waiting for a slot of the model. */
  queue_ms: z.number().nonnegative(),
  /** Ollama loading the model (its `load_duration`). */
  load_ms: z.number().nonnegative(),
  /** From the request's arrival to the first generated text; null when nothing was generated. */
  first_token_ms: z.number().nonnegative().nullable(),
  total_ms: z.number().nonnegative(),
});

/** The whole answer (and, with `done: true`, the last streamed event). */
export const llmGenerateResponseSchema = z.object({
  /** The name the client used (an alias stays an alias). */
  model: z.string(),
  response: z.string(),
  /** Ollama's reason: `stop`, `length`, … */
  done_reason: z.string().nullable(),
  usage: usageSchema,
  timings: llmTimingsSchema,
});
export type LlmGenerateResponse = z.infer<typeof llmGenerateResponseSchema>;

/** One streamed event: text deltas with `done: false`, then the full answer (empty `response`) with `done: true`. */
export const llmGenerateChunkSchema = z.union([
  z.object({ model: z.string(), response: z.string(), done: z.literal(false) }),
  llmGenerateResponseSchema.extend({ done: z.literal(true) }),
]);
export type LlmGenerateChunk = z.infer<typeof llmGenerateChunkSchema>;

/** One streamed pull progress event (Ollama's `/api/pull` line plus `percent` of the current layer). */
export const llmPullProgressSchema = z.object({
  model: z.string(),
  status: z.string(),
  digest: z.string().optional(),
  total: z.number().optional(),
  completed: z.number().optional(),
  percent: z.number().optional(),
});
export type LlmPullProgress = z.infer<typeof llmPullProgressSchema>;

/** The answer of a finished pull (and the last streamed event). */
export const llmPullResponseSchema = z.object({
  model: z.string(),
  status: z.literal('success'),
  duration_ms: z.number().nonnegative(),
  /** True when this request joined a pull of the same model already under way. */
  shared: z.boolean(),
});
export type LlmPullResponse = z.infer<typeof llmPullResponseSchema>;
