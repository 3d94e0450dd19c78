import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { GenerationContext } from '../generation/generation-context.ts';

const INCOMING_ID = /^[\w.:-]{1,128}$/;
const contexts = new WeakMap<Response, GenerationContext>();

/**
 * The context of a request, made by `requestContextMiddleware`. Only the HTTP edge (route handlers,
 * request logging, the error middleware) looks it up; everything below gets it as an argument.
 */
export function contextOf(res: Response): GenerationContext {
  return contexts.get(res)!;
}

/**
 * Gives each request an id (a sane incoming `X-Request-Id` is kept) and one AbortController, aborted
 * when the response closes before it finished: 'close' on `res`, not on `req` (which fires as soon
 * as the body has been read).
 */
export function requestContextMiddleware(now: () => number): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    const context: GenerationContext = { id, startedAt: now(), abort: new AbortController(), route: req.path };
    const traceparent = req.headers.traceparent;
    if (typeof traceparent === 'string') context.traceparent = traceparent;
    contexts.set(res, context);
    res.setHeader('x-request-id', id);
    res.on('close', () => {
      if (!res.writableFinished) {
        context.clientClosed = true;
        context.abort.abort(new DOMException('The client closed the connection.', 'AbortError'));
      }
    });
    next();
  };
}
