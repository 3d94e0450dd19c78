import type { OpenAIErrorType } from './gateway-error.ts';

/** One kind of gateway error: its HTTP status, OpenAI `type`, default `code`, and message when fixed. */
export interface ErrorKind {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: string | null;
  readonly message?: string;
  readonly retryAfterSeconds?: number;
}

/**
 * The table of every error the gateway raises on purpose (like openai-node's `APIError.generate` or
 * fastify's error codes): factories and classifiers look kinds up here instead of spelling statuses
 * inline, so one kind has one status everywhere (`client_closed` is 499, logged and counted, never read).
 */
export const ERROR_KINDS = {
  invalid_request: { status: 400, type: 'invalid_request_error', code: null },
  invalid_api_key: {
    status: 401,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: 'Incorrect API key provided. Send `Authorization: Bearer <key>` with a configured key.',
  },
  permission_denied: { status: 403, type: 'permission_error', code: null },
  // 404s are `not_found_error`, the type Ollama's `/v1` layer gives every 404 (the SDKs read the status)
  not_found: { status: 404, type: 'not_found_error', code: 'not_found' },
  model_not_found: { status: 404, type: 'not_found_error', code: 'model_not_found' },
  method_not_allowed: { status: 405, type: 'invalid_request_error', code: 'method_not_allowed' },
  request_timeout: { status: 408, type: 'invalid_request_error', code: 'invalid_http', message: 'The request headers did not arrive in time.' },
  request_too_large: { status: 413, type: 'invalid_request_error', code: 'request_too_large' },
  unsupported_encoding: { status: 415, type: 'invalid_request_error', code: 'unsupported_encoding' },
  expectation_failed: { status: 417, type: 'invalid_request_error', code: 'expectation_failed' },
  headers_too_large: { status: 431, type: 'invalid_request_error', code: 'invalid_http', message: 'The request headers are larger than the gateway accepts.' },
  rate_limited: { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  /** OpenAI's answer to an exhausted budget: the same status as a rate, a type and code of its own. */
  insufficient_quota: { status: 429, type: 'insufficient_quota', code: 'insufficient_quota' },
  client_closed: { status: 499, type: 'invalid_request_error', code: 'client_closed', message: 'The client closed the connection.' },
  internal_error: { status: 500, type: 'server_error', code: 'internal_error', message: 'The gateway failed unexpectedly; see its logs for the request id.' },
  upstream_error: { status: 502, type: 'api_error', code: 'upstream_error' },
  overloaded: { status: 503, type: 'server_error', code: 'overloaded' },
  upstream_unavailable: { status: 503, type: 'server_error', code: 'upstream_unavailable', retryAfterSeconds: 5 },
  upstream_timeout: { status: 504, type: 'timeout_error', code: 'upstream_timeout' },
} as const satisfies Record<string, ErrorKind>;

export type ErrorKindName = keyof typeof ERROR_KINDS;
