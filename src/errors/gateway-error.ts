/** OpenAI's error `type` values that the gateway emits. */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'api_error'
  | 'server_error'
  | 'timeout_error';

export interface GatewayErrorOptions {
  status: number;
  type: OpenAIErrorType;
  code?: string | null;
  param?: string | null;
  /** Seconds, sent as `Retry-After` (429 and 503). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * The one error the gateway raises on purpose. The error middleware (and the SSE writer, once a
 * stream has started) serialises it as `{error: {message, type, param, code}}`.
 */
export class GatewayError extends Error {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: GatewayErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.status = options.status;
    this.type = options.type;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The OpenAI wire body. */
  toBody(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const invalidRequest = (message: string, param: string | null = null, code: string | null = null): GatewayError =>
  new GatewayError(message, { status: 400, type: 'invalid_request_error', param, code });

export const modelNotFound = (model: string): GatewayError =>
  new GatewayError(`The model \`${model}\` does not exist or you do not have access to it.`, {
    status: 404,
    type: 'invalid_request_error',
    param: 'model',
    code: 'model_not_found',
  });

export const notFound = (message: string, code: string | null = 'not_found'): GatewayError =>
  new GatewayError(message, { status: 404, type: 'invalid_request_error', code });

export const invalidApiKey = (): GatewayError =>
  new GatewayError('Incorrect API key provided. Send `Authorization: Bearer <key>` with a configured key.', {
    status: 401,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  });

export const rateLimited = (message: string, retryAfterSeconds: number, code = 'rate_limit_exceeded'): GatewayError =>
  new GatewayError(message, { status: 429, type: 'rate_limit_error', code, retryAfterSeconds });

export const overloaded = (message: string, retryAfterSeconds: number, code = 'overloaded'): GatewayError =>
  new GatewayError(message, { status: 503, type: 'server_error', code, retryAfterSeconds });

export const upstreamUnavailable = (message: string, cause?: unknown): GatewayError =>
  new GatewayError(message, { status: 503, type: 'server_error', code: 'upstream_unavailable', retryAfterSeconds: 5, cause });

export const upstreamError = (message: string, cause?: unknown, code = 'upstream_error'): GatewayError =>
  new GatewayError(message, { status: 502, type: 'api_error', code, cause });

export const upstreamTimeout = (message: string, cause?: unknown): GatewayError =>
  new GatewayError(message, { status: 504, type: 'timeout_error', code: 'upstream_timeout', cause });
