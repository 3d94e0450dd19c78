import type { GenerationContext, GenerationUsage } from '../generation/generation-context.ts';

/**
 * The tokens a request used, as its key is charged for them: Ollama's counts from the final line,
 * or, for a stream cut short before it, one completion token per line that arrived (the prompt's
 * count is only on the final line, so it is not charged then).
 */
export function settledUsage(context: GenerationContext): GenerationUsage {
  if (context.usage !== undefined) return context.usage;
  return { promptTokens: 0, completionTokens: context.streamedLines ?? 0 };
}
