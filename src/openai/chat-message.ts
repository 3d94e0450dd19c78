/**
 * OpenAI chat messages as clients send them (`messages[]` of `POST /v1/chat/completions`).
 * Types and ranges are checked strictly; keys we do not know inside a message are dropped, because
 * clients echo whole response messages back (`refusal: null`, `annotations: []`, `audio`, …).
 */
import { z } from 'zod';

export const textContentPartSchema = z.object({ type: z.literal('text'), text: z.string() });

export const imageUrlContentPartSchema = z.object({
  type: z.literal('image_url'),
  /** OpenAI sends `{url, detail?}`; some clients send the URL as a bare string (Ollama accepts both). */
  image_url: z.union([
    z.object({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
    z.string(),
  ]),
});

export const inputAudioContentPartSchema = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({ data: z.string(), format: z.string().optional() }),
});

/** Accepted by the schema so the refusal can name the part; the translator refuses it (Ollama has no files). */
export const fileContentPartSchema = z.object({
  type: z.literal('file'),
  file: z.object({ file_data: z.string().optional(), file_id: z.string().optional(), filename: z.string().optional() }),
});

export const refusalContentPartSchema = z.object({ type: z.literal('refusal'), refusal: z.string() });

export const userContentPartSchema = z.discriminatedUnion('type', [
  textContentPartSchema,
  imageUrlContentPartSchema,
  inputAudioContentPartSchema,
  fileContentPartSchema,
]);
export type UserContentPart = z.infer<typeof userContentPartSchema>;

export const assistantContentPartSchema = z.discriminatedUnion('type', [textContentPartSchema, refusalContentPartSchema]);

const textContentSchema = z.union([z.string(), z.array(textContentPartSchema)]);

export const messageToolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});
export type MessageToolCall = z.infer<typeof messageToolCallSchema>;

export const systemMessageSchema = z.object({
  role: z.literal('system'),
  content: textContentSchema,
  name: z.string().optional(),
});

export const developerMessageSchema = z.object({
  role: z.literal('developer'),
  content: textContentSchema,
  name: z.string().optional(),
});

export const userMessageSchema = z.object({
  role: z.literal('user'),
  content: z.union([z.string(), z.array(userContentPartSchema)]),
  name: z.string().optional(),
});

export const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.union([z.string(), z.array(assistantContentPartSchema)]).nullish(),
  name: z.string().optional(),
  tool_calls: z.array(messageToolCallSchema).nullish(),
  /** The reasoning text of an earlier turn: `reasoning` (Ollama, OpenRouter) or `reasoning_content` (DeepSeek, vLLM). */
  reasoning: z.string().nullish(),
  reasoning_content: z.string().nullish(),
  refusal: z.string().nullish(),
});

/** A tool's result: OpenAI names the call by `tool_call_id`; Ollama's own layer also accepts just the tool's `name`. */
export const toolMessageSchema = z
  .object({
    role: z.literal('tool'),
    content: textContentSchema,
    tool_call_id: z.string().optional(),
    /** Not in OpenAI's spec, but Ollama reads it as the tool's name. */
    name: z.string().optional(),
  })
  .refine((message) => message.tool_call_id !== undefined || message.name !== undefined, {
    message: 'Missing required parameter: tool_call_id (or the tool\'s `name`).',
    path: ['tool_call_id'],
  });

/** Deprecated by OpenAI; sent to Ollama as a `tool` message named `name`. */
export const functionMessageSchema = z.object({
  role: z.literal('function'),
  content: z.string().nullable(),
  name: z.string(),
});

export const chatMessageSchema = z.discriminatedUnion('role', [
  systemMessageSchema,
  developerMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
  functionMessageSchema,
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;
