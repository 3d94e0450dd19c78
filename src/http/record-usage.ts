import type { Response } from 'express';
import type { GatewayServices } from './gateway-services.ts';
import { contextOf } from './request-context.ts';

interface Usage {
  prompt_tokens: number;
  completion_tokens?: number;
}

/** Counts a finished generation's tokens in metrics and in the request's log context. */
export function recordUsage(services: GatewayServices, res: Response, usage: Usage | null | undefined): void {
  if (usage === null || usage === undefined) return;
  const context = contextOf(res);
  const model = context.model ?? 'unknown';
  const completion = usage.completion_tokens ?? 0;
  context.promptTokens = usage.prompt_tokens;
  context.completionTokens = completion;
  services.metrics.tokensTotal.inc({ model, kind: 'prompt' }, usage.prompt_tokens);
  if (completion > 0) services.metrics.tokensTotal.inc({ model, kind: 'completion' }, completion);
}
