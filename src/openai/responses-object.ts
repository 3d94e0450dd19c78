/** The Responses API's `response` object, its output items, and the events of its stream, as the gateway sends them. */
import { z } from 'zod';

export const outputTextPartSchema = z.object({ type: z.literal('output_text'), text: z.string(), annotations: z.array(z.never()), logprobs: z.array(z.never()) });

export const outputMessageSchema = z.object({
  id: z.string(),
  type: z.literal('message'),
  status: z.enum(['in_progress', 'completed', 'incomplete']),
  role: z.literal('assistant'),
  content: z.array(outputTextPartSchema),
});

export const outputFunctionCallSchema = z.object({
  id: z.string(),
  type: z.literal('function_call'),
  status: z.enum(['in_progress', 'completed', 'incomplete']),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string(),
});

/** The model's thinking as the summary; `encrypted_content` carries it too, so it returns as input unchanged (Ollama's convention). */
export const outputReasoningSchema = z.object({
  id: z.string(),
  type: z.literal('reasoning'),
  summary: z.array(z.object({ type: z.literal('summary_text'), text: z.string() })),
  encrypted_content: z.string().optional(),
});

export const outputItemSchema = z.discriminatedUnion('type', [outputMessageSchema, outputFunctionCallSchema, outputReasoningSchema]);
export type OutputItem = z.infer<typeof outputItemSchema>;

export const responsesUsageSchema = z.object({
  input_tokens: z.int(),
  input_tokens_details: z.object({ cached_tokens: z.int() }),
  output_tokens: z.int(),
  output_tokens_details: z.object({ reasoning_tokens: z.int() }),
  total_tokens: z.int(),
});
export type ResponsesUsage = z.infer<typeof responsesUsageSchema>;

const echoedToolSchema = z.object({
  type: z.literal('function'),
  name: z.string(),
  description: z.string().nullable(),
  parameters: z.record(z.string(), z.unknown()).nullable(),
  strict: z.boolean().nullable(),
});

export const responseObjectSchema = z.object({
  id: z.string(),
  object: z.literal('response'),
  created_at: z.int(),
  status: z.enum(['completed', 'failed', 'in_progress', 'incomplete']),
  completed_at: z.int().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  incomplete_details: z.object({ reason: z.enum(['max_output_tokens']) }).nullable(),
  instructions: z.string().nullable(),
  max_output_tokens: z.int().nullable(),
  model: z.string(),
  output: z.array(outputItemSchema),
  parallel_tool_calls: z.boolean(),
  previous_response_id: z.string().nullable(),
  reasoning: z.object({ effort: z.string().nullable(), summary: z.string().nullable() }),
  store: z.boolean(),
  temperature: z.number().nullable(),
  text: z.object({ format: z.record(z.string(), z.unknown()) }),
  tool_choice: z.union([z.string(), z.record(z.string(), z.unknown())]),
  tools: z.array(echoedToolSchema),
  top_p: z.number().nullable(),
  truncation: z.enum(['auto', 'disabled']),
  usage: responsesUsageSchema.nullable(),
  user: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
});
export type ResponseObject = z.infer<typeof responseObjectSchema>;

const at = { sequence_number: z.int() };
const itemAt = { ...at, item_id: z.string(), output_index: z.int() };

export const responseStreamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('response.created'), response: responseObjectSchema, ...at }),
  z.object({ type: z.literal('response.in_progress'), response: responseObjectSchema, ...at }),
  z.object({ type: z.literal('response.completed'), response: responseObjectSchema, ...at }),
  z.object({ type: z.literal('response.incomplete'), response: responseObjectSchema, ...at }),
  z.object({ type: z.literal('response.failed'), response: responseObjectSchema, ...at }),
  z.object({ type: z.literal('response.output_item.added'), output_index: z.int(), item: outputItemSchema, ...at }),
  z.object({ type: z.literal('response.output_item.done'), output_index: z.int(), item: outputItemSchema, ...at }),
  z.object({ type: z.literal('response.content_part.added'), content_index: z.int(), part: outputTextPartSchema, ...itemAt }),
  z.object({ type: z.literal('response.content_part.done'), content_index: z.int(), part: outputTextPartSchema, ...itemAt }),
  z.object({ type: z.literal('response.output_text.delta'), content_index: z.int(), delta: z.string(), logprobs: z.array(z.never()), ...itemAt }),
  z.object({ type: z.literal('response.output_text.done'), content_index: z.int(), text: z.string(), logprobs: z.array(z.never()), ...itemAt }),
  z.object({ type: z.literal('response.function_call_arguments.delta'), delta: z.string(), ...itemAt }),
  z.object({ type: z.literal('response.function_call_arguments.done'), arguments: z.string(), ...itemAt }),
  z.object({ type: z.literal('response.reasoning_summary_part.added'), summary_index: z.int(), part: z.object({ type: z.literal('summary_text'), text: z.string() }), ...itemAt }),
  z.object({ type: z.literal('response.reasoning_summary_part.done'), summary_index: z.int(), part: z.object({ type: z.literal('summary_text'), text: z.string() }), ...itemAt }),
  z.object({ type: z.literal('response.reasoning_summary_text.delta'), summary_index: z.int(), delta: z.string(), ...itemAt }),
  z.object({ type: z.literal('response.reasoning_summary_text.done'), summary_index: z.int(), text: z.string(), ...itemAt }),
  z.object({ type: z.literal('error'), code: z.string().nullable(), message: z.string(), param: z.string().nullable(), ...at }),
]);
export type ResponseStreamEvent = z.infer<typeof responseStreamEventSchema>;

/** `DELETE /v1/responses/{id}`. */
export const deletedResponseSchema = z.object({ id: z.string(), object: z.literal('response'), deleted: z.literal(true) });

/** `GET /v1/responses/{id}/input_items`: one page of the items the response was made from. */
export const inputItemListSchema = z.object({
  object: z.literal('list'),
  data: z.array(z.looseObject({ id: z.string(), type: z.string() })),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
  has_more: z.boolean(),
});
