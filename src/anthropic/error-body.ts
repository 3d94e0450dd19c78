/**
 * Anthropic's error body, `{"type":"error","error":{"type","message"},"request_id"}`, and the status
 * each gateway error gets on the Anthropic routes (the SDK picks its error class from the status:
 * `RateLimitError` 429, `OverloadedError` 529, `NotFoundError` 404, …).
 */
import { z } from 'zod';
import type { GatewayError } from '../errors/gateway-error.ts';
import { isQueueFull } from '../scheduler/scheduler-errors.ts';

export const anthropicErrorTypes = [
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'overloaded_error',
] as const;
export type AnthropicErrorType = (typeof anthropicErrorTypes)[number];

export const anthropicErrorBodySchema = z.object({
  type: z.literal('error'),
  error: z.object({ type: z.enum(anthropicErrorTypes), message: z.string() }),
  request_id: z.string().optional(),
});
export type AnthropicErrorBody = z.infer<typeof anthropicErrorBodySchema>;

export interface AnthropicError {
  status: number;
  body: AnthropicErrorBody;
}

/**
 * A full queue and every 503 overload (queue timeout, global bound, Ollama busy, draining) are 529
 * `overloaded_error`, as Anthropic answers when it has no capacity; other statuses keep their number.
 */
export function toAnthropicError(error: GatewayError, requestId?: string): AnthropicError {
  const { status, type } = classify(error);
  const body: AnthropicErrorBody = { type: 'error', error: { type, message: error.message } };
  if (requestId !== undefined) body.request_id = requestId;
  return { status, body };
}

function classify(error: GatewayError): { status: number; type: AnthropicErrorType } {
  if (isQueueFull(error) || error.status === 503) return { status: 529, type: 'overloaded_error' };
  switch (error.status) {
    case 400:
    case 405:
    case 415:
    case 499:
      return { status: error.status, type: 'invalid_request_error' };
    case 401:
      return { status: 401, type: 'authentication_error' };
    case 403:
      return { status: 403, type: 'permission_error' };
    case 404:
      return { status: 404, type: 'not_found_error' };
    case 413:
      return { status: 413, type: 'request_too_large' };
    case 429:
      return { status: 429, type: 'rate_limit_error' };
    case 504:
      return { status: 504, type: 'timeout_error' };
    default:
      // Another client error (408, 417, 431, …) is still the client's: its status, an invalid request.
      return error.status < 500 ? { status: error.status, type: 'invalid_request_error' } : { status: error.status, type: 'api_error' };
  }
}
