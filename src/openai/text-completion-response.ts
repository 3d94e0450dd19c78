/** What the gateway answers on `POST /v1/completions`, whole or as streamed chunks. */
import { z } from 'zod';
import { usageSchema } from './usage.ts';

/** The legacy completions logprobs: parallel arrays over the choice's tokens. */
export const completionLogprobsSchema = z.object({
  tokens: z.array(z.string()),
  token_logprobs: z.array(z.number()),
  top_logprobs: z.array(z.record(z.string(), z.number())),
  /** Character offset of each token in the choice's text. */
  text_offset: z.array(z.int()),
});
export type CompletionLogprobs = z.infer<typeof completionLogprobsSchema>;

const textChoiceSchema = z.object({
  index: z.int(),
  text: z.string(),
  logprobs: completionLogprobsSchema.nullable(),
  finish_reason: z.enum(['stop', 'length', 'content_filter']),
});

export const textCompletionSchema = z.object({
  id: z.string(),
  object: z.literal('text_completion'),
  created: z.int(),
  model: z.string(),
  system_fingerprint: z.string().exactOptional(),
  choices: z.array(textChoiceSchema),
  usage: usageSchema,
});
export type TextCompletionResponse = z.infer<typeof textCompletionSchema>;

/** A streamed chunk: `finish_reason` is null until the separate finish chunk. */
export const textCompletionChunkSchema = z.object({
  id: z.string(),
  object: z.literal('text_completion'),
  created: z.int(),
  model: z.string(),
  system_fingerprint: z.string().exactOptional(),
  choices: z.array(textChoiceSchema.extend({ finish_reason: textChoiceSchema.shape.finish_reason.nullable() })),
  /** Only on the last chunk, when `stream_options.include_usage` asked for it. */
  usage: usageSchema.exactOptional(),
});
export type TextCompletionChunkResponse = z.infer<typeof textCompletionChunkSchema>;

/** The chunks that end a stream (finish chunk, usage chunk): typed as the openai SDK's `Completion`. */
export type TextCompletionFinishChunk = Omit<TextCompletionResponse, 'usage'> & { usage?: TextCompletionResponse['usage'] };
