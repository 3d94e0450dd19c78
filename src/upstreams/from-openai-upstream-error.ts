import { GatewayError, type OpenAIErrorType } from '../errors/gateway-error.ts';

const OPENAI_ERROR_TYPES: ReadonlySet<string> = new Set([
  'invalid_request_error', 'authentication_error', 'permission_error', 'not_found_error', 'rate_limit_error', 'api_error', 'server_error', 'timeout_error',
]);
const MAX_MESSAGE_LENGTH = 1_000;

/**
 * An OpenAI-compatible server's non-2xx answer → the GatewayError the client gets, keeping the
 * server's own message, type, param and code when its body has OpenAI's shape. The server's 5xx
 * become 502 (its 503 and 504 stay: the request never ran, or timed out), as for Ollama, with the
 * gateway's own codes so failover and the busy cool-down treat them as Ollama's.
 */
export function fromOpenAiUpstreamError(status: number, bodyText: string, upstream: string): GatewayError {
  const parsed = readErrorObject(bodyText);
  const message = (parsed?.message ?? bodyText.trim()).slice(0, MAX_MESSAGE_LENGTH) || `The upstream ${upstream} answered HTTP ${status}.`;
  const clientStatus = status >= 500 && status !== 503 && status !== 504 ? 502 : status;
  const type = parsed?.type !== undefined && OPENAI_ERROR_TYPES.has(parsed.type) ? (parsed.type as OpenAIErrorType) : defaultType(clientStatus);
  // Not a kind of the error table: the status, type and code are the upstream server's own, relayed.
  return new GatewayError(message, {
    status: clientStatus,
    type,
    param: parsed?.param ?? null,
    code: status >= 500 ? serverFailureCode(status) : (parsed?.code ?? null),
    ...(status === 429 || status === 503 ? { retryAfterSeconds: 1 } : {}),
  });
}

interface ErrorObject {
  message?: string;
  type?: string;
  param?: string | null;
  code?: string | null;
}

/** `{error: {message, type, param, code}}` (OpenAI, vLLM) or `{error: "text"}` (llama.cpp's older builds). */
function readErrorObject(bodyText: string): ErrorObject | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === 'string') return { message: error };
  if (error === null || typeof error !== 'object') return undefined;
  const fields = error as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
  return { message: text(fields['message']), type: text(fields['type']), param: text(fields['param']) ?? null, code: text(fields['code']) ?? null } as ErrorObject;
}

function serverFailureCode(status: number): string {
  if (status === 503) return 'upstream_busy';
  return status === 504 ? 'upstream_timeout' : 'upstream_error';
}

function defaultType(status: number): OpenAIErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 504) return 'timeout_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}
