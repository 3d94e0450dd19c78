/** Anthropic's `thinking` and `output_config.effort` → Ollama's `think` (DIALECTS.md §2.3). */
import type { MessagesRequest } from '../../anthropic/messages-request.ts';
import type { OllamaThink } from '../../ollama/wire.ts';

const thinkByEffort = { low: 'low', medium: 'medium', high: 'high', xhigh: 'high', max: 'max' } as const;

/**
 * `enabled` → `true` (Ollama has no token budget); `disabled` → `false`, whatever the effort; an
 * effort with `adaptive` or no thinking → that level. `undefined`: no `think` key, the model's default.
 */
export function mapThinking(request: Pick<MessagesRequest, 'thinking' | 'output_config'>): OllamaThink | undefined {
  if (request.thinking?.type === 'disabled') return false;
  if (request.thinking?.type === 'enabled') return true;
  const effort = request.output_config?.effort;
  return effort === null || effort === undefined ? undefined : thinkByEffort[effort];
}
