import { GatewayError, upstreamError, upstreamTimeout, upstreamUnavailable } from './gateway-error.ts';

/** Codes meaning nothing reached Ollama: safe to retry, and "unreachable" to the client. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** The connect deadline (`connectTimeoutMs`): nothing reached Ollama, so safe to retry; a deadline (504) to the client. */
const CONNECT_TIMEOUT_CODE = 'UND_ERR_CONNECT_TIMEOUT';
/** Codes meaning the connection broke: retryable only before any byte reached the client. */
const BROKEN_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', CONNECT_TIMEOUT_CODE]);

/** The first `code` found along an error's `cause` chain (undici wraps socket errors). */
export function failureCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether a failure to talk to Ollama may be retried (only ever before the client saw a byte). */
export function isRetryableFailure(error: unknown): boolean {
  const code = failureCode(error);
  return code !== undefined && (UNREACHABLE_CODES.has(code) || BROKEN_CODES.has(code) || code === CONNECT_TIMEOUT_CODE);
}

/**
 * Turns a network-level failure into the GatewayError the client sees, by `cause.code`, never by
 * message text: unreachable → 503, broken connection → 502, connect/header/body timeout → 504.
 */
export function classifyUpstreamFailure(error: unknown, upstream: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const code = failureCode(error);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return upstreamUnavailable(`Ollama at ${upstream} is unreachable (${code}).`, error);
  }
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    const what = { UND_ERR_HEADERS_TIMEOUT: 'did not start answering', UND_ERR_BODY_TIMEOUT: 'stopped sending', [CONNECT_TIMEOUT_CODE]: 'did not accept the connection' }[code];
    return upstreamTimeout(`Ollama ${what} in time (${code}).`, error);
  }
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return upstreamTimeout('The request exceeded its time limit.', error);
  }
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return upstreamError(`The connection to Ollama failed (${detail}).`, error, code === undefined ? 'upstream_error' : 'upstream_connection_error');
}
