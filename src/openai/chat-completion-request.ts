/**
 * The body of `POST /v1/chat/completions`. Every field OpenAI documents is typed and range-checked (the
 * sampling numbers excepted, see `samplingNumberSchema`); unknown top-level keys are dropped (SDKs add
 * new fields often). Each accepted field is either mapped by `toOllamaChatRequest`, listed in
 * `ignored-fields.ts`, or refused there with a 400 naming it.
 */
import { z } from 'zod';
import { chatMessageSchema } from './chat-message.ts';
import { keepAliveSchema, samplingNumberSchema, stopSchema, streamOptionsSchema } from './common-request-fields.ts';
import { ollamaOptionsExtension } from './ollama-options-extension.ts';

export const reasoningEffortValues = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max', 'ultra'] as const;

const reasoningEffortSchema = z.enum(reasoningEffortValues, {
  error: (issue) =>
    `invalid reasoning value: ${JSON.stringify(issue.input)} (must be "minimal", "low", "medium", "high", "xhigh", "ultra", "max", or "none")`,
});
export type ReasoningEffort = z.infer<typeof reasoningEffortSchema>;

export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

export const functionToolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});
export type FunctionTool = z.infer<typeof functionToolSchema>;

const namedToolChoiceSchema = z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) });

const allowedToolsChoiceSchema = z.object({
  type: z.literal('allowed_tools'),
  allowed_tools: z.object({
    mode: z.enum(['auto', 'required']),
    tools: z.array(z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) })),
  }),
});

export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  namedToolChoiceSchema,
  allowedToolsChoiceSchema,
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

export const chatCompletionRequestSchema = z.object({
  /** Optional here: the model may also come from the `X-Model` header, `?model=` or the path. */
  model: z.string().optional(),
  messages: z.array(chatMessageSchema).min(1, { error: '[] is too short - messages must not be empty' }),
  stream: z.boolean().nullish(),
  stream_options: streamOptionsSchema.nullish(),
  max_tokens: z.int().min(1).nullish(),
  max_completion_tokens: z.int().min(1).nullish(),
  temperature: samplingNumberSchema,
  top_p: samplingNumberSchema,
  n: z.int().min(1).max(128).nullish(),
  stop: stopSchema.nullish(),
  seed: z.int().nullish(),
  frequency_penalty: samplingNumberSchema,
  presence_penalty: samplingNumberSchema,
  response_format: responseFormatSchema.nullish(),
  tools: z.array(functionToolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  reasoning_effort: reasoningEffortSchema.nullish(),
  /** Ollama's and OpenRouter's spelling; wins over `reasoning_effort` like in Ollama. */
  reasoning: z.object({ effort: reasoningEffortSchema.nullish() }).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.int().min(0).max(20).nullish(),
  user: z.string().nullish(),
  store: z.boolean().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  service_tier: z.string().nullish(),
  logit_bias: z.record(z.string(), z.number().min(-100).max(100)).nullish(),
  modalities: z.array(z.enum(['text', 'audio'])).nullish(),
  prediction: z.object({ type: z.literal('content'), content: z.union([z.string(), z.array(z.unknown())]) }).nullish(),
  audio: z.object({ voice: z.unknown(), format: z.string() }).nullish(),
  web_search_options: z.record(z.string(), z.unknown()).nullish(),
  safety_identifier: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_retention: z.string().nullish(),
  verbosity: z.enum(['low', 'medium', 'high']).nullish(),
  moderation: z.unknown().optional(),
  functions: z.array(z.unknown()).nullish(),
  function_call: z.unknown().optional(),
  /** Our extension: Ollama's `keep_alive` (seconds, or a Go duration such as "10m"). */
  keep_alive: keepAliveSchema.nullish(),
  /** Our extension: Ollama's own options and the `top_k`/`min_p`/`repetition_penalty` extras. */
  ...ollamaOptionsExtension,
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
