/**
 * The body of `POST /v1/llm/{model}`: a prompt for Ollama's `/api/generate`, in the sidecar's own
 * small shape. Strict: an unknown key is a 400 naming it, never silently dropped.
 */
import { z } from 'zod';
import { checkOptionTypes } from '../ollama/check-option-types.ts';

export const llmGenerateRequestSchema = z.strictObject({
  /** Accepted for clients that always send one; the model in the path wins (the model-choice rule). */
  model: z.string().optional(),
  prompt: z.string(),
  system: z.string().optional(),
  /** Ollama options (`temperature`, `num_ctx`, `num_predict`, …); the model's configured options go under them. */
  options: z
    .record(z.string(), z.unknown())
    .superRefine((options, context) => {
      const problem = checkOptionTypes(options);
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  stream: z.boolean().optional(),
  /** `"json"` or a JSON Schema the answer must follow (Ollama's structured outputs). */
  format: z.union([z.literal('json'), z.record(z.string(), z.unknown())]).optional(),
  /** How long Ollama keeps the model loaded afterwards (`"5m"`, seconds, `0` unloads); default from the model's `keepAlive`. */
  keep_alive: z.union([z.string(), z.number()]).optional(),
});
export type LlmGenerateRequest = z.infer<typeof llmGenerateRequestSchema>;

/** The optional body of `POST /v1/llm/{model}/pull`. */
export const llmPullRequestSchema = z.strictObject({
  /** Relay progress as it comes (SSE, or NDJSON with `Accept: application/x-ndjson`); `Accept: text/event-stream` also asks for it. */
  stream: z.boolean().optional(),
});
export type LlmPullRequest = z.infer<typeof llmPullRequestSchema>;
