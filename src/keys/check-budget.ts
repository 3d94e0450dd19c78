import type { GatewayError } from '../errors/gateway-error.ts';
import type { UsageLedger } from '../usage/usage-ledger.ts';
import { quotaExhausted } from './key-errors.ts';
import type { KeyIdentity } from './key-ring.ts';

/**
 * The `insufficient_quota` error when the key has used its daily or monthly tokens (UTC), else
 * undefined. `Retry-After` is the time until the budget renews, at most `retryAfterCapSeconds`.
 */
export async function checkBudget(identity: KeyIdentity, ledger: UsageLedger, now: number, retryAfterCapSeconds: number): Promise<GatewayError | undefined> {
  const { dailyTokens, monthlyTokens } = identity.limits;
  if (dailyTokens === undefined && monthlyTokens === undefined) return undefined;
  const used = await ledger.tokensUsed(identity.name);
  const date = new Date(now);
  if (dailyTokens !== undefined && used.today >= dailyTokens) {
    const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
    return quotaExhausted('daily', dailyTokens, Math.min(retryAfterCapSeconds, Math.ceil((midnight - now) / 1000)));
  }
  if (monthlyTokens !== undefined && used.month >= monthlyTokens) {
    const nextMonth = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    return quotaExhausted('monthly', monthlyTokens, Math.min(retryAfterCapSeconds, Math.ceil((nextMonth - now) / 1000)));
  }
  return undefined;
}
