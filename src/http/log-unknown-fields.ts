/**
 * The OpenAI request schemas drop top-level keys they do not know (SDKs add fields faster than we
 * map them). Dropping is kept, but each dropped key is logged at debug level with the request id, so
 * "my parameter had no effect" can be traced.
 */
import type { Response } from 'express';
import type { z } from 'zod';
import type { GatewayServices } from './gateway-services.ts';
import { contextOf } from './request-context.ts';

/** The top-level keys of `body` that `schema` does not declare. */
export function findUnknownFields(schema: z.ZodObject, body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  return Object.keys(body).filter((key) => !Object.hasOwn(schema.shape, key));
}

export function logUnknownFields(services: GatewayServices, res: Response, schema: z.ZodObject, body: unknown): void {
  const unknown = findUnknownFields(schema, body);
  if (unknown.length === 0) return;
  services.logger.debug({ requestId: contextOf(res).id, route: contextOf(res).route, fields: unknown }, 'request fields not known to the gateway were ignored');
}
