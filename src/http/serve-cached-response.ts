import type { Request, Response } from 'express';
import { createCacheKey } from '../cache/cache-key.ts';
import { chooseCacheUse } from '../cache/cache-policy.ts';
import { pipeToResponse } from './pipe-to-response.ts';
import { encodeSseData, openEventStream, SSE_DONE } from './sse-writer.ts';
import type { CachedResponse } from '../cache/cached-response.ts';
import { CACHE_HEADER, type CacheTicket } from '../cache/response-cache.ts';
import type { GatewayServices } from './gateway-services.ts';
import { sendJson } from './send-json.ts';

/**
 * Answers from the cache: the JSON body as it was, or the stream replayed as a well-formed SSE
 * stream (the same `data:` events in order, then `[DONE]`), with backpressure like a live stream.
 */
export async function serveCachedResponse(res: Response, cached: CachedResponse): Promise<void> {
  res.setHeader(CACHE_HEADER, 'hit');
  if (cached.kind === 'json') {
    sendJson(res, cached.body);
    return;
  }
  openEventStream(res);
  const pipe = pipeToResponse(res);
  for (const event of cached.events) if (!pipe.write(encodeSseData([event])) && !(await pipe.drained())) return;
  pipe.end(SSE_DONE);
}

/**
 * The cache ticket of a request whose answer may be replayed, or undefined when the cache is off
 * for it. `native` is the translated request; `answerShape` what else shapes the answer.
 */
export function openCacheTicket(
  services: GatewayServices,
  req: Request,
  route: string,
  cacheable: boolean,
  native: unknown,
  answerShape: Record<string, unknown>,
): CacheTicket | undefined {
  if (services.cache === undefined) return undefined;
  const use = chooseCacheUse(cacheable, req.headers['cache-control']);
  return use === 'none' ? undefined : { key: createCacheKey(route, native, answerShape), use, route };
}

/** Serves a cache hit and resolves true; on a miss marks the response (`miss`/`bypass`) and resolves false. */
export async function answerFromCache(services: GatewayServices, res: Response, ticket: CacheTicket | undefined): Promise<boolean> {
  if (ticket === undefined || services.cache === undefined) return false;
  const cached = await services.cache.read(ticket);
  if (cached !== undefined) {
    await serveCachedResponse(res, cached);
    return true;
  }
  res.setHeader(CACHE_HEADER, ticket.use === 'refresh' ? 'bypass' : 'miss');
  return false;
}

/** Keeps a complete answer for the ticket (none: nothing to do). */
export function keepInCache(services: GatewayServices, ticket: CacheTicket | undefined, value: CachedResponse): void {
  if (ticket !== undefined) void services.cache?.write(ticket, value);
}
