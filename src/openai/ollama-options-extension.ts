/**
 * Our extension to the OpenAI request bodies: Ollama's own sampling and runner options, as an `options`
 * object with Ollama's names and as the top-level extras other OpenAI-compatible servers accept
 * (`top_k`, `min_p`, `repetition_penalty`). Names are checked, so a typo is a 400 naming it instead of
 * an option Ollama logs and ignores.
 */
import { z } from 'zod';

const count = z.int();
const fraction = z.number();

/** Ollama's option names (the Modelfile parameters of docs/ollama-api-notes.md, "Chat request") with the types its `Options` struct decodes. */
export const ollamaRequestOptionsSchema = z.strictObject({
  num_keep: count.optional(),
  seed: count.optional(),
  num_predict: count.optional(),
  top_k: count.optional(),
  top_p: fraction.optional(),
  min_p: fraction.optional(),
  typical_p: fraction.optional(),
  repeat_last_n: count.optional(),
  temperature: fraction.optional(),
  repeat_penalty: fraction.optional(),
  presence_penalty: fraction.optional(),
  frequency_penalty: fraction.optional(),
  stop: z.array(z.string()).optional(),
  num_ctx: count.min(1).optional(),
  num_batch: count.min(1).optional(),
  num_gpu: count.optional(),
  main_gpu: count.optional(),
  use_mmap: z.boolean().optional(),
  num_thread: count.min(0).optional(),
  draft_num_predict: count.optional(),
});
export type OllamaRequestOptions = z.infer<typeof ollamaRequestOptionsSchema>;

/** The fields every OpenAI generation body gains; spread into the request schemas. */
export const ollamaOptionsExtension = {
  /** Ollama's `options`, under the OpenAI fields of the same meaning and over the configured per-model options. */
  options: ollamaRequestOptionsSchema.nullish(),
  top_k: count.min(0).nullish(),
  min_p: fraction.min(0).max(1).nullish(),
  /** vLLM's and llama.cpp's name for Ollama's `repeat_penalty`. */
  repetition_penalty: fraction.min(0).nullish(),
};

export interface OllamaOptionsFields {
  options?: OllamaRequestOptions | null | undefined;
  top_k?: number | null | undefined;
  min_p?: number | null | undefined;
  repetition_penalty?: number | null | undefined;
}

/** The client's Ollama options: the `options` object, then the top-level extras over it. */
export function readOllamaOptionsExtension(request: OllamaOptionsFields): Record<string, unknown> {
  const extras: Record<string, unknown> = { ...request.options };
  if (request.top_k !== null && request.top_k !== undefined) extras['top_k'] = request.top_k;
  if (request.min_p !== null && request.min_p !== undefined) extras['min_p'] = request.min_p;
  if (request.repetition_penalty !== null && request.repetition_penalty !== undefined) extras['repeat_penalty'] = request.repetition_penalty;
  return extras;
}
