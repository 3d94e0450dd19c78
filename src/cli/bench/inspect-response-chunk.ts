/**
 * What one parsed response object (a whole JSON answer, an SSE `data` payload or an NDJSON line)
 * tells the benchmark: whether it carried generated content, the completion token count when the
 * server reported one, and an error message when it was an error object.
 */
export interface ChunkFacts {
  hasContent: boolean;
  completionTokens: number | null;
  error: string | null;
}

/** Reads an OpenAI chat or completions object, streamed (`delta`) or whole (`message`). */
export function inspectOpenAiChunk(value: unknown): ChunkFacts {
  const record = asRecord(value);
  const choice = asRecord(Array.isArray(record['choices']) ? record['choices'][0] : undefined);
  const part = asRecord(choice['delta'] ?? choice['message']);
  const hasContent =
    isNonEmptyString(choice['text']) ||
    isNonEmptyString(part['content']) ||
    isNonEmptyString(part['reasoning_content']) ||
    isNonEmptyString(part['reasoning']) ||
    Array.isArray(part['tool_calls']);
  const usage = asRecord(record['usage']);
  return {
    hasContent,
    completionTokens: typeof usage['completion_tokens'] === 'number' ? usage['completion_tokens'] : null,
    error: describeError(record['error']),
  };
}

/** Reads an Ollama `/api/chat` or `/api/generate` line or whole answer. */
export function inspectOllamaChunk(value: unknown): ChunkFacts {
  const record = asRecord(value);
  const message = asRecord(record['message']);
  const hasContent =
    isNonEmptyString(record['response']) ||
    isNonEmptyString(record['thinking']) ||
    isNonEmptyString(message['content']) ||
    isNonEmptyString(message['thinking']) ||
    Array.isArray(message['tool_calls']) ||
    Array.isArray(record['tool_calls']);
  const evalCount = record['eval_count'];
  return {
    hasContent,
    completionTokens: record['done'] === true && typeof evalCount === 'number' ? evalCount : null,
    error: describeError(record['error']),
  };
}

function describeError(error: unknown): string | null {
  if (error === undefined || error === null) return null;
  if (typeof error === 'string') return error;
  const message = asRecord(error)['message'];
  return typeof message === 'string' ? message : JSON.stringify(error);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}
