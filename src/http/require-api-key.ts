import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { invalidApiKey } from '../errors/gateway-error.ts';

/** Routes that answer without a key: the banner, liveness and readiness probes. */
const OPEN_PATHS = new Set(['/', '/healthz', '/readyz']);

/**
 * With keys configured, every other route needs `Authorization: Bearer <key>`. Keys are compared as
 * SHA-256 digests with `timingSafeEqual`, so neither the content nor the length of a key leaks
 * through timing; no key is ever logged.
 */
export function requireApiKey(getKeys: () => readonly string[], isExempt: (path: string) => boolean = () => false): RequestHandler {
  let digestsFor: readonly string[] | undefined;
  let digests: Buffer[] = [];
  return (req, _res, next) => {
    const keys = getKeys();
    if (keys.length === 0 || OPEN_PATHS.has(req.path) || isExempt(req.path)) return next();
    if (digestsFor !== keys) {
      digests = keys.map(digest);
      digestsFor = keys;
    }
    const presented = bearerToken(req.headers.authorization) ?? headerKey(req.headers['x-api-key']);
    if (presented === undefined) return next(invalidApiKey());
    const candidate = digest(presented);
    let match = false;
    for (const known of digests) match = timingSafeEqual(candidate, known) || match;
    next(match ? undefined : invalidApiKey());
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

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
