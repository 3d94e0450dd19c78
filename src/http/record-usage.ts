import type { GenerationContext } from '../generation/generation-context.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';

interface Usage {
  prompt_tokens: number;
  completion_tokens?: number;
}

/** Settles a finished generation's tokens: in `tokens_total` and in the request's context (log line, keys). */
export function recordUsage(metrics: GatewayMetrics, context: GenerationContext, usage: Usage | null | undefined): void {
  if (usage === null || usage === undefined) return;
  const model = context.model ?? 'unknown';
  const completion = usage.completion_tokens ?? 0;
  context.usage = { promptTokens: usage.prompt_tokens, completionTokens: completion };
  metrics.tokensTotal.inc({ model, kind: 'prompt' }, usage.prompt_tokens);
  if (completion > 0) metrics.tokensTotal.inc({ model, kind: 'completion' }, completion);
}
