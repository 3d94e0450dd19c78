/**
 * Ollama's native wire objects (see docs/ollama-api-notes.md). Requests are what the gateway sends;
 * responses are parsed leniently: unknown keys are dropped, every field we do not rely on is optional.
 * The simulator imports these (and check-option-types.ts) too, and nothing else from the gateway.
 */
import { z } from 'zod';

export const ollamaOptionsSchema = z.record(z.string(), z.unknown());
export type OllamaOptions = Record<string, unknown>;

export const ollamaToolCallSchema = z.object({
  id: z.string().optional(),
  function: z.object({
    index: z.number().optional(),
    name: z.string(),
    arguments: z.record(z.string(), z.unknown()).default({}),
  }),
});
export type OllamaToolCall = z.infer<typeof ollamaToolCallSchema>;

export const ollamaMessageSchema = z.object({
  role: z.string(),
  content: z.string().default(''),
  thinking: z.string().optional(),
  images: z.array(z.string()).optional(),
  tool_calls: z.array(ollamaToolCallSchema).optional(),
  tool_name: z.string().optional(),
  tool_call_id: z.string().optional(),
});
export type OllamaMessage = z.infer<typeof ollamaMessageSchema>;

export const ollamaToolSchema = z.object({
  type: z.string(),
  function: z.object({
    name: z.string(),
    description: z.string().optional(),
    parameters: z.unknown().optional(),
  }),
});
export type OllamaTool = z.infer<typeof ollamaToolSchema>;

export type OllamaThink = boolean | 'low' | 'medium' | 'high' | 'max';
export type OllamaFormat = 'json' | Record<string, unknown>;
export type OllamaKeepAlive = string | number;

export const ollamaChatRequestSchema = z.object({
  model: z.string(),
  messages: z.array(ollamaMessageSchema).default([]),
  stream: z.boolean().optional(),
  format: z.union([z.literal('json'), z.record(z.string(), z.unknown())]).optional(),
  options: ollamaOptionsSchema.optional(),
  tools: z.array(ollamaToolSchema).optional(),
  think: z.union([z.boolean(), z.enum(['low', 'medium', 'high', 'max'])]).optional(),
  keep_alive: z.union([z.string(), z.number()]).optional(),
  logprobs: z.boolean().optional(),
  top_logprobs: z.number().optional(),
});
export type OllamaChatRequest = z.input<typeof ollamaChatRequestSchema>;

export const ollamaGenerateRequestSchema = z.object({
  model: z.string(),
  prompt: z.string().default(''),
  suffix: z.string().optional(),
  system: z.string().optional(),
  template: z.string().optional(),
  raw: z.boolean().optional(),
  images: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  format: z.union([z.literal('json'), z.record(z.string(), z.unknown())]).optional(),
  options: ollamaOptionsSchema.optional(),
  think: z.union([z.boolean(), z.enum(['low', 'medium', 'high', 'max'])]).optional(),
  keep_alive: z.union([z.string(), z.number()]).optional(),
  context: z.array(z.number()).optional(),
  logprobs: z.boolean().optional(),
  top_logprobs: z.number().optional(),
});
export type OllamaGenerateRequest = z.input<typeof ollamaGenerateRequestSchema>;

export const ollamaEmbedRequestSchema = z.object({
  model: z.string(),
  input: z.union([z.string(), z.array(z.string())]),
  truncate: z.boolean().optional(),
  dimensions: z.number().optional(),
  keep_alive: z.union([z.string(), z.number()]).optional(),
  options: ollamaOptionsSchema.optional(),
});
export type OllamaEmbedRequest = z.input<typeof ollamaEmbedRequestSchema>;

/** Metrics carried by the final (`done: true`) line; each is omitted by Ollama when zero. */
const doneMetrics = {
  done_reason: z.string().optional(),
  total_duration: z.number().optional(),
  load_duration: z.number().optional(),
  prompt_eval_count: z.number().optional(),
  prompt_eval_duration: z.number().optional(),
  eval_count: z.number().optional(),
  eval_duration: z.number().optional(),
};

