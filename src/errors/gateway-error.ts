import { ERROR_KINDS, fillTemplate, type ErrorFacts, type ErrorKind, type ErrorKindName } from './error-table.ts';

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

/** Extra facts of one error beyond its kind. */
export interface ErrorDetails {
  code?: string | null;
  param?: string | null;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * An error of a kind from the table, built like openai-node's `APIError.generate`: status, type and
 * code come from the kind. The message is the kind's own (fixed, or its template filled from `facts`)
 * or, for kinds without one, spelled out here.
 */
export function gatewayError<Kind extends ErrorKindName>(kind: Kind, message?: string | ErrorFacts<Kind>, details: ErrorDetails = {}): GatewayError {
  const entry: ErrorKind = ERROR_KINDS[kind];
  const retryAfterSeconds = details.retryAfterSeconds ?? entry.retryAfterSeconds;
  const text = typeof message === 'string' ? message : entry.message === undefined ? kind : message === undefined ? entry.message : fillTemplate(entry.message, message);
  return new GatewayError(text, {
    status: entry.status,
    type: entry.type,
    code: details.code === undefined ? entry.code : details.code,
    param: details.param ?? null,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    cause: details.cause,
  });
}

/** The same error (status, type, code, param, `Retry-After`) with a message that says more; the original is its cause. */
export function restate(error: GatewayError, message: string): GatewayError {
  return new GatewayError(message, {
    status: error.status,
    type: error.type,
    code: error.code,
    param: error.param,
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    cause: error,
  });
}

export const invalidRequest = (message: string, param: string | null = null, code: string | null = null): GatewayError =>
  gatewayError('invalid_request', message, { param, code });

export const modelNotFound = (model: string): GatewayError => gatewayError('model_not_found', { model }, { param: 'model' });

export const notFound = (message: string, code: string | null = 'not_found'): GatewayError => gatewayError('not_found', message, { code });

export const invalidApiKey = (): GatewayError => gatewayError('invalid_api_key');

export const rateLimited = (message: string, retryAfterSeconds: number, code = 'rate_limit_exceeded'): GatewayError =>
  gatewayError('rate_limited', message, { code, retryAfterSeconds });

export const overloaded = (message: string, retryAfterSeconds: number, code = 'overloaded'): GatewayError =>
  gatewayError('overloaded', message, { code, retryAfterSeconds });

export const upstreamUnavailable = (message: string, cause?: unknown): GatewayError => gatewayError('upstream_unavailable', message, { cause });

export const upstreamError = (message: string, cause?: unknown, code = 'upstream_error'): GatewayError => gatewayError('upstream_error', message, { code, cause });

export const upstreamTimeout = (message: string, cause?: unknown): GatewayError => gatewayError('upstream_timeout', message, { cause });

/** The client left before the answer was complete: logged and counted as 499; nobody reads the body. */
export const clientClosed = (message?: string): GatewayError => gatewayError('client_closed', message);
