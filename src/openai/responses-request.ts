/**
 * The body of `POST /v1/responses` (OpenAI's Responses API). Like chat completions: typed and
 * range-checked, unknown top-level keys dropped (and logged at debug), each known field mapped by
 * `src/translate/responses/`, listed in `responses-ignored-fields.ts`, or refused with a 400 naming it.
 */
import { z } from 'zod';
import { reasoningEffortValues } from './chat-completion-request.ts';
import { keepAliveSchema, samplingNumberSchema } from './common-request-fields.ts';
import { ollamaOptionsExtension } from './ollama-options-extension.ts';

const inputTextSchema = z.object({ type: z.literal('input_text'), text: z.string() });
const outputTextSchema = z.object({ type: z.literal('output_text'), text: z.string(), annotations: z.array(z.unknown()).optional(), logprobs: z.array(z.unknown()).optional() });
const refusalSchema = z.object({ type: z.literal('refusal'), refusal: z.string() });
export const inputImageSchema = z.object({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['auto', 'low', 'high', 'original']).optional(),
});
/** Accepted so the refusal can name it: Ollama reads no files. */
const inputFileSchema = z.object({ type: z.literal('input_file'), file_id: z.string().nullish(), file_data: z.string().optional(), file_url: z.string().optional(), filename: z.string().optional() });

export const inputContentPartSchema = z.discriminatedUnion('type', [inputTextSchema, outputTextSchema, refusalSchema, inputImageSchema, inputFileSchema]);
export type InputContentPart = z.infer<typeof inputContentPartSchema>;

const itemStatusSchema = z.enum(['in_progress', 'completed', 'incomplete']).optional();

const messageItemSchema = z.object({
  type: z.literal('message'),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(inputContentPartSchema)]),
  id: z.string().optional(),
  status: itemStatusSchema,
});

const functionCallItemSchema = z.object({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().optional(),
  status: itemStatusSchema,
});

const functionCallOutputItemSchema = z.object({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(z.discriminatedUnion('type', [inputTextSchema, inputImageSchema, inputFileSchema]))]),
  id: z.string().nullish(),
  status: itemStatusSchema.nullable(),
});

const reasoningItemSchema = z.object({
  type: z.literal('reasoning'),
  id: z.string().optional(),
  summary: z.array(z.object({ type: z.literal('summary_text'), text: z.string() })),
  content: z.array(z.object({ type: z.literal('reasoning_text'), text: z.string() })).optional(),
  encrypted_content: z.string().nullish(),
  status: itemStatusSchema,
});

/** Accepted so the refusal can name it: items are not looked up by id. */
const itemReferenceSchema = z.object({ type: z.literal('item_reference'), id: z.string() });

/** A bare `{role, content}` is a message (the SDK and Codex send both spellings). */
export const inputItemSchema = z.preprocess(
  (item) => (typeof item === 'object' && item !== null && !('type' in item) && 'role' in item ? { ...item, type: 'message' } : item),
  z.discriminatedUnion('type', [messageItemSchema, functionCallItemSchema, functionCallOutputItemSchema, reasoningItemSchema, itemReferenceSchema]),
);
export type InputItem = z.infer<typeof inputItemSchema>;

/** Function tools are mapped; any other type (`web_search`, `file_search`, `mcp`, …) is refused by name. */
export const responsesToolSchema = z.object({
  type: z.string(),
  name: z.string().min(1).optional(),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});
export type ResponsesTool = z.infer<typeof responsesToolSchema>;

export const responsesToolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), name: z.string() }),
  z.object({ type: z.literal('allowed_tools'), mode: z.enum(['auto', 'required']), tools: z.array(z.object({ type: z.literal('function'), name: z.string() })) }),
]);
export type ResponsesToolChoice = z.infer<typeof responsesToolChoiceSchema>;

export const textFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({ type: z.literal('json_schema'), name: z.string(), schema: z.record(z.string(), z.unknown()), description: z.string().optional(), strict: z.boolean().nullish() }),
]);
export type TextFormat = z.infer<typeof textFormatSchema>;

export const responsesRequestSchema = z.object({
  /** Optional here: the model may also come from the `X-Model` header or `?model=`. */
  model: z.string().optional(),
  input: z.union([z.string(), z.array(inputItemSchema)]).optional(),
  instructions: z.string().nullish(),
  previous_response_id: z.string().nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_obfuscation: z.boolean().optional() }).nullish(),
  max_output_tokens: z.int().min(1).nullish(),
  temperature: samplingNumberSchema,
  top_p: samplingNumberSchema,
  tools: z.array(responsesToolSchema).nullish(),
  tool_choice: responsesToolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_tool_calls: z.int().min(1).nullish(),
  text: z.object({ format: textFormatSchema.optional(), verbosity: z.enum(['low', 'medium', 'high']).nullish() }).nullish(),
  reasoning: z
    .object({
      effort: z.enum(reasoningEffortValues).nullish(),
      summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
      generate_summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
    })
    .nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  service_tier: z.string().nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
  include: z.array(z.string()).nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_retention: z.string().nullish(),
  top_logprobs: z.int().min(0).max(20).nullish(),
  background: z.boolean().nullish(),
  conversation: z.unknown().optional(),
  prompt: z.unknown().optional(),
  context_management: z.unknown().optional(),
  /** Our extension: Ollama's `keep_alive`. */
  keep_alive: keepAliveSchema.nullish(),
  /** Our extension: Ollama's own options and the `top_k`/`min_p`/`repetition_penalty` extras. */
  ...ollamaOptionsExtension,
});
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
