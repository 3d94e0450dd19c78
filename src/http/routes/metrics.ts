import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { invalidApiKey } from '../../errors/gateway-error.ts';
import type { GatewayServices } from '../gateway-services.ts';

/** `GET /metrics` in Prometheus text format; with `METRICS_TOKEN` set it needs that bearer token. */
export function metricsHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    const token = services.getConfig().metricsToken;
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) throw invalidApiKey();
    res.setHeader('content-type', services.metrics.registry.contentType);
    res.send(await services.metrics.registry.metrics());
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '')?.[1] ?? '';
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
