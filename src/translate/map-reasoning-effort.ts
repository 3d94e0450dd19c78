/** OpenAI's `reasoning_effort` → Ollama's `think` (docs/ollama-api-notes.md, Chat request). */
import type { OllamaThink } from '../ollama/wire.ts';
import type { ReasoningEffort } from '../openai/chat-completion-request.ts';

const thinkByEffort: Readonly<Record<ReasoningEffort, OllamaThink>> = {
  none: false,
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  max: 'max',
  xhigh: 'max',
  ultra: 'max',
};

/**
 * `undefined` (no `think` key) when the client asked nothing: a thinking model then thinks by default.
 * Invalid values never get here; the request schema refuses them with Ollama's message.
 */
export function mapReasoningEffort(effort: ReasoningEffort | null | undefined): OllamaThink | undefined {
  return effort === null || effort === undefined ? undefined : thinkByEffort[effort];
}