const ollamaTopLogprobSchema = z.object({ token: z.string(), logprob: z.number(), bytes: z.array(z.number()).nullish() });
export const ollamaLogprobSchema = ollamaTopLogprobSchema.extend({ top_logprobs: z.array(ollamaTopLogprobSchema).nullish() });
/** One generated token with its log probability, when the request asked for `logprobs`. */
export type OllamaLogprob = z.infer<typeof ollamaLogprobSchema>;

export const ollamaChatChunkSchema = z.object({
  model: z.string().default(''),
  created_at: z.string().optional(),
  message: ollamaMessageSchema.partial({ role: true }).optional(),
  logprobs: z.array(ollamaLogprobSchema).nullish(),
  done: z.boolean().default(false),
  ...doneMetrics,
});
/** One NDJSON line of `/api/chat`, or the whole non-streamed answer. */
export type OllamaChatChunk = z.infer<typeof ollamaChatChunkSchema>;

export const ollamaGenerateChunkSchema = z.object({
  model: z.string().default(''),
  created_at: z.string().optional(),
  response: z.string().default(''),
  thinking: z.string().optional(),
  tool_calls: z.array(ollamaToolCallSchema).optional(),
  done: z.boolean().default(false),
  context: z.array(z.number()).optional(),
  logprobs: z.array(ollamaLogprobSchema).nullish(),
  ...doneMetrics,
});
/** One NDJSON line of `/api/generate`, or the whole non-streamed answer. */
export type OllamaGenerateChunk = z.infer<typeof ollamaGenerateChunkSchema>;

export const ollamaEmbedResponseSchema = z.object({
  model: z.string().default(''),
  embeddings: z.array(z.array(z.number())).nullable().default([]),
  total_duration: z.number().optional(),
  load_duration: z.number().optional(),
  prompt_eval_count: z.number().optional(),
});
export type OllamaEmbedResponse = z.infer<typeof ollamaEmbedResponseSchema>;

export const ollamaModelDetailsSchema = z.object({
  parent_model: z.string().optional(),
  format: z.string().optional(),
  family: z.string().optional(),
  families: z.array(z.string()).nullable().optional(),
  parameter_size: z.string().optional(),
  quantization_level: z.string().optional(),
});

export const ollamaTagSchema = z.object({
  name: z.string(),
  model: z.string().optional(),
  modified_at: z.string().optional(),
  size: z.number().optional(),
  digest: z.string().optional(),
  details: ollamaModelDetailsSchema.optional(),
  capabilities: z.array(z.string()).optional(),
});
export type OllamaTag = z.infer<typeof ollamaTagSchema>;

export const ollamaTagsResponseSchema = z.object({ models: z.array(ollamaTagSchema).nullable().default([]) });
export type OllamaTagsResponse = z.infer<typeof ollamaTagsResponseSchema>;

export const ollamaRunningModelSchema = z.object({
  name: z.string(),
  model: z.string().optional(),
  size: z.number().optional(),
  size_vram: z.number().optional(),
  digest: z.string().optional(),
  expires_at: z.string().optional(),
  context_length: z.number().optional(),
  details: ollamaModelDetailsSchema.optional(),
});
export const ollamaPsResponseSchema = z.object({ models: z.array(ollamaRunningModelSchema).nullable().default([]) });
export type OllamaPsResponse = z.infer<typeof ollamaPsResponseSchema>;

export const ollamaShowResponseSchema = z.object({
  modified_at: z.string().optional(),
  details: ollamaModelDetailsSchema.optional(),
  capabilities: z.array(z.string()).optional(),
  model_info: z.record(z.string(), z.unknown()).optional(),
});
export type OllamaShowResponse = z.infer<typeof ollamaShowResponseSchema>;

export const ollamaPullProgressSchema = z.object({
  status: z.string().optional(),
  digest: z.string().optional(),
  total: z.number().optional(),
  completed: z.number().optional(),
  error: z.string().optional(),
});
export type OllamaPullProgress = z.infer<typeof ollamaPullProgressSchema>;

/** Ollama's error body, before a stream or as its last line: `{"error": "..."}`. */
export const ollamaErrorSchema = z.object({ error: z.string() });
export type OllamaError = z.infer<typeof ollamaErrorSchema>;
