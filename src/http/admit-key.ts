import type { Request, Response } from 'express';
import { modelNotFound } from '../errors/gateway-error.ts';
import { checkBudget } from '../keys/check-budget.ts';
import { hasRateLimits } from '../keys/key-limiter.ts';
import type { KeyIdentity } from '../keys/key-ring.ts';
import { tokensToReserve } from '../keys/reserve-tokens.ts';
import { canonicalModelName, modelKey } from '../config/model-key.ts';
import type { GatewayServices } from './gateway-services.ts';
import { contextOf } from './request-context.ts';
import { settledUsage } from './settled-usage.ts';

/**
 * A model outside the key's `models` is answered exactly like one that does not exist, so a key
 * cannot probe for models it may not use; the refusal is counted with reason `scope`.
 */
export async function checkModelScope(services: GatewayServices, identity: KeyIdentity | undefined, requested: string): Promise<void> {
  if (identity === undefined) return;
  const canonical = canonicalModelName(services.catalog.dealias(requested));
  if (identity.allowsModel(canonical)) return;
  // Only a name Ollama lists becomes a label: client input must not create series.
  const known = (await services.catalog.list().catch(() => [])).find((tag) => modelKey(tag.name) === modelKey(canonical));
  services.metrics.countRejection(known?.name ?? 'unknown', 'scope');
  throw modelNotFound(requested);
}

/**
 * Per-key admission before the model's queue: the daily and monthly budgets, then the key's rates
 * and concurrency (holding `max_tokens` or the default against `tpm`). `x-ratelimit-*` headers go
 * on the answer whatever it is; when the response closes, the reservation is corrected to the
 * tokens counted for the request and the concurrency place is freed.
 */
export async function admitKey(services: GatewayServices, req: Request, res: Response, identity: KeyIdentity): Promise<void> {
  const now = services.now();
  const retryAfterCapSeconds = services.getConfig().retryAfterCapSeconds;
  const overBudget = await checkBudget(identity, services.keys.ledger, now, retryAfterCapSeconds);
  if (overBudget !== undefined) throw overBudget;
  if (!hasRateLimits(identity)) return;
  const result = await services.keys.limiter.admit({ identity, reserveTokens: tokensToReserve(req.body), now, retryAfterCapSeconds });
  const headers = result.ok ? result.admission.headers : result.headers;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (!result.ok) throw result.error;
  const context = contextOf(res);
  res.once('close', () => {
    const usage = settledUsage(context);
    result.admission.settle(usage.promptTokens + usage.completionTokens, services.now());
  });
}
