import type { RequestHandler } from 'express';

/** Origins of pages on this machine, any port: what Ollama itself allows by default. */
const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/** Whether a page at `origin` may call the gateway: local pages, plus the configured list (`*` allows all). */
export function isAllowedOrigin(origin: string, allowed: readonly string[]): boolean {
  return LOCAL_ORIGIN.test(origin) || allowed.includes('*') || allowed.includes(origin);
}

/**
 * CORS for browser clients: answers preflights (before the API-key check, since browsers send no
 * credentials on them) and marks responses to allowed origins. The headers a client may send are
 * the ones it asks for, so SDK headers such as `x-stainless-*` and our `X-Model`/`X-Priority` pass.
 */
export function corsMiddleware(getAllowedOrigins: () => readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || !isAllowedOrigin(origin, getAllowedOrigins())) return next();
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
    res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
    if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) return next();
    res.setHeader('access-control-allow-methods', 'GET, POST, DELETE, HEAD, OPTIONS');
    const requested = req.headers['access-control-request-headers'];
    if (requested !== undefined) res.setHeader('access-control-allow-headers', requested);
    res.setHeader('access-control-max-age', '600');
    res.status(204).end();
  };
}
