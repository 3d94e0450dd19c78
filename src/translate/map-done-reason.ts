/** Ollama's `done_reason` → OpenAI's `finish_reason`. */

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls';

/**
 * Precedence (docs/ollama-api-notes.md, Done reasons): `length` wins; a response that called a tool finishes with
 * `tool_calls` when it stopped (or gave no reason); otherwise `stop`. Ollama passes other native reasons through (`load`, `unload`) and
 * gives `null` when none was sent; neither is a value the OpenAI SDK types allow, and both only occur
 * for empty answers, so they become `stop`.
 */
export function mapDoneReason(doneReason: string | undefined, calledTools = false): ChatFinishReason {
  if (doneReason === 'length') return 'length';
  const stopped = doneReason === undefined || doneReason === '' || doneReason === 'stop';
  return stopped && calledTools ? 'tool_calls' : 'stop';
}

/** `/v1/completions` has no tool calls: `length` or `stop`. */
export function mapCompletionDoneReason(doneReason: string | undefined): 'stop' | 'length' {
  return doneReason === 'length' ? 'length' : 'stop';
}
