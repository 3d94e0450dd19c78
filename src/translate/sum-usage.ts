/** Adds token usages, for answers served by several generations (`n > 1`, several prompts). */
import type { Usage } from '../openai/usage.ts';

/** A missing usage (the openai SDK types make it optional) counts as zero. */
export function sumUsage(usages: readonly (Usage | undefined)[]): Usage {
  const total: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  for (const usage of usages) {
    if (usage === undefined) continue;
    total.prompt_tokens += usage.prompt_tokens;
    total.completion_tokens += usage.completion_tokens;
    total.total_tokens += usage.total_tokens;
  }
  return total;
}
