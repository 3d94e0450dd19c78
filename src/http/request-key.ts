import type { Response } from 'express';
import type { KeyIdentity } from '../keys/key-ring.ts';
import { contextOf } from './request-context.ts';

const keys = new WeakMap<Response, KeyIdentity>();

/** The API key that authenticated the request; undefined when no keys are configured. */
export function keyOf(res: Response): KeyIdentity | undefined {
  return keys.get(res);
}

/**
 * Notes the request's key at the HTTP edge; the pipeline gets what it needs from the context: the
 * name (logs, metrics) and the tenant its queue shares fairly between keys.
 */
export function rememberKey(res: Response, identity: KeyIdentity): void {
  keys.set(res, identity);
  const context = contextOf(res);
  context.keyName = identity.name;
  context.tenant = { id: identity.name, weight: identity.limits.weight ?? 1 };
}
