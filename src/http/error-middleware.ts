import type { ErrorRequestHandler, Response } from 'express';
import { clientClosed, GatewayError, gatewayError, invalidRequest } from '../errors/gateway-error.ts';
import { requestKindOfStatus } from '../errors/error-table.ts';
import { dialectOf, renderError } from './error-dialects.ts';
import { contextOf } from './request-context.ts';
import { endSseWithError } from './sse-writer.ts';

/**
 * Writes a GatewayError in the dialect of the request's route, with `Retry-After` when it carries
 * one (and Anthropic's `request-id`). Once an SSE stream has started, the error becomes its last
 * event (Anthropic's SDK raises an `event: error` as an APIError); any other answer that has started is cut.
 */
export function sendError(res: Response, error: GatewayError): void {
  const context = contextOf(res);
  context.error = error;
  const dialect = dialectOf(res.req.method, res.req.path);
  const rendered = renderError(dialect, error, dialect === 'anthropic' ? context.id : undefined);
  if (res.headersSent) {
    if (!String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) res.destroy(error);
    else if (dialect === 'anthropic') res.end(`event: error\ndata: ${rendered.body}\n\n`);
    else endSseWithError(res, error);
    return;
  }
  if (error.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  if (dialect === 'anthropic') res.setHeader('request-id', context.id);
  // written as rendered: Express's send would add a charset the OpenAI dialect does not send
  res.status(rendered.status);
  res.setHeader('content-type', rendered.contentType);
  res.setHeader('content-length', Buffer.byteLength(rendered.body));
  if (res.req.method === 'HEAD') res.end();
  else res.end(rendered.body);
}

/** What each failure of the body parser (and of the router's path decoding) means for the client. */
const bodyParserFailures: Record<string, (failure: ParserFailure) => GatewayError> = {
  'entity.parse.failed': (failure) => invalidRequest(`The request body is not valid JSON: ${failure.message}`, null, 'invalid_json'),
  'entity.too.large': (failure) => gatewayError('request_too_large', `The request body is larger than the limit of ${String(failure.limit)} bytes.`),
  'entity.too.deep': (failure) => invalidRequest(failure.message, null, 'json_too_deep'),
  'encoding.unsupported': (failure) => gatewayError('unsupported_encoding', failure.message),
  'charset.unsupported': (failure) => gatewayError('unsupported_encoding', failure.message),
  'request.aborted': () => clientClosed('The client closed the request before its body was read.'),
  'request.size.invalid': () => invalidRequest('The request body is not as long as its Content-Length says.', null, 'invalid_content_length'),
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
  if (error instanceof URIError) return invalidRequest('The path is not valid percent-encoded UTF-8.', null, 'invalid_path');
  const status = typeof candidate.status === 'number' ? candidate.status : 500;
  // A 4xx stays the kind its status stands for (400 for a body that does not decompress): only the body is ours.
  if (status >= 400 && status < 500) {
    const kind = requestKindOfStatus(status);
    return gatewayError(kind, `The request could not be read: ${failure.message}`, kind === 'invalid_request' ? { code: 'invalid_request' } : {});
  }
  return gatewayError('internal_error', undefined, { cause: error });
}

/** The one error middleware: every error of every route leaves through here. */
export const errorMiddleware: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  sendError(res, toGatewayError(error));
};
