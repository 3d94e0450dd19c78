/** Ollama's token counts → OpenAI's `usage`. */
import type { Usage } from '../openai/usage.ts';

interface OllamaCounts {
  prompt_eval_count?: number | undefined;
  eval_count?: number | undefined;
}

/** Counts come only from the `done` line, and Ollama omits a count that is zero. */
export function convertUsage(counts: OllamaCounts): Usage {
  const promptTokens = counts.prompt_eval_count ?? 0;
  const completionTokens = counts.eval_count ?? 0;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}
