/** Ollama's `logprobs` (asked for with `logprobs` / `top_logprobs`) → OpenAI's `choices[].logprobs`. */
import type { OllamaLogprob } from '../ollama/wire.ts';
import type { ChoiceLogprobs } from '../openai/chat-completion-response.ts';

export type { OllamaLogprob };

/** A native chat line or answer that may carry logprobs. */
export interface WithLogprobs {
  logprobs?: readonly OllamaLogprob[] | null | undefined;
}

/** `undefined` when the native response had none, so the key is left out. */
export function convertLogprobs(logprobs: readonly OllamaLogprob[] | null | undefined): ChoiceLogprobs | undefined {
  if (logprobs === undefined || logprobs === null || logprobs.length === 0) return undefined;
  return {
    content: logprobs.map((entry) => ({
      token: entry.token,
      logprob: entry.logprob,
      bytes: entry.bytes ?? null,
      top_logprobs: (entry.top_logprobs ?? []).map((top) => ({ token: top.token, logprob: top.logprob, bytes: top.bytes ?? null })),
    })),
    refusal: null,
  };
}
