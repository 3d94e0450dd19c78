import type { Response } from 'express';
import { createImageFetcher, type FetchImageForParam } from '../images/resolve-image-urls.ts';
import type { GatewayServices } from './gateway-services.ts';
import { contextOf } from './request-context.ts';

/**
 * Runs a dialect's image-URL resolver with the configured guards, bound to the request's abort signal;
 * with `imageFetch.enabled` off the request is left as it is, and the translator refuses its URLs.
 */
export async function withImageUrlsFetched<Request>(
  services: GatewayServices,
  res: Response,
  request: Request,
  resolve: (request: Request, fetch: FetchImageForParam) => Promise<Request>,
): Promise<Request> {
  const settings = services.getConfig().imageFetch;
  if (!settings.enabled) return request;
  return resolve(request, createImageFetcher(settings, { signal: contextOf(res).abort.signal }));
}
