/** An Ollama non-2xx answer (or a `{"error"}` line mid-stream) → the `GatewayError` the client gets. */
import {
  clientClosed,
  gatewayError,
  type GatewayError,
  invalidRequest,
  overloaded,
  rateLimited,
  upstreamError,
  upstreamTimeout,
} from './gateway-error.ts';

export interface FromOllamaErrorOptions {
  /** `Retry-After` for Ollama's 503 `server busy` (its queue was full) and 429. */
  retryAfterSeconds?: number | undefined;
}

const maximumMessageLength = 1_000;

/**
 * Defensive about the body: empty, not JSON, JSON without `error`. Ollama's error texts are the only
 * signal of what went wrong, so known texts name the `param` (`model`, `tools`, `reasoning_effort`, …).
 * Ollama 5xx become 502: the fault is upstream, not in the gateway.
 */
export function fromOllamaError(status: number, bodyText: string, options: FromOllamaErrorOptions = {}): GatewayError {
  const message = readErrorMessage(status, bodyText);
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  if (status === 400) return describeBadRequest(message);
  if (status === 404) {
    const mentionsModel = /\bmodel\b/i.test(message);
    return mentionsModel ? gatewayError('model_not_found', message, { param: 'model' }) : gatewayError('not_found', message);
  }
  if (status === 413) return gatewayError('request_too_large', message);
  if (status === 429) return rateLimited(message, retryAfterSeconds);
  if (status === 499) return clientClosed(message);
  if (status === 503) return overloaded(`Ollama is busy: ${message}`, retryAfterSeconds, 'upstream_busy');
  if (status === 504) return upstreamTimeout(`Ollama timed out: ${message}`);
  // A 2xx status here means an `{"error"}` line arrived mid-stream
  if (status < 400) return upstreamError(`Ollama failed while generating: ${message}`);
  return upstreamError(`Ollama failed (HTTP ${status}): ${message}`);
}

function readErrorMessage(status: number, bodyText: string): string {
  const text = bodyText.trim();
  if (text === '') return `empty response body with HTTP status ${status}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return truncate(text);
  }
  if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
    const error = parsed.error;
    if (typeof error === 'string') return truncate(error);
    if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
      return truncate(error.message);
    }
  }
  return truncate(text);
}

/** Ollama's 400 texts (docs/ollama-api-notes.md, errors) → the request field at fault. */
const badRequestRules: readonly { pattern: RegExp; param: string; code: string | null }[] = [
  { pattern: /^model is required|invalid model name/i, param: 'model', code: null },
  { pattern: /does not support tools/i, param: 'tools', code: 'unsupported_feature' },
  { pattern: /does not support thinking/i, param: 'reasoning_effort', code: 'unsupported_feature' },
  { pattern: /does not support insert/i, param: 'suffix', code: 'unsupported_feature' },
  { pattern: /does not support (chat|generate|embedding)/i, param: 'model', code: 'unsupported_model' },
  { pattern: /top_logprobs must be/i, param: 'top_logprobs', code: null },
  { pattern: /input length exceeds the context length/i, param: 'input', code: 'context_length_exceeded' },
  { pattern: /^option "|must be of type/i, param: 'options', code: null },
];

function describeBadRequest(message: string): GatewayError {
  const rule = badRequestRules.find((candidate) => candidate.pattern.test(message));
  return invalidRequest(message, rule?.param ?? null, rule?.code ?? null);
}

function truncate(text: string): string {
  return text.length > maximumMessageLength ? `${text.slice(0, maximumMessageLength)}…` : text;
}
