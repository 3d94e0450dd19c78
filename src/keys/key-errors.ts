import { gatewayError, rateLimited, type GatewayError } from '../errors/gateway-error.ts';
import type { RouteScope } from '../config/key-entry-schema.ts';

/** 403 in OpenAI's shape: the key is valid but this route class is not among its scopes. */
export const missingScope = (scope: RouteScope, path: string): GatewayError =>
  gatewayError('permission_denied', `This API key does not have the \`${scope}\` scope that ${path} needs.`, { code: 'insufficient_permissions' });

/** 403: `X-Priority` asks for a class more urgent than the key's `maxPriority`. */
export const priorityNotAllowed = (requested: number, maxPriority: number): GatewayError =>
  gatewayError('permission_denied', `X-Priority ${requested} is more urgent than this API key may ask for: its maxPriority is ${maxPriority}.`, {
    code: 'insufficient_permissions',
    param: 'X-Priority',
  });

/** 429 for a key over one of its rates (requests, tokens or concurrent requests per key). */
export const keyRateLimited = (what: string, retryAfterSeconds: number): GatewayError =>
  rateLimited(`Rate limit reached for this API key: ${what}. Retry after ${retryAfterSeconds} s.`, retryAfterSeconds);

/** 429 `insufficient_quota`: the key's daily or monthly token budget is used up (OpenAI's code for it). */
export const quotaExhausted = (period: 'daily' | 'monthly', budget: number, retryAfterSeconds: number): GatewayError =>
  gatewayError('insufficient_quota', `This API key has used its ${period} budget of ${budget} tokens.`, { retryAfterSeconds });
