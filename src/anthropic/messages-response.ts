/** Anthropic's `Message` answer and the events of its stream, as the gateway sends them. */
import { z } from 'zod';

export const stopReasonSchema = z.enum(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use']);
export type StopReason = z.infer<typeof stopReasonSchema>;

export const responseTextBlockSchema = z.object({ type: z.literal('text'), text: z.string() });
/** `signature` is empty: Ollama signs nothing, and it is sent back only to be ignored. */
export const responseThinkingBlockSchema = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
export const responseToolUseBlockSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
});
export const responseContentBlockSchema = z.discriminatedUnion('type', [responseTextBlockSchema, responseThinkingBlockSchema, responseToolUseBlockSchema]);
export type ResponseContentBlock = z.infer<typeof responseContentBlockSchema>;

/** Cache counts are `null`: Ollama does not say how much of the prompt came from its cache. */
export const messageUsageSchema = z.object({
  input_tokens: z.int(),
  output_tokens: z.int(),
  cache_creation_input_tokens: z.null(),
  cache_read_input_tokens: z.null(),
});
export type MessageUsage = z.infer<typeof messageUsageSchema>;

export const messageSchema = z.object({
  id: z.string(),
  type: z.literal('message'),
  role: z.literal('assistant'),
  model: z.string(),
  content: z.array(responseContentBlockSchema),
  stop_reason: stopReasonSchema.nullable(),
  stop_sequence: z.string().nullable(),
  usage: messageUsageSchema,
});
export type Message = z.infer<typeof messageSchema>;

const contentDeltaSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text_delta'), text: z.string() }),
  z.object({ type: z.literal('thinking_delta'), thinking: z.string() }),
  z.object({ type: z.literal('input_json_delta'), partial_json: z.string() }),
]);

export const messageStreamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message_start'), message: messageSchema }),
  z.object({ type: z.literal('content_block_start'), index: z.int(), content_block: responseContentBlockSchema }),
  z.object({ type: z.literal('content_block_delta'), index: z.int(), delta: contentDeltaSchema }),
  z.object({ type: z.literal('content_block_stop'), index: z.int() }),
  z.object({
    type: z.literal('message_delta'),
    delta: z.object({ stop_reason: stopReasonSchema.nullable(), stop_sequence: z.string().nullable() }),
    usage: z.object({ input_tokens: z.int(), output_tokens: z.int() }),
  }),
  z.object({ type: z.literal('message_stop') }),
  z.object({ type: z.literal('ping') }),
]);
export type MessageStreamEvent = z.infer<typeof messageStreamEventSchema>;

/** `POST /v1/messages/count_tokens`. */
export const countTokensResponseSchema = z.object({ input_tokens: z.int() });
