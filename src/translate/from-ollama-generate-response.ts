/** A non-streamed `/api/generate` answer → OpenAI's `text_completion` (docs/ollama-api-notes.md, Generate). */
import type { OllamaGenerateChunk } from '../ollama/wire.ts';
import type { TextCompletionResponse } from '../openai/text-completion-response.ts';
import { convertCompletionLogprobs } from './convert-completion-logprobs.ts';
import { convertUsage } from './convert-usage.ts';
import type { ResponseIdentity } from './from-ollama-chat-response.ts';
import { mapCompletionDoneReason } from './map-done-reason.ts';

export interface FromOllamaGenerateOptions extends ResponseIdentity {
  /** The choice's position when several generations answer one request. */
  choiceIndex?: number | undefined;
  /** `echo: true`: the prompt, put before the generated text. */
  echoPrompt?: string | undefined;
}

/** One choice; the model's thinking has no place in a text completion and is left out, as in Ollama. */
export function fromOllamaGenerateResponse(native: OllamaGenerateChunk, options: FromOllamaGenerateOptions): TextCompletionResponse {
  return {
    id: options.id,
    object: 'text_completion',
    created: options.created,
    model: options.model,
    ...(options.systemFingerprint === undefined ? {} : { system_fingerprint: options.systemFingerprint }),
    choices: [{ index: options.choiceIndex ?? 0, text: (options.echoPrompt ?? '') + native.response, logprobs: convertCompletionLogprobs(native.logprobs, (options.echoPrompt ?? '').length), finish_reason: mapCompletionDoneReason(native.done_reason) }],
    usage: convertUsage(native),
  };
}
