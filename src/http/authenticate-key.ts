import type { RequestHandler } from 'express';
import { invalidApiKey } from '../errors/gateway-error.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import { missingScope } from '../keys/key-errors.ts';
import { routeScopeOf } from '../keys/route-scope-of.ts';
import { rememberKey } from './request-key.ts';

/** Routes that answer without a key: the banner, liveness and readiness probes. */
const OPEN_PATHS = new Set(['/', '/healthz', '/readyz']);

/**
 * With keys configured, every other route needs a key: `Authorization: Bearer <key>` first, then
 * `x-api-key` (Anthropic-style clients), then `api-key` (Azure-style). The matched key's identity
 * goes on the request context; a route class outside its scopes is refused with 403. No key is ever
 * logged or echoed.
 */
export function authenticateKey(getRing: () => KeyRing, isExempt: (path: string) => boolean = () => false): RequestHandler {
  return (req, res, next) => {
    const ring = getRing();
    if (ring.isOpen || OPEN_PATHS.has(req.path) || isExempt(req.path)) return next();
    const presented = bearerToken(req.headers.authorization) ?? headerKey(req.headers['x-api-key']) ?? headerKey(req.headers['api-key']);
    const identity = presented === undefined ? undefined : ring.find(presented);
    if (identity === undefined) return next(invalidApiKey());
    rememberKey(res, identity);
    const scope = routeScopeOf(req.path);
    next(scope === null || identity.routes.has(scope) ? undefined : missingScope(scope, req.path));
  };
}

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}

function headerKey(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}
