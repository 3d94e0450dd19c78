import { createHash } from 'node:crypto';
import type { Request } from 'express';

/**
 * Who owns what a request stores (stored responses): a digest of the API key it was made with, so
 * one key cannot read another's; `''` when no keys are configured. The key itself is never kept.
 */
export function readKeyOwner(req: Request, apiKeys: readonly string[]): string {
  if (apiKeys.length === 0) return '';
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization?.trim() ?? '')?.[1]?.trim();
  const presented = bearer ?? (typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : '');
  return createHash('sha256').update(presented).digest('hex');
}
