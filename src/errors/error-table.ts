import type { OpenAIErrorType } from './gateway-error.ts';

/** One kind of gateway error: its HTTP status, OpenAI `type`, default `code`, and message when it has one. */
export interface ErrorKind {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: string | null;
  /** Fixed, or a template whose `{name}` placeholders are filled from the facts of one error. */
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
  pull_not_allowed: {
    status: 403,
    type: 'permission_error',
    code: 'pull_not_allowed',
    message: "Pulling `{model}` is not allowed: add it to `models` or match it with `pullAllowed` in the gateway's config.",
  },
  // 404s are `not_found_error`, the type Ollama's `/v1` layer gives every 404 (the SDKs read the status)
  not_found: { status: 404, type: 'not_found_error', code: 'not_found' },
  response_not_found: { status: 404, type: 'not_found_error', code: 'not_found', message: "Response with id '{id}' not found." },
  previous_response_not_found: { status: 404, type: 'not_found_error', code: 'previous_response_not_found', message: "Response with id '{id}' not found." },
  model_not_found: { status: 404, type: 'not_found_error', code: 'model_not_found', message: 'The model `{model}` does not exist or you do not have access to it.' },
  /** A missing model that pull on demand may not fetch: still a 404, saying why it was not pulled. */
  model_not_pullable: {
    status: 404,
    type: 'not_found_error',
    code: 'model_not_found',
    message: 'The model `{model}` does not exist, and it is not pulled on demand because it is neither configured nor matched by `pullAllowed`.',
  },
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
  upstream_invalid_response: { status: 502, type: 'api_error', code: 'upstream_invalid_response' },
  pull_failed: { status: 502, type: 'api_error', code: 'pull_failed', message: 'The pull stopped unexpectedly.' },
  overloaded: { status: 503, type: 'server_error', code: 'overloaded' },
  draining: { status: 503, type: 'server_error', code: 'draining', message: 'The gateway is shutting down and accepts no new requests.', retryAfterSeconds: 5 },
  redis_unavailable: { status: 503, type: 'server_error', code: 'redis_unavailable', message: 'The shared rate limiter (Redis) is unavailable.', retryAfterSeconds: 5 },
  upstream_unavailable: { status: 503, type: 'server_error', code: 'upstream_unavailable', retryAfterSeconds: 5 },
  upstream_timeout: { status: 504, type: 'timeout_error', code: 'upstream_timeout' },
} as const satisfies Record<string, ErrorKind>;

export type ErrorKindName = keyof typeof ERROR_KINDS;

/** The placeholders of a message template: "Pulling `{model}`" → 'model'. */
type Placeholders<Template> = Template extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** What fills the template of `Kind` (never, for a kind whose message is not a template). */
export type ErrorFacts<Kind extends ErrorKindName> = (typeof ERROR_KINDS)[Kind] extends { message: infer Template extends string }
  ? [Placeholders<Template>] extends [never]
    ? never
    : Record<Placeholders<Template>, string | number>
  : never;

/** Fills `{name}` placeholders from `facts`. */
export function fillTemplate(template: string, facts: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => (Object.hasOwn(facts, name) ? String(facts[name]) : placeholder));
}

/** The kind an HTTP status stands for (like openai-node's `APIError.generate`), for errors that carry only a status. */
const KIND_OF_STATUS: Readonly<Record<number, ErrorKindName>> = {
  400: 'invalid_request',
  403: 'permission_denied',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  413: 'request_too_large',
  415: 'unsupported_encoding',
  417: 'expectation_failed',
  431: 'headers_too_large',
};

/** The request kind of a 4xx status; any other 4xx is an invalid request (400). */
export function requestKindOfStatus(status: number): ErrorKindName {
  return KIND_OF_STATUS[status] ?? 'invalid_request';
}
