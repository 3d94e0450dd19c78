import type { ErrorRequestHandler, Response } from 'express';
import { GatewayError } from '../errors/gateway-error.ts';
import { dialectOf, renderError, renderStreamedErrorLine } from './error-dialects.ts';
import { contextOf } from './request-context.ts';
import { endSseWithError } from './sse-writer.ts';

/**
 * Writes a GatewayError in the dialect of the request's route, with `Retry-After` when it carries
 * one. Once a stream has started, the error becomes the stream's last event (SSE) or line (NDJSON).
 */
export function sendError(res: Response, error: GatewayError): void {
  contextOf(res).error = error;
  if (res.headersSent) {
    const contentType = String(res.getHeader('content-type') ?? '');
    if (contentType.startsWith('text/event-stream')) endSseWithError(res, error);
    else if (contentType.startsWith('application/x-ndjson') && !res.writableEnded) res.end(renderStreamedErrorLine(dialectOf(res.req.path), error));
    else res.destroy(error);
    return;
  }
  if (error.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  const { contentType, body } = renderError(dialectOf(res.req.path), error);
  res.status(error.status).type(contentType).send(body);
}

/** What each failure of the body parser (and of the router's path decoding) means for the client. */
const bodyParserFailures: Record<string, (failure: ParserFailure) => GatewayError> = {
  'entity.parse.failed': (failure) => clientError(400, `The request body is not valid JSON: ${failure.message}`, 'invalid_json'),
  'entity.too.large': (failure) => clientError(413, `The request body is larger than the limit of ${String(failure.limit)} bytes.`, 'request_too_large'),
  'entity.too.deep': (failure) => clientError(400, failure.message, 'json_too_deep'),
  'encoding.unsupported': (failure) => clientError(415, failure.message, 'unsupported_encoding'),
  'charset.unsupported': (failure) => clientError(415, failure.message, 'unsupported_encoding'),
  'request.aborted': () => clientError(400, 'The client closed the request before its body was read.', 'client_closed'),
  'request.size.invalid': () => clientError(400, 'The request body is not as long as its Content-Length says.', 'invalid_content_length'),
};

interface ParserFailure {
  message: string;
  limit?: unknown;
}

/**
 * Express's own errors (body parser, router) carry a `status`, and the body parser a `type`: every
 * 4xx among them stays a 4xx (a gzip body that does not decompress, a path that does not decode).
 * Anything else is the gateway's bug: a 500 whose cause the request's log line names.
 */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const candidate = (typeof error === 'object' && error !== null ? error : {}) as { type?: unknown; status?: unknown; message?: unknown; limit?: unknown };
  const failure: ParserFailure = { message: typeof candidate.message === 'string' ? candidate.message : '', limit: candidate.limit };
  const known = typeof candidate.type === 'string' && Object.hasOwn(bodyParserFailures, candidate.type) ? bodyParserFailures[candidate.type] : undefined;
  if (known !== undefined) return known(failure);
  if (error instanceof URIError) return clientError(400, 'The path is not valid percent-encoded UTF-8.', 'invalid_path');
  const status = typeof candidate.status === 'number' ? candidate.status : 500;
  if (status >= 400 && status < 500) return clientError(status, `The request could not be read: ${failure.message}`, 'invalid_request');
  return new GatewayError('The gateway failed unexpectedly; see its logs for the request id.', {
    status: 500,
    type: 'server_error',
    code: 'internal_error',
    cause: error,
  });
}

function clientError(status: number, message: string, code: string): GatewayError {
  return new GatewayError(message, { status, type: 'invalid_request_error', code });
}

/** The one error middleware: every error of every route leaves through here. */
export const errorMiddleware: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  sendError(res, toGatewayError(error));
};
