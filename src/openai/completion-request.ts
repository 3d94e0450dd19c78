/**
 * The body of `POST /v1/completions` (legacy text completions). Like chat: typed and range-checked (sampling numbers excepted),
 * unknown top-level keys dropped, and each known field mapped, ignored (`ignored-fields.ts`) or refused.
 */
import { z } from 'zod';
import { keepAliveSchema, samplingNumberSchema, stopSchema, streamOptionsSchema } from './common-request-fields.ts';
import { ollamaOptionsExtension } from './ollama-options-extension.ts';

/** Token arrays are valid OpenAI input, so they pass the schema and the translator refuses them by name. */
const tokenArraySchema = z.array(z.int());

export const completionRequestSchema = z.object({
  /** Optional here: the model may also come from the `X-Model` header, `?model=` or the path. */
  model: z.string().optional(),
  prompt: z.union([z.string(), z.array(z.string()), tokenArraySchema, z.array(tokenArraySchema)]),
  suffix: z.string().nullish(),
  max_tokens: z.int().min(1).nullish(),
  temperature: samplingNumberSchema,
  top_p: samplingNumberSchema,
  n: z.int().min(1).max(128).nullish(),
  best_of: z.int().min(1).max(20).nullish(),
  echo: z.boolean().nullish(),
  logprobs: z.int().min(0).max(5).nullish(),
  stop: stopSchema.nullish(),
  seed: z.int().nullish(),
  frequency_penalty: samplingNumberSchema,
  presence_penalty: samplingNumberSchema,
  logit_bias: z.record(z.string(), z.number().min(-100).max(100)).nullish(),
  stream: z.boolean().nullish(),
  stream_options: streamOptionsSchema.nullish(),
  user: z.string().nullish(),
  /** Our extension: Ollama's `keep_alive`. */
  keep_alive: keepAliveSchema.nullish(),
  /** Our extension: Ollama's own options and the `top_k`/`min_p`/`repetition_penalty` extras. */
  ...ollamaOptionsExtension,
});
export type CompletionRequest = z.infer<typeof completionRequestSchema>;
