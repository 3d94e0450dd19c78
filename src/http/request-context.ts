import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { GenerationContext } from '../generation/generation-context.ts';

const INCOMING_ID = /^[\w.:-]{1,128}$/;
/** A property of the response rather than a WeakMap entry: a plain lookup, and no ephemeron for the GC per request. */
const CONTEXT = Symbol('llm-sidecar.context');
const FINISHERS = Symbol('llm-sidecar.finishers');
type WithContext = Response & { [CONTEXT]?: GenerationContext; [FINISHERS]?: RequestFinisher[] };

/**
 * The context of a request, made by `requestContextMiddleware`. Only the HTTP edge (route handlers,
 * request logging, the error middleware) looks it up; everything below gets it as an argument.
 */
export function contextOf(res: Response): GenerationContext {
  return (res as WithContext)[CONTEXT]!;
}

/** Work at the end of a request (finished or abandoned), with what it needs to read: no closure per request. */
export type RequestFinisher = (req: Request, res: Response, context: GenerationContext) => void;

/**
 * Runs `finish` when the request ends, after the context's own abort and after the finishers added
 * before it: middleware adds its finisher when the request reaches it, as it would add a 'close'
 * listener, but the request carries one listener for all of them.
 */
export function whenClosed(res: Response, finish: RequestFinisher): void {
  (res as WithContext)[FINISHERS]!.push(finish);
}

/**
 * Gives each request an id (a sane incoming `X-Request-Id` is kept) and one AbortController, aborted
 * when the response closes before it finished: 'close' on `res`, not on `req` (which fires as soon
 * as the body has been read). Then the finishers added with `whenClosed` run, in order.
 */
export function requestContextMiddleware(now: () => number): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    const context: GenerationContext = { id, startedAt: now(), abort: new AbortController(), route: req.path };
    const traceparent = req.headers.traceparent;
    if (typeof traceparent === 'string') context.traceparent = traceparent;
    const finishers: RequestFinisher[] = [];
    (res as WithContext)[CONTEXT] = context;
    (res as WithContext)[FINISHERS] = finishers;
    res.setHeader('x-request-id', id);
    res.once('close', () => {
      if (!res.writableFinished) {
        context.clientClosed = true;
        context.abort.abort(new DOMException('The client closed the connection.', 'AbortError'));
      }
      for (const finish of finishers) finish(req, res, context);
    });
    next();
  };
}
