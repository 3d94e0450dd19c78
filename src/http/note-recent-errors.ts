import type { RequestHandler } from 'express';
import type { RecentErrors } from '../status/recent-errors.ts';
import { contextOf } from './request-context.ts';

/**
 * Notes every request that ends with a gateway error (set by the error middleware, or by a stream
 * that failed after its headers) for the status page. A client that went away is no error of ours.
 */
export function noteRecentErrors(recent: RecentErrors, now: () => number): RequestHandler {
  return (req, res, next) => {
    res.once('close', () => {
      const context = contextOf(res);
      const error = context.error;
      if (error === undefined || context.clientClosed) return;
      recent.record({ at: new Date(now()).toISOString(), status: error.status, code: error.code, message: error.message, model: context.model ?? null, route: req.path });
    });
    next();
  };
}
