/**
 * The body of Anthropic's `POST /v1/messages` (and, through `countTokensRequestSchema`, of
 * `POST /v1/messages/count_tokens`). Types and ranges are checked; unknown top-level keys are dropped
 * (and logged at debug) like on the OpenAI routes, since Claude Code and the SDK add fields often.
 * Each known field is mapped by `src/translate/anthropic/`, listed in `ignored-fields.ts`, or refused.
 */
import { z } from 'zod';

const cacheControlSchema = z.object({ type: z.literal('ephemeral'), ttl: z.string().optional() }).nullish();

export const textBlockSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControlSchema,
  citations: z.array(z.unknown()).nullish(),
});

export const imageSourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('base64'), media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']), data: z.string() }),
  z.object({ type: z.literal('url'), url: z.string() }),
  /** Accepted so the refusal can name it: the gateway has no Files API. */
  z.object({ type: z.literal('file'), file_id: z.string() }),
]);
export type ImageSource = z.infer<typeof imageSourceSchema>;

export const imageBlockSchema = z.object({ type: z.literal('image'), source: imageSourceSchema, cache_control: cacheControlSchema });

const toolUseBlockSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControlSchema,
});

const toolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textBlockSchema, imageBlockSchema]))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControlSchema,
});

const thinkingBlockSchema = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() });
const redactedThinkingBlockSchema = z.object({ type: z.literal('redacted_thinking'), data: z.string() });
/** Accepted so the refusal can name them: Ollama reads no documents or search results. */
const documentBlockSchema = z.object({ type: z.literal('document'), source: z.unknown() });
const searchResultBlockSchema = z.object({ type: z.literal('search_result'), source: z.unknown() });

export const contentBlockSchema = z.discriminatedUnion('type', [
  textBlockSchema,
  imageBlockSchema,
  toolUseBlockSchema,
  toolResultBlockSchema,
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
  documentBlockSchema,
  searchResultBlockSchema,
]);
export type ContentBlock = z.infer<typeof contentBlockSchema>;

export const messageParamSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});
export type MessageParam = z.infer<typeof messageParamSchema>;

/** `type` is `custom` (or absent) for a client tool; server tools (`web_search_…`, `bash_…`) are refused by name. */
export const toolSchema = z.object({
  type: z.string().nullish(),
  name: z.string().min(1),
  description: z.string().optional(),
  /** Required for client tools (checked by the translator, so a server tool is refused by its type instead). */
  input_schema: z.record(z.string(), z.unknown()).optional(),
  cache_control: cacheControlSchema,
  strict: z.boolean().optional(),
});
export type Tool = z.infer<typeof toolSchema>;

export const toolChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('none') }),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

export const thinkingConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('enabled'), budget_tokens: z.int().min(1), display: z.string().optional() }),
  z.object({ type: z.literal('disabled') }),
  z.object({ type: z.literal('adaptive'), display: z.string().optional() }),
]);
export type ThinkingConfig = z.infer<typeof thinkingConfigSchema>;

export const effortValues = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

export const outputConfigSchema = z.object({
  effort: z.enum(effortValues).nullish(),
  format: z.object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }).nullish(),
});

const systemSchema = z.union([z.string(), z.array(textBlockSchema)]);

export const messagesRequestSchema = z.object({
  /** Optional here: the model may also come from the `X-Model` header or `?model=`. */
  model: z.string().optional(),
  max_tokens: z.int({ error: (issue) => (issue.input === undefined ? 'max_tokens: Field required' : undefined) }).min(1),
  messages: z.array(messageParamSchema).min(1, { error: 'messages: at least one message is required' }),
  system: systemSchema.optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.int().min(0).optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingConfigSchema.optional(),
  output_config: outputConfigSchema.optional(),
  metadata: z.object({ user_id: z.string().nullish() }).optional(),
  service_tier: z.enum(['auto', 'standard_only']).optional(),
  cache_control: cacheControlSchema,
  container: z.unknown().optional(),
  mcp_servers: z.array(z.unknown()).optional(),
  context_management: z.unknown().optional(),
  inference_geo: z.string().nullish(),
  speed: z.string().nullish(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

/** `count_tokens` takes the prompt half of a Messages request. */
export const countTokensRequestSchema = messagesRequestSchema.pick({
  model: true,
  messages: true,
  system: true,
  tools: true,
  tool_choice: true,
  thinking: true,
  output_config: true,
  cache_control: true,
  mcp_servers: true,
  context_management: true,
});
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;
