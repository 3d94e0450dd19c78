import type { RequestHandler } from 'express';
import type { RecentErrors } from '../status/recent-errors.ts';
import { whenClosed, type RequestFinisher } from './request-context.ts';

/**
 * Notes every request that ends with a gateway error (set by the error middleware, or by a stream
 * that failed after its headers) for the status page. A client that went away is no error of ours.
 */
export function noteRecentErrors(recent: RecentErrors, now: () => number): RequestHandler {
  const finish: RequestFinisher = (req, _res, context) => {
    const error = context.error;
    if (error === undefined || context.clientClosed) return;
    recent.record({ at: new Date(now()).toISOString(), status: error.status, code: error.code, message: error.message, model: context.model ?? null, route: req.path });
  };
  return (_req, res, next) => {
    whenClosed(res, finish);
    next();
  };
}
