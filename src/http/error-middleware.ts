import type { ErrorRequestHandler, Response } from 'express';
import { GatewayError, invalidRequest } from '../errors/gateway-error.ts';
import { contextOf } from './request-context.ts';
import { endSseWithError } from './sse-writer.ts';

/** Writes a GatewayError in OpenAI's shape, with `Retry-After` when it carries one. */
export function sendError(res: Response, error: GatewayError): void {
  contextOf(res).error = error;
  if (res.headersSent) {
    if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) endSseWithError(res, error);
    else res.destroy(error);
    return;
  }
  if (error.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  res.status(error.status).json(error.toBody());
}

/** Express's own errors (body parser) carry a `type` and `status`; anything else is our bug. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const candidate = error as { type?: unknown; status?: unknown; message?: unknown; limit?: unknown };
  switch (candidate.type) {
    case 'entity.parse.failed':
      return invalidRequest(`The request body is not valid JSON: ${String(candidate.message)}`, null, 'invalid_json');
    case 'entity.too.large':
      return new GatewayError(`The request body is larger than the limit of ${String(candidate.limit)} bytes.`, {
        status: 413,
        type: 'invalid_request_error',
        code: 'request_too_large',
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new GatewayError(String(candidate.message), { status: 415, type: 'invalid_request_error', code: 'unsupported_encoding' });
    case 'request.aborted':
      return new GatewayError('The client closed the request before its body was read.', { status: 400, type: 'invalid_request_error', code: 'client_closed' });
    default:
      return new GatewayError('The gateway failed unexpectedly; see its logs for the request id.', {
        status: 500,
        type: 'server_error',
        code: 'internal_error',
        cause: error,
      });
  }
}

/** The one error middleware: every error of every route leaves through here. */
export const errorMiddleware: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  sendError(res, toGatewayError(error));
};
