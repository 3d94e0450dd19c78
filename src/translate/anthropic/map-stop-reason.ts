/** Ollama's `done_reason` → Anthropic's `stop_reason` (DIALECTS.md §2.5, with `end_turn` where Ollama guesses). */
import type { StopReason } from '../../anthropic/messages-response.ts';

/**
 * A tool call wins (even over `length`, as in Anthropic's API: the client must answer the call);
 * `length` is `max_tokens`; everything else is `end_turn`. Ollama reports `stop` when a stop
 * sequence matched too, so `stop_sequence` cannot be told apart and is never claimed.
 */
export function mapStopReason(doneReason: string | undefined, calledTools: boolean): StopReason {
  if (calledTools) return 'tool_use';
  return doneReason === 'length' ? 'max_tokens' : 'end_turn';
}
