/**
 * Errors of the Anthropic routes (`POST /v1/messages…`) in Anthropic's own shape and statuses,
 * including the ones raised before the handler (missing key, bad JSON, body too large); every other
 * route, and a wrong method (the generic 405 every path answers), falls through to the OpenAI-shaped
 * error middleware.
 */
import type { ErrorRequestHandler, Response } from 'express';
import { toAnthropicError } from '../anthropic/error-body.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import { toGatewayError } from './error-middleware.ts';
import { contextOf } from './request-context.ts';

const isAnthropicRoute = (method: string, path: string): boolean => method === 'POST' && (path === '/v1/messages' || path.startsWith('/v1/messages/'));

export const anthropicErrorMiddleware: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (!isAnthropicRoute(req.method, req.path)) {
    next(error);
    return;
  }
  sendAnthropicError(res, toGatewayError(error));
};

export function sendAnthropicError(res: Response, error: GatewayError): void {
  const context = contextOf(res);
  context.error = error;
  const { status, body } = toAnthropicError(error, context.id);
  if (res.headersSent) {
    // after the event stream started, the SDK raises an `event: error` as an APIError
    if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) res.end(`event: error\ndata: ${JSON.stringify(body)}\n\n`);
    else res.destroy(error);
    return;
  }
  if (error.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  res.setHeader('request-id', context.id);
  res.status(status).json(body);
}
