import type { Response } from 'express';
import { keyOf } from './request-key.ts';

/**
 * Who owns what a request stores (stored responses): the configured name of the key it was made
 * with, so one key cannot read another's; `''` when no keys are configured.
 */
export function readKeyOwner(res: Response): string {
  return keyOf(res)?.name ?? '';
}
