/** Ollama's `logprobs` → the legacy completions format (`tokens`, `token_logprobs`, `top_logprobs`, `text_offset`). */
import type { OllamaLogprob } from '../ollama/wire.ts';
import type { CompletionLogprobs } from '../openai/text-completion-response.ts';

/**
 * `null` when Ollama sent none. `startOffset` is where the first token begins in the choice's text
 * (after an echoed prompt, or after the text of earlier chunks of a stream).
 */
export function convertCompletionLogprobs(logprobs: readonly OllamaLogprob[] | null | undefined, startOffset: number): CompletionLogprobs | null {
  if (logprobs === undefined || logprobs === null || logprobs.length === 0) return null;
  const converted: CompletionLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
  let offset = startOffset;
  for (const entry of logprobs) {
    converted.tokens.push(entry.token);
    converted.token_logprobs.push(entry.logprob);
    converted.top_logprobs.push(Object.fromEntries((entry.top_logprobs ?? []).map((top) => [top.token, top.logprob])));
    converted.text_offset.push(offset);
    offset += entry.token.length;
  }
  return converted;
}
