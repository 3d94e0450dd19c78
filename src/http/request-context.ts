import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { GatewayError } from '../errors/gateway-error.ts';

/** What the gateway learns about one request as it goes; the request log line is made from it. */
export interface RequestContext {
  id: string;
  startedAt: number;
  /** Aborted when the client goes away before the response is finished, or by a deadline. */
  abort: AbortController;
  route: string;
  model?: string;
  /** The model name the client used (an alias, or a spelling of `model`). */
  requestedModel?: string;
  /** The configured name of the API key that authenticated the request (never the key itself). */
  keyName?: string;
  upstream?: string;
  queueWaitMs?: number;
  /** When the request got its first slot (the gateway's clock); time to first token counts from here. */
  slotAcquiredAt?: number;
  /** From the request's start, queue included (the log line and `/v1/llm` report this one). */
  firstTokenMs?: number;
  promptTokens?: number;
  completionTokens?: number;
  retries?: number;
  stream?: boolean;
  error?: GatewayError;
  clientClosed?: boolean;
}

const INCOMING_ID = /^[\w.:-]{1,128}$/;

/** The context of a request; set up by `requestContextMiddleware`. */
export function contextOf(res: Response): RequestContext {
  return res.locals['context'] as RequestContext;
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
    const context: RequestContext = { id, startedAt: now(), abort: new AbortController(), route: req.path };
    res.locals['context'] = context;
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
