import { z } from 'zod';
import type { KeyServices } from './key-services.ts';

/** One API key in `/v1/status`: its name (never the key), scopes, limits and tokens counted so far. */
export const keyStatusSchema = z.object({
  name: z.string(),
  routes: z.array(z.string()),
  /** Model globs; null = every model. */
  models: z.array(z.string()).nullable(),
  limits: z.object({
    rpm: z.number().nullable(),
    tpm: z.number().nullable(),
    max_concurrent: z.number().nullable(),
    daily_tokens: z.number().nullable(),
    monthly_tokens: z.number().nullable(),
    priority: z.number().nullable(),
    max_priority: z.number().nullable(),
    weight: z.number(),
  }),
  /** UTC day and month, counted usage included. */
  tokens_today: z.number(),
  tokens_month: z.number(),
});
export type KeyStatus = z.infer<typeof keyStatusSchema>;

/** The keys in force, in configuration order, with their token counts. */
export async function describeKeys(keys: KeyServices): Promise<KeyStatus[]> {
  return Promise.all(
    keys.ring().identities().map(async (identity) => {
      const used = await keys.ledger.tokensUsed(identity.name);
      const { limits } = identity;
      return {
        name: identity.name,
        routes: [...identity.routes],
        models: identity.models === undefined ? null : [...identity.models],
        limits: {
          rpm: limits.rpm ?? null,
          tpm: limits.tpm ?? null,
          max_concurrent: limits.maxConcurrent ?? null,
          daily_tokens: limits.dailyTokens ?? null,
          monthly_tokens: limits.monthlyTokens ?? null,
          priority: limits.priority ?? null,
          max_priority: limits.maxPriority ?? null,
          weight: limits.weight ?? 1,
        },
        tokens_today: used.today,
        tokens_month: used.month,
      };
    }),
  );
}
