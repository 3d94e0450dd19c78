/**
 * What the gateway answers on `POST /v1/chat/completions`: `chat.completion` and, streamed,
 * `chat.completion.chunk`. Less strict than the request schemas (they describe our own output);
 * a contract test checks the inferred types against the openai SDK's.
 */
import { z } from 'zod';
import { usageSchema } from './usage.ts';

export const finishReasonSchema = z.enum(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);
export type FinishReason = z.infer<typeof finishReasonSchema>;

const topLogprobSchema = z.object({ token: z.string(), logprob: z.number(), bytes: z.array(z.int()).nullable() });

export const tokenLogprobSchema = z.object({
  token: z.string(),
  logprob: z.number(),
  bytes: z.array(z.int()).nullable(),
  top_logprobs: z.array(topLogprobSchema),
});
export type TokenLogprob = z.infer<typeof tokenLogprobSchema>;

export const choiceLogprobsSchema = z.object({
  content: z.array(tokenLogprobSchema).nullable(),
  refusal: z.array(tokenLogprobSchema).nullable(),
});
export type ChoiceLogprobs = z.infer<typeof choiceLogprobsSchema>;

export const responseToolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});
export type ResponseToolCall = z.infer<typeof responseToolCallSchema>;

export const chatCompletionSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.int(),
  model: z.string(),
  system_fingerprint: z.string().exactOptional(),
  choices: z.array(
    z.object({
      index: z.int(),
      message: z.object({
        role: z.literal('assistant'),
        content: z.string().nullable(),
        refusal: z.string().nullable(),
        /** The model's thinking (Ollama's `thinking`), under the name Ollama's own layer uses. */
        reasoning: z.string().exactOptional(),
        tool_calls: z.array(responseToolCallSchema).exactOptional(),
      }),
      finish_reason: finishReasonSchema,
      logprobs: choiceLogprobsSchema.nullable(),
    }),
  ),
  usage: usageSchema,
});
export type ChatCompletionResponse = z.infer<typeof chatCompletionSchema>;

/** A streamed tool call: the whole call in one delta (Ollama parses calls whole), plus its position. */
export const deltaToolCallSchema = z.object({ index: z.int(), ...responseToolCallSchema.shape });
export type DeltaToolCall = z.infer<typeof deltaToolCallSchema>;

export const chatCompletionChunkSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.int(),
  model: z.string(),
  system_fingerprint: z.string().exactOptional(),
  choices: z.array(
    z.object({
      index: z.int(),
      delta: z.object({
        role: z.literal('assistant').exactOptional(),
        content: z.string().exactOptional(),
        reasoning: z.string().exactOptional(),
        tool_calls: z.array(deltaToolCallSchema).exactOptional(),
      }),
      finish_reason: finishReasonSchema.nullable(),
      logprobs: choiceLogprobsSchema.exactOptional(),
    }),
  ),
  /** `null` on every chunk but the last when usage was asked for (like OpenAI); absent otherwise. */
  usage: usageSchema.nullable().exactOptional(),
});
export type ChatCompletionChunkResponse = z.infer<typeof chatCompletionChunkSchema>;
